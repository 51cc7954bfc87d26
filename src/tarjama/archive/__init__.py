"""The newsroom's archive: aligning past bilingual articles, and the translation memory
learned from them.

- :mod:`.types`, :mod:`.anchors`, :mod:`.aligner`, :mod:`.readers`: what alignment produces,
  the evidence it weighs, the dynamic programme, and the archive files it reads;
- :mod:`.lexicon`: the bilingual lexicon an archive teaches, a further anchor;
- :mod:`.entries`, :mod:`.schema`, :mod:`.memory`: the SQLite memory (its file, exact, span
  and fuzzy lookup, and the stored lexicon); :mod:`.history`: an entry's history, its
  tombstone, edits, approvals taken back;
- :mod:`.tmx`: exchange formats (TMX, XLIFF, TSV) and importing any supported file;
  :mod:`.xliff_in`: which XLIFF targets a human stood behind.

No engine inside: names are compared through an injected ``transliterate`` callable.
"""

from .aligner import Aligner
from .entries import EDITOR, SUGGESTION, Entry, Suggestion, search_report
from .history import Event, Record, default_actor
from .lexicon import Lexicon
from .memory import DEFAULT_THRESHOLD, TranslationMemory
from .readers import read_articles
from .tmx import (
    FORMATS,
    MEMORY_FORMATS,
    Loaded,
    MemoryFormat,
    add_loaded,
    load_entries,
    write_tmx,
    write_tsv,
)
from .types import Alignment, Article, Transliterate

__all__ = [
    "DEFAULT_THRESHOLD",
    "EDITOR",
    "FORMATS",
    "MEMORY_FORMATS",
    "SUGGESTION",
    "Aligner",
    "Alignment",
    "Article",
    "Entry",
    "Event",
    "Lexicon",
    "Loaded",
    "MemoryFormat",
    "Record",
    "Suggestion",
    "TranslationMemory",
    "Transliterate",
    "add_loaded",
    "default_actor",
    "load_entries",
    "read_articles",
    "search_report",
    "write_tmx",
    "write_tsv",
]
