"""The data model: Document -> Paragraph -> Segment, and plain-text reading and writing.

A document keeps the exact whitespace between its paragraphs (``separator``) so that the
translation comes back in the same layout: one output paragraph per input paragraph,
separated the same way. Line endings are normalised to ``\\n`` on reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DecodeError, FileNotFound, InputError

#: The most one file or stream may hold: far beyond any article or archive file, small
#: enough that a wrong file (a disk image, a video) is refused at once instead of read.
MAX_INPUT_BYTES = 64 * 2**20

#: A segment whose "needs a look" chance is at least even is on a document's short list
#: (``look_first``), which holds at most ``LOOK_FIRST_MAX`` of them.
LOOK_AT = 0.5
LOOK_FIRST_MAX = 10

#: A paragraph is a line holding something other than whitespace.
_CONTENT_LINE = re.compile(r"[^\n]*\S[^\n]*")


@dataclass
class Issue:
    """One fidelity finding on a segment (see :mod:`tarjama.qa`)."""

    check: str
    severity: str  # "error" | "warning"
    message: str
    paragraph: int = 0
    segment: int | None = None
    source_span: tuple[int, int] | None = None
    target_span: tuple[int, int] | None = None
    source_text: str | None = None
    target_text: str | None = None
    #: The finding in an editor's words ("This translation looks much shorter than the
    #: Arabic: a sentence may be missing."); ``message`` keeps the technical figure.
    plain: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "severity": self.severity,
            "message": self.message,
            "plain": self.plain or self.message,
            "paragraph": self.paragraph,
            "segment": self.segment,
            "source_span": list(self.source_span) if self.source_span else None,
            "target_span": list(self.target_span) if self.target_span else None,
            "source_text": self.source_text,
            "target_text": self.target_text,
        }


@dataclass
class Segment:
    """One sentence of the source and its translation.

    ``start``/``end`` are character offsets into the paragraph's source text as the user
    gave it, so reports can point into the original.

    A memory entry may translate several consecutive segments at once (an archive's 2-1
    link, a whole paragraph): its first segment holds the translation and ``match`` (the
    entry, with ``segments``, the indices it covers); the others hold no translation of
    their own and name that first one in ``covered_by``.
    """

    paragraph: int
    index: int
    source: str
    start: int = 0
    end: int = 0
    translation: str = ""
    score: float | None = None
    origin: str = "model"
    issues: list[Issue] = field(default_factory=list)
    suggestions: list[dict[str, Any]] = field(default_factory=list)
    #: The memory entry this segment's translation came from (origin "memory").
    match: dict[str, Any] | None = None
    #: The index of the segment whose memory match covers this one too.
    covered_by: int | None = None
    #: The cleaned source the model and the memory see (not part of the JSON output).
    normalized: str = field(default="", repr=False)
    #: A sentence of a formatted document with inline codes to place: the source with
    #: them written in (``<g1>…</g1>``, ``<x2/>``; the memory's key), and the translation
    #: with them put back. None for plain text.
    markup: str | None = field(default=None, repr=False)
    target_markup: str | None = field(default=None, repr=False)
    #: (source word, translation word) links, when the engine was asked to align.
    alignment: tuple[tuple[int, int], ...] | None = field(default=None, repr=False)
    #: The engine's ranked alternatives to ``translation``, mended like it, when they were
    #: asked for (not part of the JSON output).
    alternatives: tuple[str, ...] = field(default=(), repr=False)
    #: What an editor did to the translation, when a document is rendered again from the
    #: page: "approved" or "edited" (not part of the JSON output; XLIFF states follow it).
    review: str | None = field(default=None, repr=False)
    #: The chance that this translation needs fixing, from its issues and the model's
    #: confidence (set by the checks, :func:`tarjama.fidelity.needs_a_look`); None when
    #: unchecked, and on a segment whose memory match another segment holds.
    needs_a_look: float | None = None

    def to_json(self) -> dict[str, Any]:
        out = {
            "index": self.index,
            "source": self.source,
            "start": self.start,
            "end": self.end,
            "translation": self.translation,
            "score": self.score,
            "origin": self.origin,
            "issues": [i.to_json() for i in self.issues],
            "needs_a_look": self.needs_a_look,
            "suggestions": self.suggestions,
            "match": self.match,
            "covered_by": self.covered_by,
        }
        if self.markup is not None:
            out["markup"] = self.markup
            out["target_markup"] = self.target_markup
        return out


@dataclass
class Paragraph:
    index: int
    source: str
    separator: str = ""
    segments: list[Segment] = field(default_factory=list)
    #: Written back as it was, never translated (a document's block already in the target
    #: language, or without letters): its translation is its source.
    kept: bool = False

    @property
    def translation(self) -> str:
        if self.kept:
            return self.source
        return " ".join(s.translation for s in self.segments if s.translation)

    def units(self) -> list[list[Segment]]:
        """The segments grouped as they were translated: a memory match covering several
        segments is one unit, every other segment a unit of its own."""
        out: list[list[Segment]] = []
        for seg in self.segments:
            if seg.covered_by is not None and out and out[-1][0].index == seg.covered_by:
                out[-1].append(seg)
            else:
                out.append([seg])
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "source": self.source,
            "translation": self.translation,
            "segments": [s.to_json() for s in self.segments],
        }


@dataclass
class Document:
    """Paragraphs of a text plus the exact whitespace around them."""

    paragraphs: list[Paragraph]
    prefix: str = ""

    @classmethod
    def parse(cls, text: str) -> Document:
        """Split ``text`` into paragraphs: every line with content is one paragraph."""
        text = normalize_newlines(text)
        paragraphs: list[Paragraph] = []
        prefix = text
        last_end = 0
        for match in _CONTENT_LINE.finditer(text):
            line = match.group(0)
            lead = len(line) - len(line.lstrip())
            start = match.start() + lead
            end = match.start() + len(line.rstrip())
            gap = text[last_end:start]
            if paragraphs:
                paragraphs[-1].separator = gap
            else:
                prefix = gap
            paragraphs.append(Paragraph(index=len(paragraphs), source=text[start:end]))
            last_end = end
        if paragraphs:
            paragraphs[-1].separator = text[last_end:]
        return cls(paragraphs=paragraphs, prefix=prefix if paragraphs else text)

    @property
    def segments(self) -> list[Segment]:
        return [s for p in self.paragraphs for s in p.segments]

    @property
    def source_text(self) -> str:
        return self.prefix + "".join(p.source + p.separator for p in self.paragraphs)

    @property
    def text(self) -> str:
        """The translation, laid out exactly like the source."""
        return self.prefix + "".join(p.translation + p.separator for p in self.paragraphs)


#: A decoding setting's value: what a signature may hold, and what JSON gives back.
Setting = str | int | float | bool

_NAMED = ("model", "model_id", "tokenizer")


@dataclass(frozen=True)
class Signature:
    """Everything a translation depends on, so that equal signatures give equal output:
    the model (its name and the id of its weights), the tokenizer's hash, the decoding
    settings (beam, limits, compute type, an LLM's temperature and prompt...), and the
    tarjama version when the pipeline stamps it (:attr:`tarjama.pipeline.Translator.signature`).

    Frozen and hashable: it keys the server's coalescing groups and its cache. Its JSON
    form (:meth:`to_json`) is the flat object of the API and the CLI (``model``,
    ``model_id``, ``tokenizer``, then the settings in order, then ``tarjama``), its text
    form (:meth:`to_text`) the line a batch journal records.
    """

    model: str
    model_id: str = ""
    tokenizer: str = ""
    #: (name, value) pairs in the engine's order; use :meth:`of` to write them as keywords.
    decoding: tuple[tuple[str, Setting], ...] = ()
    tarjama: str = ""

    @classmethod
    def of(
        cls, model: str, *, model_id: str = "", tokenizer: str = "", **decoding: Setting
    ) -> Signature:
        return cls(model, model_id, tokenizer, tuple(decoding.items()))

    def setting(self, name: str) -> Setting | None:
        """A decoding setting's value (None when the engine has no such setting)."""
        return dict(self.decoding).get(name)

    def to_json(self) -> dict[str, Setting]:
        out: dict[str, Setting] = {"model": self.model, "model_id": self.model_id}
        out["tokenizer"] = self.tokenizer
        out.update(self.decoding)
        if self.tarjama:
            out["tarjama"] = self.tarjama
        return out

    @classmethod
    def from_json(cls, data: object) -> Signature:
        """The signature :meth:`to_json` gave (a reader of stored output takes it back)."""
        if not isinstance(data, dict) or not isinstance(data.get("model"), str):
            raise InputError("a signature is a JSON object with a 'model' name")
        decoding = tuple((k, v) for k, v in data.items() if k not in (*_NAMED, "tarjama"))
        if not all(isinstance(k, str) and isinstance(v, Setting) for k, v in data.items()):
            raise InputError("a signature's settings are strings, numbers or booleans")
        named = [str(data.get(k, "")) for k in _NAMED]
        return cls(named[0], named[1], named[2], decoding, str(data.get("tarjama", "")))

    def to_text(self) -> str:
        """One line, ``model:NAME|model_id:...|beam:4|...``: a batch journal's record."""
        return "|".join(f"{k}:{v}" for k, v in self.to_json().items())

    def __str__(self) -> str:
        return self.to_text()


@dataclass
class TranslatedDocument(Document):
    """A document with its translation and where it came from."""

    source_lang: str = ""
    target_lang: str = ""
    model: Signature | None = None

    @property
    def issues(self) -> list[Issue]:
        return [i for s in self.segments for i in s.issues]

    @property
    def needs_a_look(self) -> float | None:
        """The riskiest segment's score: a document is as risky as its worst sentence."""
        scores = [s.needs_a_look for s in self.segments if s.needs_a_look is not None]
        return max(scores) if scores else None

    def look_first(self) -> list[dict[str, Any]]:
        """The segments an editor should read first: those more likely wrong than right,
        riskiest first, at most :data:`LOOK_FIRST_MAX`."""
        risky = [
            s for s in self.segments if s.needs_a_look is not None and s.needs_a_look >= LOOK_AT
        ]
        risky.sort(key=lambda s: (-(s.needs_a_look or 0.0), s.paragraph, s.index))
        return [
            {
                "paragraph": s.paragraph,
                "segment": s.index,
                "needs_a_look": s.needs_a_look,
                "checks": sorted({i.check for i in s.issues}),
            }
            for s in risky[:LOOK_FIRST_MAX]
        ]

    def to_json(self) -> dict[str, Any]:
        out = {
            "model": _model_json(self.model),
            "source": self.source_lang,
            "target": self.target_lang,
            "text": self.text,
            "paragraphs": [p.to_json() for p in self.paragraphs],
            "needs_a_look": self.needs_a_look,
            "look_first": self.look_first(),
        }
        # An LLM's guard (pipeline/guard.py) marks the segments it asked again or handed
        # to the NMT model: the report counts them.
        origins = [s.origin for s in self.segments]
        fallbacks = sum("llm→" in o for o in origins)
        retries = fallbacks + sum("+retry" in o for o in origins)
        if retries:
            out["guard"] = {"retries": retries, "fallbacks": fallbacks}
        # --llm-post-edit: the edits kept (the others' drafts stand).
        edits = sum(o.startswith("llm-edit") for o in origins)
        if edits:
            out["post_edit"] = {"edits_kept": edits}
        return out


def _model_json(signature: Signature | None) -> dict[str, Any]:
    """The model as the API and the CLI have always written it: its name, its signature,
    and the signature as one line."""
    if signature is None:
        return {}
    return {
        "name": signature.model,
        "signature": signature.to_json(),
        "signature_text": signature.to_text(),
    }


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF; a leading BOM is dropped."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


#: Byte-order marks that name an encoding other than UTF-8 (UTF-32's first: its
#: little-endian mark begins with UTF-16's).
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def decode_bytes(data: bytes, where: str = "input") -> str:
    """Decode UTF-8 (BOM allowed), or UTF-16/UTF-32 by their byte-order mark, naming the
    first bad byte's offset on failure.

    NUL bytes say binary (an image, an archive) before any decoding error would: text in
    any encoding tarjama could be given has none.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return normalize_newlines(data[len(bom) :].decode(codec))
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{where} starts with a {codec.upper()} byte-order mark but is not "
                    f"{codec.upper()} (bad bytes at offset {exc.start + len(bom)})"
                ) from None
    if b"\x00" in data:
        raise InputError(f"{where} looks binary (it contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DecodeError(exc.start, where) from exc
    return normalize_newlines(text)


def too_large(where: str, limit: int, size: int | None = None) -> InputError:
    """The error for an input over ``limit`` bytes (``size`` when it is known)."""
    most = f"{limit / 2**20:g} MB"
    if size is None:
        return InputError(
            f"{where} holds more than {most}, the most tarjama reads at a time "
            "(split it into smaller files)"
        )
    return InputError(
        f"{where} is {size / 2**20:.1f} MB; tarjama reads at most {most} at a time "
        "(split it into smaller files)"
    )


def read_bytes(path: str | Path, *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """Read a file's bytes, raising tarjama errors for a missing or huge file."""
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{path} is a directory, not a file")
    if not p.is_file():
        raise FileNotFound(str(path))
    try:
        size = p.stat().st_size
        if size > limit:
            raise too_large(str(path), limit, size)
        return p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc


def read_text(path: str | Path, *, limit: int = MAX_INPUT_BYTES) -> str:
    """Read a UTF-8 text file, raising tarjama errors for a missing, huge or undecodable file."""
    return decode_bytes(read_bytes(path, limit=limit), where=str(path))
