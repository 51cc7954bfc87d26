"""What a batch job reads and writes, by file suffix: the one seam for document formats.

A :class:`Format` turns an input file into documents and a translated document back into
output bytes. Three shapes exist:

- **plain text** (``.txt``): one document per file, its paragraphs one per line;
- **a formatted document** (HTML, DOCX, XLIFF, SRT, WebVTT, Markdown, and any format added
  to a :class:`tarjama.formats.Registry`): one document per file, translated whole by the
  pipeline's ``translate_file`` and written in its own format (:mod:`.documents`);
- **one document per record** (JSONL lines and CSV rows with an id and a text field). Each
  record is translated, journalled and resumed on its own; the output file is assembled
  from the journal once every record of the file is settled.

A job's formats are a :class:`~.documents.JobFormats`: these and every format of a
document registry. A new document format is registered in :mod:`tarjama.formats`, never
here.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from ..document import MAX_INPUT_BYTES, TranslatedDocument, decode_bytes, too_large
from ..errors import DecodeError, InputError, TarjamaError


@dataclass(frozen=True)
class Fields:
    """The id and text fields of JSONL objects and CSV columns."""

    id: str = "id"
    text: str = "text"


@dataclass(frozen=True)
class Entry:
    """One document a scan found in a file: enough to journal, pool and find it again."""

    record: str  # "" for a whole-file document; the record's id otherwise
    digest: str  # hash of the input the output depends on
    chars: int = 0  # characters to translate, for pooling
    offset: int = 0  # where a record lies in its file (bytes)
    length: int = 0
    error: str | None = None  # the document cannot be read: it fails with this
    #: The text, when the scan has it at hand: the job counts its sentences to translate
    #: those that recur across pools once (a format may leave it out).
    text: str | None = field(default=None, repr=False, compare=False)


@dataclass
class Source:
    """A document read for translation."""

    text: str  # paragraphs, one per line
    digest: str
    keep: Any = None  # what render needs besides the translation (a record's other fields)
    #: A formatted document, translated whole from its file (``keep`` is its path) by its
    #: :class:`~.documents.DocumentFile`. A flag, not the format: a source is pickled
    #: between Ray stages, and a format registered in the driver only travels by value
    #: in the job's formats.
    whole: bool = False


class Format:
    """A family of files; subclasses fill the hooks."""

    name = "format"
    suffixes: tuple[str, ...] = ()
    records = False

    def scan(self, path: Path, fields: Fields) -> Iterator[Entry]:
        """Every document of ``path``, streaming (a file may be far larger than memory)."""
        raise NotImplementedError

    def read(self, path: Path, entries: Sequence[Entry], fields: Fields) -> list[Source]:
        """The documents ``entries`` (from a scan) as they are now, in that order."""
        raise NotImplementedError

    def render(self, source: Source, doc: TranslatedDocument, fields: Fields) -> bytes:
        """A whole output file, or one output record."""
        raise NotImplementedError

    def join(self, path: Path, records: Iterable[bytes], fields: Fields) -> Iterator[bytes]:
        """An output file of records, from the source file (for a header) and the rendered
        records in input order."""
        raise NotImplementedError


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class TextFormat(Format):
    """UTF-8 plain text, one paragraph per line; the output keeps the layout."""

    name = "text"
    suffixes = (".txt",)

    def scan(self, path: Path, fields: Fields) -> Iterator[Entry]:
        try:
            data = read_bytes(path)
            text = decode_bytes(data, where=str(path))
        except InputError as exc:
            yield Entry("", "", error=str(exc))
            return
        yield Entry("", digest(data), chars=len(text), text=text)

    def read(self, path: Path, entries: Sequence[Entry], fields: Fields) -> list[Source]:
        data = read_bytes(path)
        return [Source(decode_bytes(data, where=str(path)), digest(data))]

    def render(self, source: Source, doc: TranslatedDocument, fields: Fields) -> bytes:
        return doc.text.encode("utf-8")


class JsonlFormat(Format):
    """One JSON object per line with an id and a text field; the output keeps every other
    field of each object and the ids, with the text translated."""

    name = "jsonl"
    suffixes = (".jsonl",)
    records = True

    def scan(self, path: Path, fields: Fields) -> Iterator[Entry]:
        try:
            f = _open(path)
        except InputError as exc:
            yield Entry("", "", error=str(exc))
            return
        seen: set[str] = set()
        with f:
            offset = 0
            for number, raw in enumerate(iter(f.readline, b""), start=1):
                start, offset = offset, offset + len(raw)
                line = raw.rstrip(b"\r\n")
                if not line.strip():
                    continue
                try:
                    key, text, _ = _json_record(line, fields, f"{path}:{number}")
                    if key in seen:
                        raise InputError(f"{path}:{number}: id {key!r} appears twice")
                except Exception as exc:  # any fault of one record is that record's alone
                    yield Entry(f"(line {number})", digest(line), error=failure(exc))
                    continue
                seen.add(key)
                yield Entry(key, digest(line), len(text), start, len(line), text=text)

    def read(self, path: Path, entries: Sequence[Entry], fields: Fields) -> list[Source]:
        out = []
        with _open(path) as f:
            for e in entries:
                f.seek(e.offset)
                line = f.read(e.length)
                _, text, obj = _json_record(line, fields, f"{path} at byte {e.offset}")
                out.append(Source(text, digest(line), keep=obj))
        return out

    def render(self, source: Source, doc: TranslatedDocument, fields: Fields) -> bytes:
        obj = dict(source.keep)
        obj[fields.text] = doc.text
        return json.dumps(obj, ensure_ascii=False).encode("utf-8")

    def join(self, path: Path, records: Iterable[bytes], fields: Fields) -> Iterator[bytes]:
        for record in records:
            yield record + b"\n"


class CsvFormat(Format):
    """A CSV file with a header row naming an id and a text column; the output has the same
    columns, ids and order, with the text translated."""

    name = "csv"
    suffixes = (".csv",)
    records = True

    def scan(self, path: Path, fields: Fields) -> Iterator[Entry]:
        # A bad byte or a bad header fails the whole file: rows cannot be told apart.
        try:
            _check_utf8(path)
            f = _open(path)
        except InputError as exc:
            yield Entry("", "", error=str(exc))
            return
        with f:
            rows = _csv_rows(f)
            try:
                header = _header(next(rows, None), fields, path)
            except (InputError, csv.Error) as exc:
                yield Entry("", "", error=str(exc))
                return
            try:
                yield from self._entries(rows, header, fields, path)
            except csv.Error as exc:  # past the last good row, nothing can be read
                yield Entry("(rest of file)", "", error=f"{path}: {exc}")

    def _entries(
        self, rows: Iterator[_Row], header: list[str], fields: Fields, path: Path
    ) -> Iterator[Entry]:
        seen: set[str] = set()
        for line, start, raw, row in rows:
            if not any(cell.strip() for cell in row):
                continue
            where = f"{path}:{line}"
            try:
                values = _csv_values(row, header, where)
                key, text = values[fields.id], values[fields.text]
                if not key.strip():
                    raise InputError(f"{where}: the {fields.id!r} column is empty")
                if key in seen:
                    raise InputError(f"{where}: id {key!r} appears twice")
            except InputError as exc:
                yield Entry(f"(line {line})", digest(raw), error=str(exc))
                continue
            seen.add(key)
            yield Entry(key, digest(raw), len(text), start, len(raw), text=text)

    def read(self, path: Path, entries: Sequence[Entry], fields: Fields) -> list[Source]:
        out = []
        with _open(path) as f:
            header = _header(next(_csv_rows(f), None), fields, path)
            for e in entries:
                f.seek(e.offset)
                raw = f.read(e.length)
                where = f"{path} at byte {e.offset}"
                row = next(csv.reader(io.StringIO(decode_bytes(raw, where=where))), [])
                values = _csv_values(row, header, where)
                out.append(Source(values[fields.text], digest(raw), keep=(header, values)))
        return out

    def render(self, source: Source, doc: TranslatedDocument, fields: Fields) -> bytes:
        header, values = source.keep
        return _csv_line([doc.text if h == fields.text else values[h] for h in header])

    def join(self, path: Path, records: Iterable[bytes], fields: Fields) -> Iterator[bytes]:
        with _open(path) as f:
            yield _csv_line(_header(next(_csv_rows(f), None), fields, path))
        yield from records


# -- helpers ---------------------------------------------------------------------------


def failure(exc: Exception) -> str:
    """A document's error, as the journal records it."""
    return str(exc) if isinstance(exc, TarjamaError) else f"{type(exc).__name__}: {exc}"


