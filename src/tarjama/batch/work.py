"""The stages of a batch job, the same for every backend: read, split, translate, render.

A **pool** is a run of documents translated together: every sentence of its documents
reaches the engine in one call, deduplicated (:meth:`Translator.translate_documents`).
Each stage is a plain function of picklable values, so the local backend runs them in
threads and the Ray backend as Ray Data stages. A document that fails in any stage fails
alone, with its error; the others go on.

A formatted document (HTML, DOCX, ...: :class:`~.formats.DocumentFile`) is not split
here: the translate stage hands its file to :meth:`Translator.translate_file`, which
translates it sentence by sentence with its inline codes and checks it, exactly as
``tarjama translate`` does; its output is that file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from ..document import Document, Signature, TranslatedDocument
from ..engines import BatchStore, can_store
from ..errors import TarjamaError
from ..pipeline import Known, KnownStage, TranslatedFile, Translator, segment
from ..pipeline.guard import EDITED
from .documents import JobFormats
from .formats import Entry, Fields, Source, digest


class Translators(Protocol):
    """What a job translates with: each worker (a thread, a Ray actor) calls it once to
    load its own translator. It must pickle, to reach Ray actors."""

    def __call__(self, threads: int | None = None) -> Translator: ...

    @property
    def source(self) -> str: ...

    @property
    def settings(self) -> dict[str, Any]: ...


@runtime_checkable
class PinsMemory(Protocol):
    """Translators whose memory can be read as it was at a moment (ISO 8601 UTC): a job
    pins it to its start, so that an edit during the job changes no later pool."""

    def pinned(self, moment: str) -> Translators: ...


@dataclass(frozen=True)
class DocRef:
    """Where to find a document of the plan."""

    name: str
    record: str
    source: str
    format: str
    offset: int = 0
    length: int = 0
    input_hash: str = ""
    text: str | None = None  # a sentence that recurs across pools (format REPEATS)


#: The format of the sentences a job translates ahead because they recur across pools.
REPEATS = "(repeats)"


@dataclass
class Pool:
    index: int
    docs: list[DocRef]


@dataclass
class Work:
    """A document on its way through the stages."""

    ref: DocRef
    source: Source | None = None
    split: Document | None = None
    translated: TranslatedDocument | None = None
    file: TranslatedFile | None = None  # a formatted document, translated whole
    error: str | None = None


@dataclass
class DocResult:
    """What the journal records of a document."""

    name: str
    record: str
    state: str  # "done" | "failed"
    input_hash: str
    error: str | None = None
    output: bytes = b""
    output_hash: str | None = None
    #: The model's signature (the journal records its text form).
    signature: Signature | None = None
    sentences: int = 0
    memory: int = 0
    glossary: int = 0
    #: Sentences whose LLM edit passed the checks (``--llm-post-edit``).
    edits: int = 0
    errors: int = 0
    warnings: int = 0
    checks: dict[str, list[int]] = field(default_factory=dict)
    score: float | None = None
    #: Its riskiest sentence's "needs a look" score (:mod:`tarjama.fidelity.risk`).
    needs_a_look: float | None = None


@dataclass
class PoolResult:
    index: int
    docs: list[DocResult]
    seconds: float = 0.0
    #: For a pool of repeats: each sentence and how it came out (None: it did not come
    #: out as one sentence, and is left to the pools that hold it).
    known: list[tuple[str, Known | None]] = field(default_factory=list)
    #: The keys of the engine batches it kept on the way (:mod:`.checkpoints`).
    batches: list[bytes] = field(default_factory=list)


def worker_translator(
    translators: Translators,
    threads: int | None,
    known: Mapping[str, Known] | None,
    store: BatchStore | None = None,
) -> Translator:
    """A worker's translator; with ``known``, sentences translated ahead fill their
    segments; with ``store``, its engine keeps each batch there (when it can)."""
    translator = translators(threads)
    if known:
        translator = translator.with_stages(KnownStage(known))
    if store is not None and can_store(translator.engine):
        translator = translator.with_engine(translator.engine.with_batch_store(store))
    return translator


def read_pool(pool: Pool, fields: Fields, formats: JobFormats) -> list[Work]:
    """Read a pool's documents; a file of records is opened once for all of its records."""
    work = [Work(ref) for ref in pool.docs]
    by_file: dict[tuple[str, str], list[Work]] = {}
    for w in work:
        if w.ref.format == REPEATS:
            w.source = Source(w.ref.text or "", "")
        else:
            by_file.setdefault((w.ref.source, w.ref.format), []).append(w)
    for (source, fmt), items in by_file.items():
        entries = [Entry(w.ref.record, "", 0, w.ref.offset, w.ref.length) for w in items]
        try:
            sources = formats.by_name(fmt).read(Path(source), entries, fields)
        except Exception as exc:  # this file's documents fail, the job goes on
            for w in items:
                w.error = _reason(exc)
            continue
        for w, src in zip(items, sources, strict=True):
            w.source = src
    return work


