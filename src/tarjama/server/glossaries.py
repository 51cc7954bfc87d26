"""The glossaries a request may name, read from the server's home and kept while unchanged.

    $TARJAMA_HOME/glossary.csv                 the default, used when a request names none
    $TARJAMA_HOME/glossaries/NAME.csv|tsv|tbx  named glossaries

A file is read again when its modification time changes, so a newsroom can edit its
glossary without restarting the server.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

from ..errors import InputError
from ..glossary import Glossary

#: A request that names this gets no glossary at all, not even the default.
NONE = "none"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_SUFFIXES = (".csv", ".tsv", ".tbx")


class Glossaries:
    def __init__(self, home: str | Path) -> None:
        self.home = Path(home)
        self.folder = self.home / "glossaries"
        self._cache: dict[Path, tuple[float, Glossary]] = {}
        self._lock = threading.Lock()

    @property
    def default_path(self) -> Path:
        return self.home / "glossary.csv"

    def names(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.stem for p in self.folder.iterdir() if p.suffix.lower() in _SUFFIXES)

    def get(self, name: str | None) -> Glossary | None:
        """The named glossary; the default one for None; no glossary for ``"none"``."""
        if name == NONE:
            return None
        if name is None:
            default = self.default_path
            return self._read(default) if default.is_file() else None
        path = self._path(name)
        if path is None:
            have = ", ".join(self.names()) or "none"
            raise InputError(f"unknown glossary '{name[:40]}' (available: {have})")
        return self._read(path)

    def _path(self, name: str) -> Path | None:
        if not _NAME.match(name):  # never a path: no separators, no leading dot
            return None
        return next((p for s in _SUFFIXES if (p := self.folder / f"{name}{s}").is_file()), None)

    def _read(self, path: Path) -> Glossary:
        stamp = path.stat().st_mtime
        with self._lock:
            cached = self._cache.get(path)
            if cached is None or cached[0] != stamp:
                cached = (stamp, Glossary.load(path))
                self._cache[path] = cached
            return cached[1]