def _open(path: Path) -> BinaryIO:
    """A regular file, opened for reading. Anything else is refused before a byte is read:
    a link to ``/dev/zero`` never ends, and a FIFO blocks forever (it is opened without
    blocking so that the check can run)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise InputError(f"{path} is not a regular file (a device, FIFO or socket); refused")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_bytes(path: Path) -> bytes:
    """A regular file's bytes, at most the cap plus one byte read whatever its size says."""
    with _open(path) as f:
        try:
            data = f.read(MAX_INPUT_BYTES + 1)
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    if len(data) > MAX_INPUT_BYTES:
        raise too_large(str(path), MAX_INPUT_BYTES)
    return data


def _check_utf8(path: Path) -> None:
    """Decode the whole file in chunks (it may be larger than memory)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    done = 0
    with _open(path) as f:
        for chunk in [*iter(lambda: f.read(1 << 20), b""), b""]:
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                # The decoder may hold back the last bytes of a chunk: count from its input.
                at = done + len(chunk) - len(exc.object) + exc.start
                raise DecodeError(at, str(path)) from exc
            done += len(chunk)


def _json_record(line: bytes, fields: Fields, where: str) -> tuple[str, str, dict[str, Any]]:
    try:
        obj = json.loads(decode_bytes(line, where=where))
    except ValueError as exc:
        raise InputError(f"{where}: not a JSON object ({exc})") from exc
    except RecursionError:  # nested past Python's stack: this record alone fails
        raise InputError(f"{where}: JSON nested too deep to read") from None
    if not isinstance(obj, dict):
        raise InputError(f"{where}: not a JSON object")
    key, text = obj.get(fields.id), obj.get(fields.text)
    if isinstance(key, bool) or not isinstance(key, str | int) or str(key) == "":
        raise InputError(f"{where}: no {fields.id!r} (a string or a number)")
    if not isinstance(text, str):
        raise InputError(f"{where}: no {fields.text!r} string")
    return str(key), text, obj


#: A CSV row: its first line number, its byte offset, its bytes and its cells.
_Row = tuple[int, int, bytes, list[str]]


def _csv_rows(f: BinaryIO) -> Iterator[_Row]:
    """Every row with where it lies. csv reads exactly the lines of one row before it
    yields it, so the bytes read since the last row are this row's."""
    held: list[bytes] = []

    def lines() -> Iterator[str]:
        for raw in iter(f.readline, b""):
            held.append(raw)
            # Excel starts every UTF-8 export with a BOM: it is not part of the first name.
            yield raw.decode("utf-8-sig" if len(held) == 1 and not start else "utf-8")

    # csv refuses a cell over 131,072 characters by default; a file is capped anyway.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_INPUT_BYTES))
    reader = csv.reader(lines())
    start, line = 0, 1
    for row in reader:
        raw = b"".join(held)
        held.clear()
        yield line, start, raw, row
        start, line = start + len(raw), reader.line_num + 1


def _header(row: _Row | None, fields: Fields, path: Path) -> list[str]:
    if row is None:
        raise InputError(f"{path} is empty (a CSV file needs a header row)")
    header = row[3]
    missing = [c for c in (fields.id, fields.text) if c not in header]
    if missing:
        have = ", ".join(header) or "none"
        raise InputError(f"{path}: no {' or '.join(map(repr, missing))} column (it has: {have})")
    return header


def _csv_values(row: list[str], header: list[str], where: str) -> dict[str, str]:
    if len(row) != len(header):
        raise InputError(f"{where}: {len(row)} cells where the header has {len(header)}")
    return dict(zip(header, row, strict=True))


def _csv_line(cells: list[str]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue().encode("utf-8")
