"""The one place that orchestrates a translation.

document -> paragraphs -> sentences (text/) -> clean-up -> stages (memory, glossary) ->
engine -> rendering -> stages undone -> checks

Every segment reaches the engine in one call: deduplicated, and cut at clause boundaries
when longer than the model's input limit (then joined back). Every way in splits its
input into segments and hands them to the one step, :meth:`Translator.translate_segments`:

- :meth:`Translator.translate_document`: a whole document, checked
  (:meth:`Translator.translate_documents`: several, pooled in one engine call);
- :meth:`Translator.translate_texts`: short texts (LibreTranslate's ``q``)
  with ranked alternatives, not checked;
- :meth:`Translator.translate`: each text as one sentence, not checked;
- :meth:`Translator.translate_blocks` and :meth:`Translator.translate_file`: formatted
  documents, their inline codes put back (:mod:`.blocks`, :mod:`.files`).
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .._version import __version__
from ..archive import TranslationMemory
from ..document import Document, Segment, Signature, TranslatedDocument
from ..engines import Engine, Hints, Hypothesis, can_align, can_hint, can_report
from ..errors import ConfigError, UnsupportedPair
from ..fidelity import check_document
from ..fidelity.glossary import Glossary, Protected
from ..fidelity.names import NameMatcher
from ..formats import Block, Registry
from ..formats.base import Formatted
from ..text import clean, render, romanize, split_sentences
from ..text.render import DIGIT_SYSTEMS
from .alignment import carry, word_map
from .alignment import joined as joined_alignment
from .blocks import TranslatedBlocks, translate_blocks
from .files import TranslatedFile, translate_file, translate_formatted
from .pieces import cut_to_fit
from .stages import Direction, GlossaryStage, LetterlessStage, MemoryStage, Stage
from .stream import OnEvent, SegmentWatch, TextWatch, drained


@dataclass(frozen=True)
class TextResult:
    """One short text translated: the best translation and its ranked alternatives."""

    text: str
    alternatives: list[str]


def segment(text: str, lang: str) -> Document:
    """Parse paragraphs and split them into cleaned sentences (nothing translated yet)."""
    doc = Document.parse(text)
    for para in doc.paragraphs:
        for sent in split_sentences(para.source, lang):
            para.segments.append(
                Segment(
                    paragraph=para.index,
                    index=len(para.segments),
                    source=sent.text,
                    start=sent.start,
                    end=sent.end,
                    normalized=clean(sent.text, lang).text,
                )
            )
    return doc


#: Copies letterless segments before any stage or the engine sees them.
_COPY = LetterlessStage()


class Translator:
    """Translate sentences or whole documents with one engine and its stages.

    ``memory`` and ``glossary`` become the stages :class:`~.stages.MemoryStage` and
    :class:`~.stages.GlossaryStage`, run in that order before any ``stages`` given.

    Opening a model by name is the workspace's: ``tarjama.Translator.load(name)``
    (:class:`tarjama.workspace.Translator`) applies the home's policy.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        source: str | None = None,
        target: str | None = None,
        glossary: Glossary | None = None,
        names: NameMatcher | None = None,
        memory: TranslationMemory | None = None,
        digits: str | None = None,
        stages: Sequence[Stage] = (),
    ) -> None:
        if digits is not None and digits not in DIGIT_SYSTEMS:
            raise ConfigError(f"digits must be one of {', '.join(DIGIT_SYSTEMS)}, not '{digits}'")
        self.digits = digits
        self.engine = engine
        self.glossary = glossary
        self.memory = memory
        # The names check always runs: the built-in romaniser unless a matcher is given.
        self.names = names or NameMatcher(romanize.transliterate, glossary)
        if source is None or target is None:
            default_source, default_target = default_pair(engine.pairs)
            source = source or default_source
            target = target or default_target
        if (source, target) not in engine.pairs:
            raise UnsupportedPair(engine.name, source, target, engine.pairs)
        self.source = source
        self.target = target
        self.stages: list[Stage] = [
            *([MemoryStage(memory)] if memory is not None else []),
            *([GlossaryStage(glossary)] if glossary is not None else []),
            *stages,
        ]
        self._way = Direction(source, target, digits)

    def with_stages(self, *stages: Stage) -> Translator:
        """The same translator (engine, languages, checks) with ``stages`` run after its
        own; this one is unchanged."""
        other = copy.copy(self)
        other.stages = [*self.stages, *stages]
        return other

    def with_engine(self, engine: Engine) -> Translator:
        """The same translator over another engine (a batch worker's, with a batch store)."""
        other = copy.copy(self)
        other.engine = engine
        return other

    @property
    def signature(self) -> Signature:
        """The engine's signature stamped with tarjama's version: what its output depends on."""
        return dataclasses.replace(self.engine.signature, tarjama=__version__)

    # -- the ways in -------------------------------------------------------------------

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Each text as one unit (a sentence), through the stages, in order; not checked."""
        if isinstance(texts, str):
            raise ConfigError("translate() takes a list of texts; use translate_document()")
        segments = [
            Segment(
                paragraph=0, index=i, source=t, end=len(t), normalized=clean(t, self.source).text
            )
            for i, t in enumerate(texts)
        ]
        self.translate_segments([[s] for s in segments])  # each text on its own
        return [s.translation for s in segments]

    def translate_texts(self, texts: Sequence[str], *, alternatives: int = 0) -> list[TextResult]:
        """Translate short texts keeping their line layout, through the stages; each with
        up to ``alternatives`` ranked alternatives. Not checked.

        Every sentence of every text goes to the engine in one call. An alternative of a
        text takes each sentence's alternative of the same rank (or its best, if fewer).
        """
        docs = [self.segment(t) for t in texts]
        self.translate_segments(
            [p.segments for d in docs for p in d.paragraphs], alternatives=alternatives
        )
        return [
            TextResult(d.text, [alternative(d, k) for k in range(1, alternatives + 1)])
            for d in docs
        ]

    def translate_document(self, text: str) -> TranslatedDocument:
        """Translate a whole document, keeping its paragraph layout, and check it.

        A segment found in the translation memory is filled from it (origin "memory") and
        never reaches the engine; close matches become its ``suggestions``. Glossary terms
        are written inline before the engine and verified (and repaired) after it; a
        segment that is one glossary term is filled from the glossary. Every segment is
        then checked (:mod:`tarjama.fidelity`): a glossary miss, a changed number or a
        left-over word becomes an issue on its segment.
        """
        return self.translate_documents([text])[0]

    def stream_document(self, text: str | Document, on_event: OnEvent) -> TranslatedDocument:
        """:meth:`translate_document`, telling ``on_event`` (in this thread) each segment's
        draft as an LLM writes it and each unit once translated and checked (see
        :mod:`.stream`); returns the same document. ``text`` may come split
        (:meth:`segment`): its paragraphs are then the ones filled."""
        doc = self.segment(text)
        watch = SegmentWatch(doc, on_event, glossary=self.glossary, names=self.names)
        self.translate_segments([p.segments for p in doc.paragraphs], watch=watch)
        return doc

    def translate_documents(
        self, documents: Sequence[str | Document], *, check: bool = True
    ) -> list[TranslatedDocument]:
        """Translate several documents as one pool, then check each one.

        Every segment of every document reaches the engine in one call, so a sentence that
        two documents share is translated once and the engine sees full batches; the result
        of each document is what :meth:`translate_document` gives for it in such a pool.
        Splitting (a document may come already split by :func:`segment`) and, with
        ``check=False``, the checks (:meth:`check`) can run apart from the engine: a batch
        job splits and checks pools while the engine decodes another.
        """
        if isinstance(documents, str | Document):
            raise ConfigError("translate_documents() takes a list; use translate_document()")
        docs = [self.segment(d) for d in documents]
        self.translate_segments([p.segments for d in docs for p in d.paragraphs])
        if check:
            for doc in docs:
                self.check(doc)
        return docs

    def check(self, doc: TranslatedDocument) -> TranslatedDocument:
        """Check a translated document (its segments get their issues), as translating does."""
        check_document(doc, glossary=self.glossary, names=self.names)
        return doc

    def translate_blocks(self, blocks: Sequence[Block], *, check: bool = True) -> TranslatedBlocks:
        """Translate a formatted document's blocks (text with inline codes) like a document:
        the same stages, one engine call, the same checks (unless ``check=False``); then put
        the codes back. The report has one paragraph per block; a code placed without a
        sure alignment is an issue on its segment (see :mod:`.blocks`)."""
        return translate_blocks(self, blocks, check=check)

    def translate_file(self, data: bytes, kind: str, *, where: str = "input",
                       char_limit: int | None = None, registry: Registry | None = None,
                       translate_all: bool = False) -> TranslatedFile:  # fmt: skip
        """Translate a file of format ``kind`` (``html``, ``docx``, ``xliff``, ``srt``,
        ``vtt``, ``markdown``, ``txt``, or one ``registry`` holds) into the same format;
        blocks already in the target language are kept unless ``translate_all``."""
        return translate_file(self, data, kind, where=where, char_limit=char_limit,
                              registry=registry, translate_all=translate_all)  # fmt: skip

    def translate_formatted(
        self,
        documents: Sequence[Formatted],
        *,
        check: bool = True,
        wanted: Callable[[str], bool] | None = None,
    ) -> list[TranslatedFile]:
        """Translate documents already read by :mod:`tarjama.formats` as one pool (one
        engine call); a block whose text fails ``wanted`` is written back as it was (see
        :func:`.files.translate_formatted`)."""
        return translate_formatted(self, documents, check=check, wanted=wanted)

    def segment(self, text: str | Document) -> TranslatedDocument:
        """Parse paragraphs and split them into cleaned sentences (nothing translated yet);
        a document already split is taken as it is."""
        parsed = text if isinstance(text, Document) else segment(text, self.source)
        return TranslatedDocument(
            paragraphs=parsed.paragraphs,
            prefix=parsed.prefix,
            source_lang=self.source,
            target_lang=self.target,
            model=self.signature,
        )

    # -- the one step -----------------------------------------------------------------

    def translate_segments(
        self,
        paragraphs: Sequence[Sequence[Segment]],
        *,
        alternatives: int = 0,
        align: Sequence[bool] | None = None,
        watch: SegmentWatch | None = None,
    ) -> None:
        """Fill every segment of ``paragraphs`` (a stage may fill several consecutive
        segments of one paragraph with one translation): by a stage, else by the engine
        between wrap and unwrap, all of them in one engine call. Not checked.

        A segment the engine translated gets up to ``alternatives`` ranked alternatives
        (``Segment.alternatives``), mended by the stages like its translation. Segments
        flagged in ``align`` (in the order of ``paragraphs``) get their word alignment
        (``Segment.alignment``) when the engine can give one. ``watch`` is told the
        engine's drafts and each segment once filled (:mod:`.stream`).
        """
        way = self._way
        flat = [s for p in paragraphs for s in p]
        wanted = {id(s) for s, a in zip(flat, align or [], strict=False) if a}
        pending = [s for p in paragraphs for s in self._fill(p, way)]
        if watch is not None:
            engine_fills = {id(s) for s in pending}
            watch.filled([s for s in flat if id(s) not in engine_fills])
        inputs: list[str] = []
        states: list[list[Any]] = []
        for seg in pending:
            text, held = seg.normalized, []
            for stage in self.stages:
                text, state = stage.wrap(text, way)
                held.append(state)
            inputs.append(text)
            states.append(held)
        flags = [id(s) in wanted for s in pending] if wanted else None
        hints = None
        if can_hint(self.engine):  # an LLM: what it is told of each sentence
            where = _paragraphs_of(paragraphs)
            hints = [
                hints_of(s, held, *where[id(s)]) for s, held in zip(pending, states, strict=True)
            ]
        told = _Filling(self, pending, inputs, states, watch) if watch is not None else None
        hyps = self.translate_units(
            inputs, num_alternatives=alternatives, align=flags, hints=hints, watch=told
        )
        for k, (seg, text, hyp, held) in enumerate(zip(pending, inputs, hyps, states, strict=True)):
            if told is None or k not in told.done:
                self._unwrap(seg, text, hyp, held)
                if watch is not None:
                    watch.filled([seg])

    def _unwrap(self, seg: Segment, text: str, hyp: Hypothesis, held: list[Any]) -> None:
        """Fill ``seg`` with the engine's ``hyp`` for ``text``, each stage undone in reverse."""
        outputs = [hyp.text, *hyp.alternatives]
        origin = [hyp.origin or "model"]
        for stage, state in reversed(list(zip(self.stages, held, strict=True))):
            changed = False
            for k, out in enumerate(outputs):
                outputs[k], mended = stage.unwrap(out, state, self._way)
                changed = changed or (k == 0 and mended)
            if changed:
                origin.append(stage.name)
        seg.translation, seg.score, seg.origin = outputs[0], hyp.score, "+".join(origin)
        seg.alternatives = tuple(outputs[1:])
        if hyp.alignment is not None:
            seg.alignment = carry(
                hyp.alignment, word_map(text, seg.source), word_map(hyp.text, seg.translation)
            )

    def _fill(self, paragraph: Sequence[Segment], way: Direction) -> list[Segment]:
        """The segments of a paragraph no stage filled (a stage sees runs of open segments)."""
        runs = [[s for s in paragraph if s.normalized and not _COPY.fill(s, way)]]
        for stage in self.stages:
            left = {id(s) for run in runs for s in stage.fill_run(run, way)}
            runs = _consecutive([s for s in paragraph if id(s) in left])
        return [s for run in runs for s in run]

    def translate_units(
        self,
        texts: Sequence[str],
        *,
        num_alternatives: int = 0,
        align: Sequence[bool] | None = None,
        hints: Sequence[Hints | None] | None = None,
        watch: TextWatch | None = None,
    ) -> list[Hypothesis]:
        """Translate cleaned texts in one engine call: deduplicated, long ones cut and
        rejoined, rendered for the target language. No stages: the engine alone.

        Texts flagged in ``align`` come back with a word alignment when the engine can
        align (:func:`~tarjama.engines.can_align`); ``hints`` (one per text) reach an
        engine that reads them (:func:`~tarjama.engines.can_hint`, an LLM's prompt).
        ``watch`` is told each text's drafts and its hypothesis once final, as an engine
        that reports (:func:`~tarjama.engines.can_report`) tells them, else after the call."""
        unique = list(dict.fromkeys(t for t in texts if t))
        aligned = {t for t, a in zip(texts, align or [], strict=False) if a and t}
        pieces, spans = cut_to_fit(self.engine, unique, self.source)
        options: dict[str, Any] = {"num_alternatives": num_alternatives}
        if aligned and can_align(self.engine):
            options["align"] = [
                any(t in aligned for t, (a, b) in spans.items() if a <= k < b)
                for k in range(len(pieces))
            ]
        if hints and can_hint(self.engine):
            hinted = {t: h for t, h in zip(texts, hints, strict=False) if h}
            options["hints"] = [
                next((hinted[t] for t, (a, b) in spans.items() if a <= k < b and t in hinted), None)
                for k in range(len(pieces))
            ]
        told: dict[str, Hypothesis] = {}
        if not pieces:
            raw: list[Hypothesis] = []
        elif watch is not None and can_report(self.engine):
            engine = self.engine
            heard = _Heard(self, pieces, spans, aligned, watch, told)
            raw = drained(
                lambda progress: engine.translate_batch(
                    pieces, self.source, self.target, **options, progress=progress
                ),
                heard.handle,
            )
        else:
            raw = self.engine.translate_batch(pieces, self.source, self.target, **options)
        done: dict[str, Hypothesis] = {}
        for text, (a, b) in spans.items():
            done[text] = told.get(text) or self._joined(text, pieces[a:b], raw[a:b], aligned)
            if watch is not None and text not in told:
                watch.final(text, done[text])
        return [done[t] if t else Hypothesis("", 0.0) for t in texts]

    def _joined(
        self, text: str, pieces: Sequence[str], parts_out: Sequence[Hypothesis], aligned: set[str]
    ) -> Hypothesis:
        """The hypothesis of ``text`` from those of its ``pieces``: joined and rendered."""
        glued = " ".join(h.text for h in parts_out)
        joined = render(glued, self.target, digits=self.digits)
        score = sum(h.score for h in parts_out) / len(parts_out)
        alts: tuple[str, ...] = ()
        if len(parts_out) == 1:
            alts = tuple(
                render(x, self.target, digits=self.digits) for x in parts_out[0].alternatives
            )
        alignment = None
        if text in aligned:
            found = joined_alignment(
                [(p, h.text, h.alignment) for p, h in zip(pieces, parts_out, strict=True)], text
            )
            if found is not None:
                alignment = carry(found, word_map(text, text), word_map(glued, joined))
        origin = next((h.origin for h in parts_out if h.origin), "")
        return Hypothesis(joined, score, alts, alignment, origin)


