"""The engine contract: the protocol every translation backend implements, the optional
abilities an engine declares by implementing their protocols, and its :class:`Signature`.

Abilities are runtime-checkable protocols, never attributes looked up by name: code that
wants one asks with the ``can_*`` guard (or ``isinstance``) and then calls it typed. A new
engine gets each ability by implementing its protocol, and ``tests/engines/
test_conformance.py`` checks every ability an engine declares (see docs/architecture.md).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeGuard, TypeVar, runtime_checkable

from ..document import Signature

#: A word alignment: (source word, target word) pairs, words being the whitespace-separated
#: words of the input text and of the hypothesis text (``str.split()``), counted from 0.
Alignment = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Hypothesis:
    """A translation of one input, with the model's length-normalised log-probability.

    ``alignment`` links the input's words to ``text``'s words; it is None unless the
    pipeline asked for it (``align=``) and the engine can give it (:class:`Aligner`).
    """

    text: str
    score: float
    alternatives: tuple[str, ...] = field(default=())
    alignment: Alignment | None = field(default=None, compare=False)
    #: Who wrote it, when not the engine's model alone: the guard's ``llm→model`` (the
    #: NMT model after the LLM failed its checks) or ``model+retry``; it becomes the
    #: segment's origin.
    origin: str = field(default="", compare=False)


@runtime_checkable
class Engine(Protocol):
    """What the pipeline needs from a backend.

    ``translate_batch`` receives every text of a document in one call and returns one
    hypothesis per text, in order: an empty text gives an empty hypothesis, equal texts
    equal hypotheses, and ``num_alternatives`` at most that many ranked alternatives.
    ``count_tokens`` and ``max_input_tokens`` let the pipeline cut sentences that are too
    long before they reach the model; an engine given a longer text still answers it.
    ``signature`` says everything the output depends on (equal for the same model and
    settings, across calls and instances).
    """

    name: str
    pairs: list[tuple[str, str]]
    max_input_tokens: int

    @property
    def signature(self) -> Signature: ...

    def count_tokens(self, text: str, source: str) -> int: ...

    def translate_batch(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        *,
        num_alternatives: int = 0,
    ) -> list[Hypothesis]: ...


# -- optional abilities ------------------------------------------------------------------


@runtime_checkable
class Aligner(Engine, Protocol):
    """Word alignment: ``translate_batch`` also takes ``align=`` (one flag per text) and
    gives the flagged texts an alignment. Only those texts pay for it.

    ``aligns`` says whether it does: a wrapper (the server's coalescing engine) always
    takes ``align=`` and says what the engine it wraps does.
    """

    @property
    def aligns(self) -> bool: ...

    def translate_batch(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        *,
        num_alternatives: int = 0,
        align: Sequence[bool] | None = None,
    ) -> list[Hypothesis]: ...


@runtime_checkable
class TargetAligner(Engine, Protocol):
    """Word alignment of a given translation (an editor's) with its source: the model
    reads the translation as if it had written it (forced decoding) and its attention
    links the words. ``align_targets`` gives one alignment per pair, None where it cannot
    (a text the model sees in several pieces, words that do not add up). ``aligns_targets``
    says whether it can at all (a model's tokenizer may not read the target side)."""

    @property
    def aligns_targets(self) -> bool: ...

    def align_targets(
        self, sources: Sequence[str], targets: Sequence[str], source: str, target: str
    ) -> list[Alignment | None]: ...


@runtime_checkable
class Beamed(Engine, Protocol):
    """A per-request beam: the same loaded model decoding with another beam size."""

    beam_size: int

    def with_beam(self, beam_size: int) -> Engine: ...


class BatchStore(Protocol):
    """Where an engine keeps what each batch it decodes came out as, by a key made from
    the batch's inputs and decoding settings, and finds it again instead of decoding it.

    A batch job gives its workers one (:mod:`tarjama.batch.checkpoints`): a job killed in
    the middle of a pool then decodes again only the batch it was in, and since the key
    holds everything that decides the batch's output, what it takes back is what it would
    have decoded. Values are opaque to the store; ``rows`` is the batch's size.
    """

    def get(self, key: bytes) -> bytes | None: ...

    def put(self, key: bytes, value: bytes, rows: int) -> None: ...


@runtime_checkable
class StoringEngine(Engine, Protocol):
    """An engine that can keep its batches in a :class:`BatchStore`."""

    def with_batch_store(self, store: BatchStore | None) -> Engine: ...


@runtime_checkable
class BulkCounter(Engine, Protocol):
    """Token counting in bulk: ``count_tokens`` of many texts in one call, since a call per
    text is slow beside busy threads (each call into a tokenizer may wait for the GIL)."""

    def count_tokens_many(self, texts: Sequence[str], source: str) -> list[int]: ...


@runtime_checkable
class Streamer(Engine, Protocol):
    """Streaming: one text's translation in pieces as it is decoded (an LLM's tokens).
    The pieces joined are the text ``translate_batch`` gives for it."""

    def translate_stream(self, text: str, source: str, target: str) -> Iterator[str]: ...


class Progress(Protocol):
    """Told how a :class:`Reporter`'s batch goes, from any of its threads (so it must be
    thread-safe and quick: the pipeline's only queues what it is told). ``k`` counts the
    texts of the call.

    ``draft(k, text)``: text ``k``'s answer so far, as it is decoded; a later draft replaces
    it (an answer asked again starts over). Nothing of a draft is checked.
    ``final(k, hypothesis)``: text ``k``'s hypothesis, the one the call returns for it, as
    soon as it is known; a wrapper may tell it again (the first one stands).
    Either may raise :class:`~tarjama.errors.Stopped` to stop the batch (its client is gone).
    """

    def draft(self, k: int, text: str) -> None: ...

    def final(self, k: int, hypothesis: Hypothesis) -> None: ...


@runtime_checkable
class Reporter(Engine, Protocol):
    """A batch that reports its progress: ``translate_batch`` also takes ``progress=``
    (:class:`Progress`), told each text's hypothesis once final, before the call returns,
    and, when ``drafts`` is true, each text's answer as it is decoded (an LLM's tokens).
    A wrapper (the guard, the server's coalescer) reports and says what its engine does."""

    @property
    def drafts(self) -> bool: ...

    def translate_batch(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        *,
        num_alternatives: int = 0,
        progress: Progress | None = None,
    ) -> list[Hypothesis]: ...


@dataclass(frozen=True)
class Hints:
    """What the pipeline knows of one text it hands a :class:`Hinted` engine: translation
    memory matches as examples (source, target), the glossary terms that occur in it as
    required renderings (source, target), the paragraph it belongs to (texts of one
    paragraph share ``paragraph``, counted in the call; -1 unknown) and the source of the
    paragraph before it (``context``), so an LLM translates paragraph by paragraph."""

    examples: tuple[tuple[str, str], ...] = field(default=())
    terms: tuple[tuple[str, str], ...] = field(default=())
    paragraph: int = -1
    context: str = ""
    #: An NMT model's translation for the LLM to edit (``--llm-post-edit``), or "".
    draft: str = ""


@runtime_checkable
class Hinted(Engine, Protocol):
    """An engine that reads the newsroom's memory and glossary (an LLM's prompt):
    ``translate_batch`` also takes ``hints=``, one :class:`Hints` (or None) per text.
    ``hinted`` says whether it reads them (a wrapper says what the engine it wraps does)."""

    @property
    def hinted(self) -> bool: ...

    def translate_batch(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        *,
        num_alternatives: int = 0,
        hints: Sequence[Hints | None] | None = None,
    ) -> list[Hypothesis]: ...


def can_hint(engine: Engine) -> TypeGuard[Hinted]:
    """Whether ``engine`` takes the memory's examples and the glossary's terms."""
    return isinstance(engine, Hinted) and engine.hinted


def can_align(engine: Engine) -> TypeGuard[Aligner]:
    """Whether ``engine`` gives word alignments for the texts flagged in ``align=``."""
    return isinstance(engine, Aligner) and engine.aligns


def can_align_targets(engine: Engine) -> TypeGuard[TargetAligner]:
    """Whether ``engine`` can align a given translation with its source."""
    return isinstance(engine, TargetAligner) and engine.aligns_targets


def can_beam(engine: Engine) -> TypeGuard[Beamed]:
    """Whether ``engine`` can decode with another beam (:meth:`Beamed.with_beam`)."""
    return isinstance(engine, Beamed)


def can_store(engine: Engine) -> TypeGuard[StoringEngine]:
    """Whether ``engine`` can keep its batches in a :class:`BatchStore`."""
    return isinstance(engine, StoringEngine)


def can_stream(engine: Engine) -> TypeGuard[Streamer]:
    """Whether ``engine`` can give one text's translation piece by piece."""
    return isinstance(engine, Streamer)


def can_report(engine: Engine) -> TypeGuard[Reporter]:
    """Whether ``engine`` reports a batch's progress (``progress=``); its ``drafts`` say
    whether drafts come too."""
    return isinstance(engine, Reporter)


def count_tokens_many(engine: Engine, texts: Sequence[str], source: str) -> list[int]:
    """``count_tokens`` of each text; in one call where the engine counts in bulk."""
    if isinstance(engine, BulkCounter):
        return list(engine.count_tokens_many(texts, source))
    return [engine.count_tokens(t, source) for t in texts]


# -- counting once -----------------------------------------------------------------------

T = TypeVar("T")


class Carry(Generic[T]):
    """What an engine made of each text when counting its tokens (its token units), kept
    until the text is translated: a text is then tokenized once on its way through the
    pipeline (which counts it to cut it), the server's coalescer (which counts its batch)
    and the engine (which decodes it). Thread-safe; bounded by the tokens it holds, the
    oldest let go first (a text counted and never translated, one cut into pieces, goes
    that way).

    ``make(texts, source)`` makes the values of many texts in one call; ``size`` is a
    value's weight against ``limit``.
    """

    def __init__(
        self,
        make: Callable[[list[str], str], list[T]],
        size: Callable[[T], int],
        limit: int = 1 << 16,
    ) -> None:
        self._make = make
        self._size_of = size
        self.limit = limit
        self._held: OrderedDict[tuple[str, str], tuple[int, T]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def peek(self, texts: Sequence[str], source: str) -> list[T]:
        """Each text's value; those made now are kept for :meth:`take`."""
        with self._lock:
            found = {t: held[1] for t in texts if (held := self._held.get((source, t)))}
        made = self._made(texts, source, found)
        with self._lock:
            for text, value in made.items():
                self._keep((source, text), value)
        return [found[t] if t in found else made[t] for t in texts]

    def take(self, texts: Sequence[str], source: str) -> list[T]:
        """Each text's value, let go of: the kept ones, and the others made now."""
        found: dict[str, T] = {}
        with self._lock:
            for text in texts:
                held = self._held.pop((source, text), None)
                if held is not None:
                    self._size -= held[0]
                    found[text] = held[1]
        made = self._made(texts, source, found)
        return [found[t] if t in found else made[t] for t in texts]

    def _made(self, texts: Sequence[str], source: str, found: dict[str, T]) -> dict[str, T]:
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        return dict(zip(missing, self._make(missing, source), strict=True)) if missing else {}

    def _keep(self, key: tuple[str, str], value: T) -> None:
        old = self._held.pop(key, None)
        if old is not None:
            self._size -= old[0]
        size = self._size_of(value)
        self._held[key] = (size, value)
        self._size += size
        while self._size > self.limit and self._held:
            _, (gone, _) = self._held.popitem(last=False)
            self._size -= gone

    def __len__(self) -> int:
        return len(self._held)
