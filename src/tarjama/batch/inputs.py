"""The files a job's INPUT arguments name, and where each one's output goes.

Every input keeps its path from its own name down: ``archive/2024/a.txt`` found under the
input ``archive`` is written to ``DIR/archive/2024/a.txt``, and the file ``feed.jsonl`` to
``DIR/feed.jsonl``. Folders are walked recursively in sorted order (so a job's order, and
its pools, are the same on every run); hidden files and folders, files of unknown types
and the output of any batch job (a folder holding a journal) are left out.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import FileNotFound, InputError
from .documents import JobFormats
from .formats import Format

#: Where a job keeps its journal and lock, inside its output directory.
STATE_DIR = ".tarjama"


@dataclass(frozen=True)
class InputFile:
    path: Path  # where to read it (absolute)
    name: str  # its output's path under DIR, with "/" separators
    format: Format


@dataclass
class Discovery:
    """Walks the inputs; counts what it left out by suffix, to say so."""

    inputs: Sequence[str | Path]
    out_dir: Path
    include: Sequence[str] = ()
    exclude: Sequence[str] = ()
    formats: JobFormats = field(default_factory=JobFormats)
    skipped: dict[str, int] = field(default_factory=dict)

    def files(self) -> Iterator[InputFile]:
        out = self.out_dir.resolve()
        for given in self.inputs:
            path = Path(given)
            if not path.exists():
                raise FileNotFound(str(given))
            root = path.resolve()
            if root.is_dir():
                yield from self._walk(root, out)
                continue
            fmt = self.formats.for_path(root)
            if fmt is None:
                raise InputError(
                    f"{given}: unsupported file type (batch reads {self.formats.supported()})"
                )
            yield InputFile(root, root.name, fmt)

    def _walk(self, root: Path, out: Path) -> Iterator[InputFile]:
        for folder, dirs, names in os.walk(root):
            here = Path(folder)
            dirs[:] = sorted(d for d in dirs if self._enter(here / d, out))
            for name in sorted(names):
                if name.startswith("."):
                    continue
                path = here / name
                rel = PurePosixPath(path.relative_to(root).as_posix())
                if not self._wanted(rel):
                    continue
                fmt = self.formats.for_path(path)
                if fmt is None:
                    suffix = path.suffix.lower() or "(none)"
                    self.skipped[suffix] = self.skipped.get(suffix, 0) + 1
                    continue
                yield InputFile(path, (PurePosixPath(root.name) / rel).as_posix(), fmt)

    @staticmethod
    def _enter(folder: Path, out: Path) -> bool:
        """Not hidden, and not a job's output (this one's, or another's left inside)."""
        return (
            not folder.name.startswith(".") and folder != out and not (folder / STATE_DIR).is_dir()
        )

    def _wanted(self, rel: PurePosixPath) -> bool:
        """A pattern matches the path under the input folder, or the file's name."""

        def hit(patterns: Sequence[str]) -> bool:
            return any(
                fnmatch.fnmatch(str(rel), p) or fnmatch.fnmatch(rel.name, p) for p in patterns
            )

        return (not self.include or hit(self.include)) and not hit(self.exclude)
