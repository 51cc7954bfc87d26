"""Shared I/O helpers for subcommands: reading FILE|- and writing --output.

Outputs are written atomically: into a temporary file in the same directory, then renamed
over the target. A full disk or a crash halfway leaves the old file as it was (and no
partial one), never a truncated file in its place.
"""

from __future__ import annotations

import os
import secrets
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .. import document
from ..document import decode_bytes, read_text, too_large
from ..errors import InputError

T = TypeVar("T")


def read_input(path: str | None) -> str:
    """Read UTF-8 text from a file, or from stdin for ``-`` or no path."""
    limit = document.MAX_INPUT_BYTES
    if path is None or path == "-":
        data = sys.stdin.buffer.read(limit + 1)
        if len(data) > limit:
            raise too_large("standard input", limit)
        return decode_bytes(data, where="standard input")
    return read_text(path, limit=limit)


def check_output(path: str | None) -> None:
    """Refuse an output that cannot be written before any work is done."""
    if path is None or path == "-":
        return
    target = Path(path)
    if target.is_dir():
        raise InputError(f"cannot write {path}: it is a directory")
    if not target.parent.is_dir():
        raise InputError(f"cannot write {path}: no directory {target.parent}")


def atomic_write(path: str | Path, write: Callable[[Path], T]) -> T:
    """Call ``write`` on a temporary file beside ``path``, then rename it over ``path``."""
    target = Path(path)
    check_output(str(target))
    temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        # Created with the usual mode (umask applies); a replaced file keeps its own.
        os.close(os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
        if target.exists():
            os.chmod(temp, stat.S_IMODE(target.stat().st_mode))
        result = write(temp)
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    except InputError as exc:  # the writer's own error names the temporary file
        temp.unlink(missing_ok=True)
        raise InputError(str(exc).replace(str(temp), str(path))) from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return result


def write_output(text: str, path: str | None) -> None:
    """Write to ``path`` (atomically) or to stdout."""
    if path is None or path == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return

    def write(temp: Path) -> None:
        with temp.open("w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())

    atomic_write(path, write)
