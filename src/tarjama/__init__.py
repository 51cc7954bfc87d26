"""tarjama: self-hosted Arabic<->English news translation.

The public surface is re-exported here; everything else is implementation. The error tree
and the data model load at once; the rest (models, engines, the memory) loads on first use,
so that ``import tarjama.text`` or ``import tarjama.errors`` stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .document import Document, Issue, Paragraph, Segment, TranslatedDocument
from .errors import (
    ConfigError,
    CorruptModel,
    DecodeError,
    EngineError,
    FileNotFound,
    GlossaryError,
    InputError,
    KeyStoreError,
    MemoryStoreError,
    ModelError,
    PullError,
    TarjamaError,
    UnknownModel,
    UnsupportedPair,
)

if TYPE_CHECKING:
    from .archive import TranslationMemory
    from .engines import Engine, Hypothesis
    from .fidelity import Glossary, NameMatcher
    from .store import ModelStore
    from .workspace import Translator, Workspace

#: Public names loaded on first use, and the module each comes from.
_LAZY = {
    "Engine": "engines",
    "Hypothesis": "engines",
    "Glossary": "fidelity",
    "NameMatcher": "fidelity",
    "ModelStore": "store",
    "TranslationMemory": "archive",
    "Translator": "workspace",  # the pipeline's, with load() under the home's policy
    "Workspace": "workspace",
}

__all__ = [
    "ConfigError",
    "CorruptModel",
    "DecodeError",
    "Document",
    "Engine",
    "EngineError",
    "FileNotFound",
    "Glossary",
    "GlossaryError",
    "Hypothesis",
    "InputError",
    "Issue",
    "KeyStoreError",
    "MemoryStoreError",
    "ModelError",
    "ModelStore",
    "NameMatcher",
    "Paragraph",
    "PullError",
    "Segment",
    "TarjamaError",
    "TranslatedDocument",
    "TranslationMemory",
    "Translator",
    "UnknownModel",
    "UnsupportedPair",
    "Workspace",
    "__version__",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'tarjama' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
