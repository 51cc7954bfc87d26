"""Folding text for matching while keeping offsets into the original.

Checks compare folded text (ASCII digits, no tatweel, no Arabic diacritics, one space between
words) but report spans in the text the user gave; :class:`Folded` carries the map back.
Arabic words also lose their attached clitics here (و ف ب ل ك ال وال بال لل ...), because
``وبوتين`` and ``لبوتين`` are the word ``بوتين``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._chars import ARABIC_DECIMAL, ARABIC_PERCENT, ARABIC_THOUSANDS
from .normalize import clean

_DIACRITICS = re.compile("[\u064b-\u065f\u0670]")
# Arabic decimal and thousands separators and percent sign, as their ASCII equivalents.
_SIGNS = str.maketrans({ARABIC_DECIMAL: ".", ARABIC_THOUSANDS: ",", ARABIC_PERCENT: "%"})
_LETTER_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
#: Proclitics that attach to a word, longest first so that "وال" wins over "و".
CLITICS = ("وبال", "وكال", "وال", "بال", "كال", "فال", "ولل", "لل", "ال", "و", "ف", "ب", "ل", "ك")
#: Arabic letters (no digits, no punctuation): a word for matching purposes.
ARABIC_WORD = re.compile("[\u0621-\u064a\u0671-\u06d3]+")


@dataclass(frozen=True)
class Folded:
    text: str
    offsets: tuple[int, ...]  # len(text) + 1 entries, like tarjama.text.Cleaned

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of folded characters ``[start, end)``."""
        if end <= start:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1


def fold(text: str, lang: str) -> Folded:
    cleaned = clean(text, lang)
    chars: list[str] = []
    offsets: list[int] = []
    for ch, off in zip(cleaned.text, cleaned.offsets, strict=False):
        if _DIACRITICS.match(ch):
            continue
        chars.append(ch.translate(_SIGNS))
        offsets.append(off)
    offsets.append(len(text))
    return Folded("".join(chars), tuple(offsets))


def fold_letters(word: str) -> str:
    """Arabic spelling variants that writers mix (alef forms, alef maqsura, ta marbuta)."""
    return _DIACRITICS.sub("", word).replace("\u0640", "").translate(_LETTER_FOLD)


def clitic_stems(word: str, min_stem: int = 2) -> list[str]:
    """``word`` and every reading of it with one proclitic cluster removed, longest first.

    ``وبوتين`` gives ``["وبوتين", "بوتين"]``; ``والرئيس`` gives ``["والرئيس", "رئيس", ...]``.
    A stem shorter than ``min_stem`` letters is not a reading.
    """
    out = [word]
    for clitic in CLITICS:
        if word.startswith(clitic) and len(word) - len(clitic) >= min_stem:
            stem = word[len(clitic) :]
            if stem not in out:
                out.append(stem)
    return out
