"""Where tarjama keeps its files: ``$TARJAMA_HOME``, and what lives inside it.

$TARJAMA_HOME/                 (default: $XDG_DATA_HOME/tarjama or ~/.local/share/tarjama)
    models/NAME/               installed models, each with its tarjama.json
    glossary.csv               the newsroom's default glossary
    glossaries/NAME.csv|tsv|tbx  named glossaries (the server's "glossary" field)
    memory.sqlite              the translation memory
    keys.sqlite3               the server's API keys
    results/                   translated files waiting for download (private, expiring)
"""

from __future__ import annotations

import os
from pathlib import Path

MODELS = "models"
GLOSSARY = "glossary.csv"
GLOSSARIES = "glossaries"
MEMORY = "memory.sqlite"
KEYS = "keys.sqlite3"
COMET = "models/comet"
RESULTS = "results"
#: Translated documents' sources, kept for rendering them again with an editor's changes.
DOCUMENTS = "documents"


def default_home() -> Path:
    """``$TARJAMA_HOME``, else the XDG data directory."""
    env = os.environ.get("TARJAMA_HOME")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "tarjama"
