"""`tarjama translate FILE` for formatted documents (HTML, DOCX, XLIFF, SRT, WebVTT,
Markdown): the same format back, by default beside the input as ``NAME.en.EXT``."""

from __future__ import annotations

import argparse
import codecs
import json
import os
import sys
import tempfile
from pathlib import Path

from ..document import MAX_INPUT_BYTES, read_bytes, too_large
from ..errors import InputError
from ..formats import output_name
from ..pipeline import Translator


def read_document(path: str | None) -> bytes:
    """The bytes of a file, or of stdin for ``-``, refusing anything over the input limit."""
    if path is None or path == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:
            raise too_large("standard input", MAX_INPUT_BYTES)
        return data
    return read_bytes(path)


#: Formats whose XML declares its encoding (and, but XLIFF, are zips).
_DECLARED = frozenset({"docx", "xliff", "odt", "odp", "pptx", "epub"})


def recoded(data: bytes, encoding: str, kind: str, path: str | None) -> bytes:
    """``data`` read in ``encoding`` (``--encoding``), as UTF-8; says what it read."""
    where = "standard input" if path in (None, "-") else str(path)
    if kind in _DECLARED:
        raise InputError(f"--encoding is for text formats; {kind.upper()} files declare their own")
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise InputError(f"--encoding {encoding}: no such encoding") from None
    try:
        text = data.decode(name)
    except UnicodeDecodeError as exc:
        raise InputError(f"{where} is not {name} (bad byte at offset {exc.start})") from None
    print(f"tarjama: read {where} as {name}", file=sys.stderr)
    return text.encode("utf-8")


def translate_file(args: argparse.Namespace, translator: Translator, kind: str, data: bytes) -> int:
    """Translate ``data`` (read from ``args.file``) as ``kind``, write it, and report on
    stderr like plain text does (``--format json``: the report on stdout)."""
    from .translate import exit_status, issue_summary

    stdin = args.file in (None, "-")
    where = "standard input" if stdin else str(args.file)
    result = translator.translate_file(data, kind, where=where, translate_all=args.translate_all)
    out = args.output
    if out is None:
        out = "-" if stdin else output_name(args.file, translator.source, translator.target, kind)
    if not stdin and out != "-" and Path(out).resolve() == Path(args.file).resolve():
        raise InputError(f"--output {out} is the input file; name another one")
    report = json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"
    if out == "-" and args.format == "json":
        raise InputError("--format json prints the report: write the document with --output FILE")
    write_file(result.data, out)
    if result.document.segments:
        print(issue_summary(result.document.issues), file=sys.stderr)
    if result.in_target:
        print(
            f"tarjama: {result.in_target} block(s) already in {translator.target} kept as they "
            "were (--translate-all translates them)",
            file=sys.stderr,
        )
    if out != "-":
        print(f"tarjama: wrote {out}", file=sys.stderr)
    if args.format == "json":
        sys.stdout.write(report)
    return exit_status(args, result.document.issues)


def write_file(data: bytes, path: str) -> None:
    """Write ``data`` to stdout (``-``) or to ``path``, whole or not at all: a temporary
    file beside it is renamed into place, so an interrupted run leaves no partial file."""
    if path == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    target = Path(path)
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # what a plain open() would have given
        os.replace(tmp, target)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {exc.strerror}") from exc


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
