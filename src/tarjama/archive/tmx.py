"""Files into and out of the translation memory: TMX, XLIFF, TSV and bilingual archives.

Exchange formats: TMX and XLIFF through translate-toolkit, and TSV.
TMX keeps everything an entry has: both languages (``xml:lang`` on each ``tuv``), the
creation time (``creationdate`` on the ``tu``), the origin (the ``tu``'s note), who
approved it (``creationid``) and where (a ``prop`` of type ``x-context``). TSV is the
plain-text equivalent, one entry per line with a header::

    source_lang  target_lang  source  target  origin  created  author  context

(a header without the last two columns, as tarjama wrote before editors' approvals, is
read too).

Tabs, newlines and backslashes inside a field are written as ``\\t``, ``\\n`` and ``\\\\``.
A TSV without that header is read as ``source<TAB>target`` lines (Arabic to English).
XLIFF is read only, and picky (:mod:`.xliff_in`). Bilingual archives (text files) go
through :mod:`.aligner`, and only their confident sentence links become entries, aligned
in two passes with the lexicon they teach (:meth:`~.aligner.Aligner.align_many`).
:func:`add_loaded` stores entries and adds what the new ones teach to the memory's
lexicon. Parse errors become :class:`~tarjama.errors.InputError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from translate.storage import tmx

from ..document import read_text
from ..errors import InputError
from ..text import script_of
from .aligner import Aligner
from .entries import Entry, ImportResult, now
from .lexicon import CONFIDENT, Lexicon
from .memory import TranslationMemory
from .readers import paragraphs_of, read_articles
from .types import Article, SentencePair
from .xliff_in import UNREVIEWED, read_xliff

TSV_HEADER = (
    "source_lang",
    "target_lang",
    "source",
    "target",
    "origin",
    "created",
    "author",
    "context",
)
#: The header tarjama wrote before entries had an author and a context.
_TSV_HEADER_6 = TSV_HEADER[:6]
_CONTEXT_PROP = "x-context"
#: Marks a removed entry in an export with tombstones (``--include-removed``).
_REMOVED_PROP = "x-removed"
#: The TSV header with tombstones: a ninth column, ``removed`` (1 or empty).
TSV_HEADER_REMOVED = (*TSV_HEADER, "removed")

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n"}
_UNESCAPES = {v: k for k, v in _ESCAPES.items()}
_ESCAPED = re.compile(r"\\[\\tn]")


def _to_tmx_date(created: str) -> str:
    """``2026-11-29T02:16:31Z`` -> ``20261129T021631Z`` (TMX's format)."""
    return created.replace("-", "").replace(":", "")


def _from_tmx_date(value: str | None) -> str:
    if not value:
        return now()
    try:
        moment = datetime.strptime(value, "%Y%m%dT%H%M%SZ")
    except ValueError as exc:
        raise InputError(f"bad TMX creationdate {value!r}") from exc
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_tmx(entries: Iterable[Entry], path: str | Path) -> int:
    """Write entries as TMX 1.4; returns how many."""
    store = tmx.tmxfile(sourcelanguage="ar")
    count = 0
    for entry in entries:
        unit = store.addsourceunit(entry.source, entry.source_lang)  # type: ignore[no-untyped-call]
        unit.settarget(entry.target, entry.target_lang)
        unit.xmlelement.set("creationdate", _to_tmx_date(entry.created))
        if entry.author:
            unit.xmlelement.set("creationid", entry.author)
        if entry.origin:
            unit.addnote(entry.origin)
        props = [(_CONTEXT_PROP, entry.context)] if entry.context else []
        if _removed(entry):
            props.append((_REMOVED_PROP, "true"))
        for at, (kind, text) in enumerate(props):
            prop = unit.xmlelement.makeelement("prop", {"type": kind})
            prop.text = text
            # TMX puts a tu's notes and props before its tuvs.
            unit.xmlelement.insert(len(unit.xmlelement.findall("note")) + at, prop)
        count += 1
    try:
        store.savefile(str(path))
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from exc
    return count


def read_tmx(path: str | Path) -> Iterator[Entry]:
    """Entries of a TMX file: one per ``tu`` with a source and a target ``tuv``."""
    try:
        with open(path, "rb") as handle:
            store = tmx.tmxfile(handle)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    except Exception as exc:  # lxml and translate-toolkit raise many kinds on bad XML
        raise InputError(f"{path} is not a valid TMX file: {exc}") from exc
    default_source = store.sourcelanguage or "ar"
    for unit in store.units:
        nodes = unit.getlanguageNodes()
        if len(nodes) < 2:
            continue
        langs = [node.get(_XML_LANG) or "" for node in nodes]
        source_lang = unit.xmlelement.get("srclang") or default_source
        s = langs.index(source_lang) if source_lang in langs else 0
        t = 1 if s == 0 else 0
        context = unit.xmlelement.find(f"prop[@type='{_CONTEXT_PROP}']")
        if unit.xmlelement.find(f"prop[@type='{_REMOVED_PROP}']") is not None:
            continue  # a tombstone: an import never brings a removed entry back
        yield Entry(
            source=unit.getNodeText(nodes[s]) or "",
            target=unit.getNodeText(nodes[t]) or "",
            source_lang=langs[s],
            target_lang=langs[t],
            origin=unit.getnotes() or "",
            created=_from_tmx_date(unit.xmlelement.get("creationdate")),
            author=unit.xmlelement.get("creationid") or "",
            context=(context.text or "") if context is not None else "",
            detail=_carried(unit.xmlelement),
        )


def _carried(tu: Any) -> tuple[tuple[str, object], ...]:
    """What a ``tu`` says of its life besides its creation, for the entry's history."""
    out: list[tuple[str, object]] = []
    for name in ("creationid", "changeid", "changedate", "usagecount", "lastusagedate"):
        value = tu.get(name)
        if value:
            out.append((name, int(value) if name == "usagecount" and value.isdigit() else value))
    return tuple(out)


def _removed(entry: Entry) -> bool:
    return dict(entry.detail).get("removed") is True


def _escape(field: str) -> str:
    return "".join(_ESCAPES.get(ch, ch) for ch in field)


def _unescape(field: str) -> str:
    return _ESCAPED.sub(lambda m: _UNESCAPES[m.group(0)], field)


def write_tsv(entries: Iterable[Entry], path: str | Path, *, tombstones: bool = False) -> int:
    """Write entries as TSV; with ``tombstones`` a ninth column says which are removed."""
    lines = ["\t".join(TSV_HEADER_REMOVED if tombstones else TSV_HEADER)]
    for e in entries:
        fields = (
            e.source_lang,
            e.target_lang,
            e.source,
            e.target,
            e.origin,
            e.created,
            e.author,
            e.context,
            *(("1" if _removed(e) else "",) if tombstones else ()),
        )
        lines.append("\t".join(_escape(f) for f in fields))
    try:
        Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from exc
    return len(lines) - 1


def read_tsv(path: str | Path) -> Iterator[Entry]:
    lines = read_text(path).split("\n")
    header = tuple(lines[0].split("\t")) if lines else ()
    full = header in (TSV_HEADER, _TSV_HEADER_6, TSV_HEADER_REMOVED)
    for number, line in enumerate(lines[1:] if full else lines, 2 if full else 1):
        if not line.strip():
            continue
        fields = [_unescape(f) for f in line.split("\t")]
        if full and len(fields) == len(header):
            if len(fields) == len(TSV_HEADER_REMOVED) and fields.pop():
                continue  # a tombstone, as in TMX
            rest = [*fields[4:8], "", ""]  # a 6-column header has no author, no context
            yield Entry(
                fields[2], fields[3], fields[0], fields[1], rest[0], rest[1], rest[2], rest[3]
            )
        elif not full and len(fields) == 2:
            yield Entry(fields[0], fields[1], origin=f"{path}:{number}")
        else:
            want = len(header) if full else 2
            raise InputError(f"{path}:{number}: expected {want} tab-separated fields")


# --- importing any supported file ------------------------------------------------------------


@dataclass(frozen=True)
class MemoryFormat:
    """A bilingual exchange file ``memory import`` reads: its name, suffixes and reader.

    These are files of sentence pairs, not documents, so they are not formats of
    :mod:`tarjama.formats` (which sits above this layer); a new one is one entry of
    :data:`MEMORY_FORMATS`."""

    kind: str
    suffixes: tuple[str, ...]
    description: str
    read: Callable[[Path], Iterator[Entry]]


MEMORY_FORMATS = (
    MemoryFormat("tmx", (".tmx",), "TMX", read_tmx),
    MemoryFormat("xliff", (".xlf", ".xliff"), "XLIFF with its targets", read_xliff),
    MemoryFormat("tsv", (".tsv",), "tab-separated pairs", read_tsv),
)
_BY_KIND = {f.kind: f for f in MEMORY_FORMATS}
_BY_SUFFIX = {suffix: f.kind for f in MEMORY_FORMATS for suffix in f.suffixes}
#: What ``--format`` takes: ``auto`` (by suffix), bilingual archives, pairs of one-language
#: files, and each exchange format.
FORMATS = ("auto", "bilingual", "pair", *_BY_KIND)


@dataclass
class Loaded:
    """Entries read from files, and the alignment links left out as low-confidence.

    ``learnable`` are the entries a lexicon may learn from: the confident 1-1 links of
    the archives aligned here. (Exchange files teach it nothing: counting word pairs costs
    more than storing their pairs, and they need no alignment.)
    """

    entries: list[Entry] = field(default_factory=list)
    flagged: list[SentencePair] = field(default_factory=list)
    learnable: list[Entry] = field(default_factory=list)
    #: Targets left out as machine translation or unreviewed (:mod:`.xliff_in`).
    unreviewed: int = 0


def aligned_entries(articles: Sequence[Article], aligner: Aligner) -> Loaded:
    """Sentence pairs of aligned articles as entries; flagged links are kept apart."""
    loaded = Loaded()
    created = now()
    for alignment in aligner.align_many(articles):
        for pair in alignment.sentences:
            if pair.flagged:
                loaded.flagged.append(pair)
                continue
            entry = Entry(pair.source, pair.target, "ar", "en", alignment.origin, created)
            loaded.entries.append(entry)
            if pair.kind == "1-1" and pair.score >= CONFIDENT:
                loaded.learnable.append(entry)
    return loaded


def add_loaded(
    memory: TranslationMemory,
    loaded: Loaded,
    *,
    on_progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Store ``loaded``'s entries, and add what the new ones teach to the memory's lexicon
    (pairs already stored taught it before: importing a file twice counts it once)."""
    fresh = [e for e in loaded.learnable if not memory.has(e)]
    result = memory.add_many(loaded.entries, on_progress=on_progress)
    for source_lang, target_lang in sorted({(e.source_lang, e.target_lang) for e in fresh}):
        learned = Lexicon(source_lang, target_lang)
        learned.learn(
            (e.source, e.target)
            for e in fresh
            if (e.source_lang, e.target_lang) == (source_lang, target_lang)
        )
        memory.add_to_lexicon(learned)
    return result


def load_entries(
    paths: Sequence[str | Path],
    fmt: str = "auto",
    *,
    aligner: Aligner | None = None,
    include_unreviewed: bool = False,
) -> Loaded:
    """Read memory entries from ``paths`` in format ``fmt`` (see :data:`FORMATS`).

    ``auto`` decides by suffix (.tmx, .xlf/.xliff, .tsv); a folder or a text file holding
    both scripts is a bilingual archive; one-language text files pair up in the order
    given (Arabic, then its English). ``pair`` reads the paths two by two.

    Unreviewed targets (machine translation, ``needs-*`` states) are counted in
    ``unreviewed`` and left out, or with ``include_unreviewed`` kept as suggestions.
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown memory format {fmt!r} (known: {', '.join(FORMATS)})")
    aligner = aligner or Aligner()
    loaded = Loaded()
    articles: list[Article] = []
    halves: list[Path] = []
    for raw in paths:
        path = Path(raw)
        kind = fmt if fmt != "auto" else _BY_SUFFIX.get(path.suffix.lower(), "text")
        if kind in _BY_KIND:
            for entry in _BY_KIND[kind].read(path):
                unreviewed = UNREVIEWED in dict(entry.detail)
                loaded.unreviewed += unreviewed and not include_unreviewed
                if include_unreviewed or not unreviewed:
                    loaded.entries.append(entry)
        elif kind == "pair" or (kind == "text" and not path.is_dir() and _one_language(path)):
            halves.append(path)
            if len(halves) == 2:
                articles.extend(read_articles(*halves))
                halves = []
        else:
            articles.extend(read_articles(path))
    if halves:
        raise InputError(f"{halves[0]} holds one language and has no partner file")
    aligned = aligned_entries(articles, aligner)
    loaded.entries.extend(aligned.entries)
    loaded.flagged.extend(aligned.flagged)
    loaded.learnable.extend(aligned.learnable)
    return loaded


def _one_language(path: Path) -> bool:
    paragraphs = paragraphs_of(read_text(path))
    return len({script_of(p) == "ar" for p in paragraphs}) < 2
