"""The engine contract, as tests every engine must pass (docs/architecture.md, "How to write
an engine").

Each engine is a :class:`Case` in :data:`CASES`: how to open a fresh instance, and the
optional abilities it is expected to declare. The base tests run every case; each ability's
tests run the cases that declare it; and a case that declares other abilities than those
listed fails, so an engine (or a wrapper) cannot lose one silently. A new engine (an LLM)
joins with one entry in :data:`CASES`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import pytest

from tarjama.engines import (
    BulkCounter,
    Engine,
    Hypothesis,
    Signature,
    can_align,
    can_align_targets,
    can_beam,
    can_hint,
    can_report,
    can_store,
    can_stream,
)
from tarjama.engines.characters import Transliterator
from tarjama.engines.generator import GeneratorEngine
from tarjama.engines.loader import load_engine
from tarjama.engines.openai import Endpoint, OpenAIEngine
from tarjama.errors import ConfigError, UnsupportedPair
from tarjama.pipeline import Translator
from tarjama.pipeline.guard import GuardedEngine, PostEditEngine
from tarjama.server.coalescer import CoalescedEngine
from tarjama.store.llm import GeneratorSettings

from ..coalescing import running_coalescer
from ..conftest import TRANSLIT_MODEL
from ..fakes import AligningFakeEngine, FakeEngine
from ..llm_stub import Stub, serve_stub

#: Short texts in each source language: plain words every test model can write.
SAMPLES = {
    "ar": ["قال الرئيس إن الخطة جاهزة", "وأضاف أن الميناء سيفتح غدا", "زيلينسكي", "تاس"],
    "en": ["The minister said the plan is ready", "The port opens tomorrow", "Zelensky", "Tass"],
}

#: Each ability, and how code asks an engine whether it has it.
ABILITIES: dict[str, Callable[[Engine], bool]] = {
    "align": can_align,
    "align_targets": can_align_targets,
    "beam": can_beam,
    "store": can_store,
    "count_many": lambda engine: isinstance(engine, BulkCounter),
    "stream": can_stream,
    "hint": can_hint,
    "report": can_report,
}
CT2 = frozenset({"align", "align_targets", "beam", "store", "count_many"})


class StreamingEngine(FakeEngine):
    """The fake, written as a streaming engine: its translation comes word by word, and a
    batch is the streams joined (the openai engine streams too, over the stub)."""

    def translate_stream(self, text: str, source: str, target: str) -> Iterator[str]:
        for k, word in enumerate(text.split()):
            yield f"{' ' if k else ''}~{word}~"

    def translate_batch(
        self, texts: Sequence[str], source: str, target: str, *, num_alternatives: int = 0
    ) -> list[Hypothesis]:
        self.calls.append(list(texts))
        return [
            Hypothesis("".join(self.translate_stream(t, source, target)), -0.5 if t else 0.0)
            for t in texts
        ]


def _ct2(fixture: str) -> Callable[[pytest.FixtureRequest], Engine]:
    def open_it(request: pytest.FixtureRequest) -> Engine:
        return load_engine(request.getfixturevalue(fixture), device="cpu", threads=1)

    return open_it


def _coalesced(request: pytest.FixtureRequest) -> Engine:
    """The server's coalescing engine over the copy model, its coalescer running as the
    server runs it."""
    running = running_coalescer("copy")
    coalescer = running.__enter__()
    request.addfinalizer(lambda: running.__exit__(None, None, None))
    return CoalescedEngine(_ct2("copy_model_dir")(request), coalescer)


@pytest.fixture(scope="module")
def llm_stub() -> Iterator[Stub]:
    yield from serve_stub()


def _openai(request: pytest.FixtureRequest) -> Engine:
    """The OpenAI-compatible engine over the loopback stub server (tests/llm_stub.py)."""
    stub: Stub = request.getfixturevalue("llm_stub")
    return OpenAIEngine("llm-stub", Endpoint(stub.url, "stub-model", lines=2))


def _guarded_openai(request: pytest.FixtureRequest) -> Engine:
    """The same behind the guard, as the workspace opens an endpoint model."""
    return GuardedEngine(_openai(request))


def _post_edited(request: pytest.FixtureRequest) -> Engine:
    """``--llm-post-edit``: the copy model drafts, the stub edits (the drafts stay in a
    batch job's store; tokens are counted by the drafting model)."""
    return PostEditEngine(_ct2("copy_model_dir")(request), _openai(request))


def _generator(request: pytest.FixtureRequest) -> Engine:
    """CTranslate2's Generator over a random decoder-only model, a request per text and no
    neighbours as context, so a text's stream is its translation in a batch."""
    return GeneratorEngine(
        request.getfixturevalue("tiny_generator_dir"),
        name="tiny-generator",
        device="cpu",
        threads=1,
        settings=GeneratorSettings(lines=1, before=0),
    )


@dataclass(frozen=True)
class Case:
    name: str
    open: Callable[[pytest.FixtureRequest], Engine]
    abilities: frozenset[str] = frozenset()
    marks: tuple[pytest.MarkDecorator, ...] = field(default=())


CASES = [
    Case("fake", lambda _: FakeEngine()),
    Case("aligning-fake", lambda _: AligningFakeEngine(), frozenset({"align"})),
    Case("streaming-fake", lambda _: StreamingEngine(), frozenset({"stream"})),
    Case("copy", _ct2("copy_model_dir"), CT2),
    Case("ct2-random", _ct2("tiny_model_dir"), CT2),
    Case("coalesced-copy", _coalesced, frozenset({"align", "count_many", "report"})),
    Case("openai-stub", _openai, frozenset({"hint", "stream", "report"})),
    Case("guarded-openai-stub", _guarded_openai, frozenset({"hint", "report"})),
    Case("post-edited-copy", _post_edited, frozenset({"hint", "store", "count_many"})),
    Case("generator", _generator, frozenset({"hint", "stream", "report"})),
    Case(
        "guarded-generator",
        lambda r: GuardedEngine(_generator(r)),
        frozenset({"hint", "report"}),
    ),
    Case(
        "characters",
        lambda _: Transliterator.load(TRANSLIT_MODEL).engine,
        CT2 - {"align_targets"},  # a word per unit: a sentence is never one
        (pytest.mark.needs_data,),
    ),
]


def cases(ability: str | None = None) -> list[object]:
    return [
        pytest.param(c, id=c.name, marks=c.marks)
        for c in CASES
        if ability is None or ability in c.abilities
    ]


@pytest.fixture(params=cases())
def case(request: pytest.FixtureRequest) -> Case:
    chosen: Case = request.param
    return chosen


@pytest.fixture
def make(case: Case, request: pytest.FixtureRequest) -> Callable[[], Engine]:
    """Opens a fresh instance of the case's engine (the same model and settings)."""
    return lambda: case.open(request)


@pytest.fixture
def engine(make: Callable[[], Engine]) -> Engine:
    return make()


def pair(engine: Engine) -> tuple[str, str]:
    return engine.pairs[0]


def texts_for(engine: Engine) -> list[str]:
    return SAMPLES[pair(engine)[0]]


def check_hypotheses(hyps: list[Hypothesis], texts: Sequence[str]) -> None:
    """One hypothesis per text; a score is a finite log-probability."""
    assert len(hyps) == len(texts)
    for hyp in hyps:
        assert isinstance(hyp.text, str)
        assert math.isfinite(hyp.score) and hyp.score <= 0.0


# -- the base contract -------------------------------------------------------------------


def test_declares_the_abilities_it_is_listed_with(case: Case, engine: Engine) -> None:
    assert isinstance(engine, Engine)
    assert {name for name, has in ABILITIES.items() if has(engine)} == case.abilities


def test_one_hypothesis_per_text_in_order(engine: Engine) -> None:
    texts = texts_for(engine)
    forward = engine.translate_batch(texts, *pair(engine))
    backward = engine.translate_batch(texts[::-1], *pair(engine))
    check_hypotheses(forward, texts)
    assert [h.text for h in backward[::-1]] == [h.text for h in forward]
    assert all(h.text for h in forward)


def test_an_empty_text_gives_an_empty_hypothesis(engine: Engine) -> None:
    texts = ["", texts_for(engine)[0], ""]
    hyps = engine.translate_batch(texts, *pair(engine))
    check_hypotheses(hyps, texts)
    assert [h.text for h in hyps] == [
        "",
        engine.translate_batch(texts[1:2], *pair(engine))[0].text,
        "",
    ]
    assert engine.translate_batch([], *pair(engine)) == []


def test_equal_texts_give_equal_hypotheses(engine: Engine) -> None:
    first, second = texts_for(engine)[:2]
    hyps = engine.translate_batch([first, second, first], *pair(engine))
    check_hypotheses(hyps, [first, second, first])
    assert hyps[2].text == hyps[0].text
    assert math.isclose(hyps[2].score, hyps[0].score, rel_tol=1e-5)  # float noise of padding


class Narrowed:
    """An engine behind a lower input limit, recording each text that reaches it: the
    pipeline's view of the engine, with a limit small enough to cut a short text."""

    def __init__(self, engine: Engine, limit: int) -> None:
        self.engine = engine
        self.name = engine.name
        self.pairs = engine.pairs
        self.max_input_tokens = limit
        self.seen: list[str] = []

    @property
    def signature(self) -> Signature:
        return self.engine.signature

    def count_tokens(self, text: str, source: str) -> int:
        return self.engine.count_tokens(text, source)

    def translate_batch(
        self, texts: Sequence[str], source: str, target: str, *, num_alternatives: int = 0
    ) -> list[Hypothesis]:
        self.seen += texts
        return self.engine.translate_batch(texts, source, target)


def test_the_pipeline_hands_no_text_over_the_input_limit(engine: Engine) -> None:
    """``max_input_tokens`` is the longest text, as ``count_tokens`` counts it, that the
    engine takes; the pipeline cuts a longer one (at clauses, then words, then inside a
    word) and never hands it over. What an engine does with a longer text is its own:
    CTranslate2 decodes it while the model's positions last, then fails with EngineError."""
    source, target = pair(engine)
    text = "، ".join(texts_for(engine)) if source == "ar" else ", ".join(texts_for(engine))
    limit = max(1, engine.count_tokens(texts_for(engine)[0], source) // 3)
    assert engine.count_tokens(text, source) > limit
    narrowed = Narrowed(engine, limit)
    (hyp,) = Translator(narrowed, source=source, target=target).translate_units([text])
    assert hyp.text
    assert len(narrowed.seen) > 1
    assert all(engine.count_tokens(piece, source) <= limit for piece in narrowed.seen)
    assert "".join(narrowed.seen).replace(" ", "") == text.replace(" ", "")  # nothing dropped


@pytest.mark.parametrize("asked", [0, 2])
def test_alternatives_are_ranked_and_never_more_than_asked(engine: Engine, asked: int) -> None:
    texts = texts_for(engine)
    hyps = engine.translate_batch(texts, *pair(engine), num_alternatives=asked)
    check_hypotheses(hyps, texts)
    for hyp in hyps:
        assert len(hyp.alternatives) <= asked
        assert all(isinstance(a, str) and a for a in hyp.alternatives)


def test_the_signature_is_stable_and_hashable(engine: Engine, make: Callable[[], Engine]) -> None:
    sig = engine.signature
    assert isinstance(sig, Signature)
    assert sig.model == engine.name
    again = make().signature  # another instance of the same model and settings
    assert sig == engine.signature == again
    assert hash(sig) == hash(again) and len({sig, again}) == 1
    # What the API and a batch journal write, and read back.
    assert Signature.from_json(json.loads(json.dumps(sig.to_json()))) == sig
    assert sig.to_text().startswith(f"model:{engine.name}|")


# -- the optional abilities --------------------------------------------------------------


@pytest.mark.parametrize("case", cases("align"), indirect=True)
def test_an_aligner_aligns_the_texts_that_ask(engine: Engine) -> None:
    assert can_align(engine)
    texts = texts_for(engine)[:2]
    plain = engine.translate_batch(texts, *pair(engine))
    asked = engine.translate_batch(texts, *pair(engine), align=[True, True])
    # Asking changes no text (both asked: an engine may batch the asking texts apart, and
    # a batch's make-up may move a random model's near ties).
    assert [h.text for h in asked] == [h.text for h in plain]
    assert all(h.alignment is None for h in plain)
    for text, hyp in zip(texts, asked, strict=True):
        assert hyp.alignment
        assert all(
            0 <= s < len(text.split()) and 0 <= t < len(hyp.text.split()) for s, t in hyp.alignment
        )
    one = engine.translate_batch(texts, *pair(engine), align=[False, True])
    assert one[0].alignment is None and one[1].alignment


@pytest.mark.parametrize("case", cases("align_targets"), indirect=True)
def test_a_target_aligner_aligns_given_translations(engine: Engine) -> None:
    assert can_align_targets(engine)
    texts = texts_for(engine)[:2]
    # Its own translations, and another one: the editor's words are any words.
    targets = [h.text for h in engine.translate_batch(texts, *pair(engine))]
    targets[1] = " ".join(reversed(targets[1].split()))
    found = engine.align_targets(texts, targets, *pair(engine))
    assert len(found) == len(texts)
    for text, target, alignment in zip(texts, targets, found, strict=True):
        assert alignment
        assert all(
            0 <= s < len(text.split()) and 0 <= t < len(target.split()) for s, t in alignment
        )
    with pytest.raises(UnsupportedPair):
        engine.align_targets(texts, targets, "xx", "yy")


@pytest.mark.parametrize("case", cases("beam"), indirect=True)
def test_another_beam_is_another_view_of_the_same_model(engine: Engine) -> None:
    assert can_beam(engine)
    own = engine.beam_size
    other = engine.with_beam(own + 1)
    assert can_beam(other) and other.beam_size == own + 1 and engine.beam_size == own
    assert other.signature != engine.signature
    assert other.signature.setting("beam") == own + 1
    assert engine.with_beam(own).signature == engine.signature
    check_hypotheses(other.translate_batch(texts_for(engine), *pair(engine)), texts_for(engine))
    with pytest.raises(ConfigError):
        engine.with_beam(0)


class DictStore:
    def __init__(self) -> None:
        self.kept: dict[bytes, bytes] = {}
        self.puts = 0

    def get(self, key: bytes) -> bytes | None:
        return self.kept.get(key)

    def put(self, key: bytes, value: bytes, rows: int) -> None:
        self.kept[key] = value
        self.puts += 1


@pytest.mark.parametrize("case", cases("store"), indirect=True)
def test_a_stored_batch_comes_back_as_decoded(engine: Engine, make: Callable[[], Engine]) -> None:
    assert can_store(engine)
    store = DictStore()
    texts = texts_for(engine)
    first = engine.with_batch_store(store).translate_batch(texts, *pair(engine))
    assert store.puts > 0
    puts = store.puts
    fresh = make()
    assert can_store(fresh)
    again = fresh.with_batch_store(store).translate_batch(texts, *pair(engine))
    assert store.puts == puts  # taken from the store, not decoded
    assert [(h.text, h.score) for h in again] == [(h.text, h.score) for h in first]
    plain = engine.translate_batch(texts, *pair(engine))
    assert [h.text for h in plain] == [h.text for h in first]


@pytest.mark.parametrize("case", cases("count_many"), indirect=True)
def test_counting_in_bulk_counts_as_one_by_one(engine: Engine) -> None:
    assert isinstance(engine, BulkCounter)
    source = pair(engine)[0]
    texts = [*texts_for(engine), "", texts_for(engine)[0]]
    many = engine.count_tokens_many(texts, source)
    assert many == [engine.count_tokens(t, source) for t in texts]
    assert all(n > 0 for t, n in zip(texts, many, strict=True) if t)


@pytest.mark.parametrize("case", cases("stream"), indirect=True)
def test_a_stream_joined_is_the_translation(engine: Engine) -> None:
    assert can_stream(engine)
    texts = texts_for(engine)
    hyps = engine.translate_batch(texts, *pair(engine))
    for text, hyp in zip(texts, hyps, strict=True):
        pieces = list(engine.translate_stream(text, *pair(engine)))
        assert "".join(pieces) == hyp.text
        assert all(isinstance(p, str) for p in pieces) and pieces
    assert "".join(engine.translate_stream("", *pair(engine))) == ""


class Told:
    """A :class:`~tarjama.engines.Progress` that keeps what it is told."""

    def __init__(self) -> None:
        self.drafts: dict[int, list[str]] = {}
        self.finals: dict[int, Hypothesis] = {}

    def draft(self, k: int, text: str) -> None:
        assert k not in self.finals  # nothing is drafted once final
        self.drafts.setdefault(k, []).append(text)

    def final(self, k: int, hypothesis: Hypothesis) -> None:
        self.finals.setdefault(k, hypothesis)


@pytest.mark.parametrize("case", cases("report"), indirect=True)
def test_progress_tells_each_text_final_as_returned_and_drafts_only_when_it_says(
    engine: Engine,
) -> None:
    assert can_report(engine)
    texts = [*texts_for(engine), "", texts_for(engine)[0]]
    told = Told()
    hyps = engine.translate_batch(texts, *pair(engine), progress=told)
    assert hyps == engine.translate_batch(texts, *pair(engine))  # the same translation
    assert [told.finals.get(k) for k in range(len(texts))] == hyps
    assert set(told.drafts) <= {k for k, t in enumerate(texts) if t}
    assert bool(told.drafts) == engine.drafts
