"""Text handling for Arabic and English: clean-up, sentence splitting, rendering.

Pure functions, no engine inside. The pipeline calls only the names exported here, so the
implementations behind them can change without touching it.
"""

from .clauses import cut_clauses
from .normalize import Cleaned, clean
from .render import render
from .script import arabic_ratio, detect_script
from .split import Sentence, split_sentences

__all__ = [
    "Cleaned",
    "Sentence",
    "arabic_ratio",
    "clean",
    "cut_clauses",
    "detect_script",
    "render",
    "split_sentences",
]
