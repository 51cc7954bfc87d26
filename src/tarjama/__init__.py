"""tarjama: self-hosted Arabic<->English news translation.

The public surface is re-exported here; everything else is implementation.
"""

__version__ = "0.1.0"

from .document import Document, Issue, Paragraph, Segment, TranslatedDocument
from .errors import (
    ConfigError,
    CorruptModel,
    DecodeError,
    EngineError,
    FileNotFound,
    GlossaryError,
    InputError,
    MemoryStoreError,
    ModelError,
    PullError,
    TarjamaError,
    UnknownModel,
    UnsupportedPair,
)
from .glossary import Glossary
from .memory import TranslationMemory
from .models import ModelStore
from .pipeline import Translator

__all__ = [
    "ConfigError",
    "CorruptModel",
    "DecodeError",
    "Document",
    "EngineError",
    "FileNotFound",
    "Glossary",
    "GlossaryError",
    "InputError",
    "Issue",
    "MemoryStoreError",
    "ModelError",
    "ModelStore",
    "Paragraph",
    "PullError",
    "Segment",
    "TarjamaError",
    "TranslatedDocument",
    "TranslationMemory",
    "Translator",
    "UnknownModel",
    "UnsupportedPair",
    "__version__",
]
