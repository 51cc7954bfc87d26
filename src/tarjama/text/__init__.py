"""All Arabic and English language logic: clean-up, sentence splitting, rendering, the
one number reader, folding and clitics, script detection and phonetic keys.

Pure functions, no engine inside: this package imports nothing of tarjama but its own
modules, and no third-party library (import-linter checks both). Callers use the names
exported here, or the modules :mod:`.numbers`, :mod:`.fold`, :mod:`.phonetic` and
:mod:`.romanize`.
"""

from .clauses import cut_clauses
from .normalize import Cleaned, clean
from .render import render
from .script import arabic_ratio, detect_script, script_of
from .split import Sentence, split_sentences

__all__ = [
    "Cleaned",
    "Sentence",
    "arabic_ratio",
    "clean",
    "cut_clauses",
    "detect_script",
    "render",
    "script_of",
    "split_sentences",
]