def split_pool(work: list[Work], lang: str) -> list[Work]:
    """Split each document into sentences (apart from the engine, which need not wait)."""
    for w in work:
        if w.source is not None and not w.source.whole:
            w.split = _guard(w, segment, w.source.text, lang)
    return work


def translate_pool(
    translator: Translator, work: list[Work], formats: JobFormats, *, check: bool = True
) -> list[Work]:
    """Translate the pool's documents together; when that fails, each one alone, so that
    only the documents that cannot be translated fail. With ``check=False`` the checks
    are left to :func:`render_pool` (a formatted document is checked here)."""
    _translate_files(translator, work, formats)
    ready = [(w, w.split) for w in work if w.split is not None and w.error is None]
    try:
        docs = translator.translate_documents([split for _, split in ready], check=check)
    except Exception:  # any failure: find the documents that cause it, one by one
        for w, split in ready:
            w.translated = _guard(w, _alone, translator, split, check)
    else:
        for (w, _), doc in zip(ready, docs, strict=True):
            w.translated = doc
    return work


def render_pool(
    index: int,
    work: list[Work],
    fields: Fields,
    seconds: float,
    *,
    formats: JobFormats,
    check: Callable[[TranslatedDocument], TranslatedDocument] | None = None,
) -> PoolResult:
    """Each document's output, its hash and what the checks found; with ``check``, each
    document is checked first (apart from the engine, which need not wait for it).

    A document's text, translation and issues are let go once its result is made, so
    that the issues of a whole pool (many, on a model that loops) are never held at once.
    """
    if work and work[0].ref.format == REPEATS:
        return PoolResult(index, [], seconds, known=[_known(w) for w in work])
    results = []
    for w in work:
        out = w.file.data if w.file is not None else None
        if check is not None and w.translated is not None and w.file is None:
            w.translated = _guard(w, check, w.translated)
        if w.translated is not None and w.source is not None and w.file is None:
            render = formats.by_name(w.ref.format).render
            out = _guard(w, render, w.source, w.translated, fields)
        results.append(_result(w, out))
        w.source = w.split = w.translated = w.file = None
    return PoolResult(index, results, seconds)


def _translate_files(translator: Translator, work: list[Work], formats: JobFormats) -> None:
    """Translate the pool's formatted documents, one file at a time, as ``translate``
    would: without the sentences known from other pools, whose segments would carry no
    word alignment to place inline codes by."""
    own: Translator | None = None
    for w in work:
        if w.source is None or not w.source.whole or w.error is not None:
            continue
        if own is None:
            own = translator.with_stages()
            own.stages = [s for s in own.stages if not isinstance(s, KnownStage)]
        fmt = formats.document(w.ref.format)
        w.file = _guard(w, fmt.translate, own, w.source, w.ref.name)
        w.translated = w.file.document if w.file is not None else None


def _known(w: Work) -> tuple[str, Known | None]:
    sentence, doc = w.ref.text or "", w.translated
    if doc is None or len(doc.segments) != 1 or doc.segments[0].normalized != sentence:
        return sentence, None
    seg = doc.segments[0]
    return sentence, (seg.translation, seg.score, seg.origin)


def _result(w: Work, output: bytes | None) -> DocResult:
    ref, doc = w.ref, w.translated
    input_hash = (w.source.digest if w.source else "") or ref.input_hash
    if output is None or doc is None:
        return DocResult(ref.name, ref.record, "failed", input_hash, error=w.error or "failed")
    checks: dict[str, list[int]] = {}
    for issue in doc.issues:
        counts = checks.setdefault(issue.check, [0, 0])
        counts[0 if issue.severity == "error" else 1] += 1
    segs = doc.segments
    scores = [s.score for s in segs if s.score is not None]
    return DocResult(
        ref.name,
        ref.record,
        "done",
        input_hash,
        output=output,
        output_hash=digest(output),
        signature=doc.model,
        sentences=len(segs),
        memory=sum(s.origin == "memory" for s in segs),
        glossary=sum("glossary" in s.origin for s in segs),
        edits=sum(s.origin.startswith(EDITED) for s in segs),
        errors=sum(c[0] for c in checks.values()),
        warnings=sum(c[1] for c in checks.values()),
        checks=checks,
        score=sum(scores) / len(scores) if scores else None,
        needs_a_look=doc.needs_a_look,
    )


def _alone(translator: Translator, doc: Document, check: bool) -> TranslatedDocument:
    return translator.translate_documents([doc], check=check)[0]


def _guard(w: Work, step: Callable[..., Any], *args: Any) -> Any:
    """Run one document's step; a failure becomes the document's error."""
    try:
        return step(*args)
    except Exception as exc:  # recorded on the document, which fails alone
        w.error = _reason(exc)
        return None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, TarjamaError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"
