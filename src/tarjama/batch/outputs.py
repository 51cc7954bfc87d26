"""Output files that are either finished or absent, and the lock of an output directory.

An output is written to ``NAME.tarjama-tmp`` beside its final place and flushed to disk;
the journal then says done (one commit), and only then is the temporary file renamed. A
crash therefore leaves, at worst, a temporary file: :func:`recover` renames it when the
journal says it is the finished output, and deletes it otherwise. No file under its final
name is ever half written.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from ..errors import InputError
from .documents import JobFormats
from .formats import Fields
from .inputs import STATE_DIR
from .journal import Journal

TEMP_SUFFIX = ".tarjama-tmp"
LOCK = "lock"


def temp_for(path: Path) -> Path:
    return path.with_name(path.name + TEMP_SUFFIX)


def write_temp(path: Path, chunks: Iterable[bytes]) -> str:
    """Write ``chunks`` to ``path``'s temporary file, on disk before returning; its hash."""
    temp = temp_for(path)
    h = hashlib.sha256()
    try:
        temp.parent.mkdir(parents=True, exist_ok=True)
        with temp.open("wb") as f:
            for chunk in chunks:
                h.update(chunk)
                f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        raise InputError(f"cannot write {temp}: {exc.strerror}") from exc
    return h.hexdigest()


def put_in_place(path: Path) -> None:
    os.replace(temp_for(path), path)


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def leftover_temps(out_dir: Path) -> Iterator[Path]:
    for folder, dirs, names in os.walk(out_dir):
        dirs[:] = [d for d in dirs if not (folder == str(out_dir) and d == STATE_DIR)]
        for name in names:
            if name.endswith(TEMP_SUFFIX):
                yield Path(folder) / name


def recover(out_dir: Path, journal: Journal) -> None:
    """Finish what a crash interrupted: rename each temporary file that the journal says
    is a finished output, delete the others, and reopen done documents whose output is
    gone (deleted by hand) so that they are translated again."""
    for temp in leftover_temps(out_dir):
        final = temp.with_name(temp.name[: -len(TEMP_SUFFIX)])
        expected = journal.output_hash(final.relative_to(out_dir).as_posix())
        if expected is not None and file_hash(temp) == expected:
            os.replace(temp, final)
        else:
            temp.unlink()
    journal.reopen(name for name, _ in journal.done_files() if not (out_dir / name).is_file())


def write_records_file(
    out_dir: Path,
    journal: Journal,
    name: str,
    source: str,
    fmt: str,
    fields: Fields,
    formats: JobFormats,
) -> None:
    """Assemble a file of records from the journal (temporary file, commit of its hash,
    rename), unless it already holds exactly that."""
    target = out_dir / name
    rows = journal.records_done(name)
    first = next(rows, None)
    if first is None:
        return
    records = (out for _, out, _ in [first, *rows])
    written = write_temp(target, formats.by_name(fmt).join(Path(source), records, fields))
    if written != journal.output_hash(name) or not target.is_file():
        journal.mark_written(name, written)
        put_in_place(target)
    else:  # unchanged: no longer stale
        temp_for(target).unlink()
        journal.mark_written(name, written)


class DirectoryLock:
    """One job at a time on an output directory: an advisory lock that the system drops
    when the holder dies, however it dies, so a killed job can be resumed at once."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / STATE_DIR / LOCK
        self._file: IO[str] | None = None

    def __enter__(self) -> DirectoryLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        f = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            f.seek(0)
            pid = f.read().strip() or "unknown"
            f.close()
            raise InputError(
                f"another batch job (pid {pid}) is running on {self.path.parents[1]}; "
                "wait for it to end, or choose another --out"
            ) from None
        f.seek(0)
        f.truncate()
        f.write(str(os.getpid()))
        f.flush()
        self._file = f
        return self

    def __exit__(self, *exc: object) -> None:
        if self._file is not None:
            self._file.close()  # closing drops the lock
            self._file = None


def running_pid(out_dir: Path) -> int | None:
    """The pid of the job running on ``out_dir``, or None when none is."""
    path = out_dir / STATE_DIR / LOCK
    if not path.is_file():
        return None
    with path.open("r", encoding="utf-8") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            text = f.read().strip()
            return int(text) if text.isdigit() else -1
        fcntl.flock(f, fcntl.LOCK_UN)
    return None