class _Heard:
    """What a reporting engine tells of ``pieces`` (piece ``k``), for the texts they were
    cut from: a text's draft is its pieces' joined, and it is final (``told``, and
    ``watch``) once every piece of it is."""

    def __init__(
        self,
        translator: Translator,
        pieces: Sequence[str],
        spans: dict[str, tuple[int, int]],
        aligned: set[str],
        watch: TextWatch,
        told: dict[str, Hypothesis],
    ) -> None:
        self.translator, self.pieces, self.spans, self.aligned = translator, pieces, spans, aligned
        self.watch, self.told = watch, told
        self.owner = {k: t for t, (a, b) in spans.items() for k in range(a, b)}
        self.parts: dict[int, Hypothesis] = {}
        self.drafts: dict[int, str] = {}

    def handle(self, kind: str, k: int, value: Any) -> None:
        text = self.owner[k]
        a, b = self.spans[text]
        if k in self.parts or text in self.told:
            return
        if kind == "draft":
            self.drafts[k] = value
            said = (self.parts[j].text if j in self.parts else self.drafts.get(j, "")
                    for j in range(a, b))  # fmt: skip
            self.watch.draft(text, " ".join(x for x in said if x))
            return
        self.parts[k] = value
        if all(j in self.parts for j in range(a, b)):
            parts = [self.parts[j] for j in range(a, b)]
            hyp = self.translator._joined(text, self.pieces[a:b], parts, self.aligned)
            self.told[text] = hyp
            self.watch.final(text, hyp)


