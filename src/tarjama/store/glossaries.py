"""The glossary files in the home: the default one and the named ones.

    $TARJAMA_HOME/glossary.csv                 the default, used when a request names none
    $TARJAMA_HOME/glossaries/NAME.csv|tsv|tbx  named glossaries

Only the files are found here; reading them is :class:`tarjama.fidelity.glossary.Glossary`'s
business, and the workspace keeps what it read while the file is unchanged.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from .paths import GLOSSARIES, GLOSSARY

#: A request that names this gets no glossary at all, not even the default.
NONE = "none"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_SUFFIXES = (".csv", ".tsv", ".tbx")


class GlossaryFiles:
    def __init__(self, home: str | Path) -> None:
        self.home = Path(home)
        self.folder = self.home / GLOSSARIES

    @property
    def default_path(self) -> Path:
        return self.home / GLOSSARY

    def names(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.stem for p in self.folder.iterdir() if p.suffix.lower() in _SUFFIXES)

    def path(self, name: str | None) -> Path | None:
        """The named glossary's file; the default one (if present) for None; None for
        ``"none"``. An unknown name is the caller's mistake."""
        if name == NONE:
            return None
        if name is None:
            return self.default_path if self.default_path.is_file() else None
        found = None
        if _NAME.match(name):  # never a path: no separators, no leading dot
            found = next(
                (p for s in _SUFFIXES if (p := self.folder / f"{name}{s}").is_file()), None
            )
        if found is None:
            have = ", ".join(self.names()) or "none"
            raise InputError(f"unknown glossary '{name[:40]}' (available: {have})")
        return found
