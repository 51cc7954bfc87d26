"""A phonetic key to compare spellings of a name across transliteration conventions.

Character models and people write what they hear (بيلاوسوف -> bellausov); comparing on
:func:`phonetic_key` folds the differences between conventions (bellausov ~ Belousov,
darcheev ~ Darchiev).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from .memo import WORD_CACHE

#: Turns Arabic words into Latin spellings, one output per input: a character model
#: (:class:`tarjama.engines.characters.Transliterator`) or any function that does the same.
#: The aligner and the names check take one, or None, and never load a model themselves.
Transliterate = Callable[[list[str]], list[str]]

_FOLDS = (
    # First, before c and k are touched: ch, sh, tch and the romaniser's tsh (تش) are one
    # sound (Chicago = شيكاغو = shykaghu, Tchaikovsky = تشايكوفسكي = tshaykufsky).
    (r"tsch|tsh|tch|sch|sh|ch", "s"),
    (r"ph", "f"),
    (r"p", "b"),  # Arabic has no /p/: ب serves for both
    (r"f", "v"),
    (r"[kq]h", "k"),
    (r"gh", "g"),
    (r"[ck]", "k"),
    (r"q", "k"),
    (r"th", "t"),
    (r"dh", "d"),
    (r"[sz]", "s"),
    (r"[jy]", "y"),
    (r"x", "ks"),
)


@lru_cache(maxsize=WORD_CACHE)
def phonetic_key(word: str) -> str:
    """A coarse sound key: consonant skeleton with common spelling variants folded.

    Vowels and semi-vowels are dropped except a leading one, an ``al-``/``el-`` prefix
    written apart is removed, and doubled letters collapse, so bellausov and Belousov share
    the key ``blsv``.
    """
    w = unicodedata.normalize("NFKD", word.lower())
    # The Arabic article only where it is written apart (Al-Otaibi, el Sisi): Alexander and
    # Elizabeth merely begin with those letters.
    w = re.sub(r"^(?:al|el|ul)[-‐'’ ]+(?=[a-z])", "", w)
    w = "".join(ch for ch in w if "a" <= ch <= "z")
    for pattern, repl in _FOLDS:
        w = re.sub(pattern, repl, w)
    if not w:
        return ""
    head, tail = w[0], w[1:]
    # Vowels, h and the semi-vowels w/y are written inconsistently across conventions.
    tail = re.sub(r"[aeiouhwy]", "", tail)
    key = head if head not in "aeiou" else "a"
    for ch in tail:
        if ch != key[-1]:
            key += ch
    return key