class _Filling:
    """:meth:`Translator.translate_segments`' :class:`~.stream.TextWatch`: a text's draft
    is told for each pending segment with that input, and its hypothesis fills them (the
    stages undone) and tells ``watch`` they are filled; ``done`` holds their positions."""

    def __init__(
        self,
        translator: Translator,
        pending: list[Segment],
        inputs: list[str],
        states: list[list[Any]],
        watch: SegmentWatch,
    ) -> None:
        self.translator, self.pending, self.states, self.watch = translator, pending, states, watch
        self.at: dict[str, list[int]] = {}
        for k, text in enumerate(inputs):
            self.at.setdefault(text, []).append(k)
        self.done: set[int] = set()

    def draft(self, text: str, draft: str) -> None:
        for k in self.at.get(text, []):
            self.watch.draft(self.pending[k], draft)

    def final(self, text: str, hypothesis: Hypothesis) -> None:
        ks = [k for k in self.at.get(text, []) if k not in self.done]
        for k in ks:
            self.translator._unwrap(self.pending[k], text, hypothesis, self.states[k])
            self.done.add(k)
        self.watch.filled([self.pending[k] for k in ks])


def _paragraphs_of(paragraphs: Sequence[Sequence[Segment]]) -> dict[int, tuple[int, str]]:
    """Each segment's paragraph (counted in ``paragraphs``) and the source of the paragraph
    before it in the same document (none for the first, or after a gap)."""
    where: dict[int, tuple[int, str]] = {}
    for k, para in enumerate(paragraphs):
        before = paragraphs[k - 1] if k else []
        follows = bool(para and before) and before[-1].paragraph + 1 == para[0].paragraph
        context = " ".join(s.source for s in before) if follows else ""
        where.update((id(s), (k, context)) for s in para)
    return where


