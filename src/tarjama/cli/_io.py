"""Shared I/O helpers for subcommands: reading FILE|- and writing --output."""

from __future__ import annotations

import sys
from pathlib import Path

from .. import document
from ..document import decode_bytes, read_text, too_large
from ..errors import InputError


def read_input(path: str | None) -> str:
    """Read UTF-8 text from a file, or from stdin for ``-`` or no path."""
    limit = document.MAX_INPUT_BYTES
    if path is None or path == "-":
        data = sys.stdin.buffer.read(limit + 1)
        if len(data) > limit:
            raise too_large("standard input", limit)
        return decode_bytes(data, where="standard input")
    return read_text(path, limit=limit)


def write_output(text: str, path: str | None) -> None:
    """Write to ``path`` (atomically enough: whole string at once) or to stdout."""
    if path is None or path == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from exc