def hints_of(seg: Segment, held: Sequence[Any], paragraph: int = -1, context: str = "") -> Hints:
    """What the stages know of a segment, for an engine that reads it: the memory's close
    matches (its suggestions), the glossary terms the glossary stage wrote in, and its
    paragraph with the one before it."""
    examples = tuple((str(s["source"]), str(s["target"])) for s in (seg.suggestions or [])[:3])
    terms = tuple(
        (p.source_text, p.target_text)
        for state in held
        if isinstance(state, list)
        for p in state
        if isinstance(p, Protected)
    )
    return Hints(examples, terms, paragraph, context)


def alternative(doc: Document, rank: int) -> str:
    """The text of ``doc`` with each segment's alternative of ``rank`` (1 is the first) in
    place of its translation, or its translation where it has fewer: how the alternative of
    a text is assembled from those of its sentences."""
    best = [s.translation for s in doc.segments]
    for seg in doc.segments:
        if rank <= len(seg.alternatives):
            seg.translation = seg.alternatives[rank - 1]
    text = doc.text
    for seg, kept in zip(doc.segments, best, strict=True):
        seg.translation = kept
    return text


def _consecutive(segments: list[Segment]) -> list[list[Segment]]:
    """``segments`` (of one paragraph, in order) cut wherever one is missing between two."""
    runs: list[list[Segment]] = []
    for seg in segments:
        if runs and runs[-1][-1].index + 1 == seg.index:
            runs[-1].append(seg)
        else:
            runs.append([seg])
    return runs


def default_pair(pairs: list[tuple[str, str]]) -> tuple[str, str]:
    """ar->en when the model offers it (the newsroom's main direction), else its first pair."""
    if ("ar", "en") in pairs:
        return "ar", "en"
    if not pairs:
        raise ConfigError("the model declares no language pair")
    return pairs[0]
