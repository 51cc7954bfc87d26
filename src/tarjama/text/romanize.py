"""A rule-based Arabic -> Latin romaniser, built in, so that the names check always runs.

Names are compared on :func:`.phonetic.phonetic_key`, which keeps a leading vowel and the
consonant skeleton and folds the rest (vowels, h, w and y inside a word; th/t, dh/d, sh/s,
kh/k, q/k, j/y, p/b, f/v). Arabic writes exactly that skeleton, so a letter-by-letter
mapping to common English news spellings is enough: بوتين -> "bwtyn" -> ``btn``, the key
of "Putin". Short vowels are not written in Arabic and are not guessed here.

The character model (``aren-transliteration``) spells whole words as a person would
(بيلاوسوف -> bellausov); it is an optional improvement, installed with ``tarjama models
add``. ``scripts/names_figures.py`` measures both on FLORES.
"""

from __future__ import annotations

from collections.abc import Sequence

from ._chars import ARABIC_DIACRITICS, TATWEEL

#: Each letter as English news writes it; long vowels and the semi-vowels as w/y/a.
_LETTERS = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ء": "", "ؤ": "u", "ئ": "i",
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "ع": "", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n",
    "ه": "h", "و": "w", "ي": "y", "ى": "a", "ة": "a",
    # Persian and Urdu letters seen in names written in Arabic script
    "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ک": "k", "ی": "y", "ڤ": "v",
}  # fmt: skip
#: At the start of a word these letters are heard as vowels: عمان is "Amman", not "mman".
_INITIAL = {"ع": "a", "أ": "a", "إ": "i", "آ": "a", "ا": "a"}


def romanize(word: str) -> str:
    """One Arabic word in Latin letters (other characters dropped; "" without letters)."""
    letters = [ch for ch in word if ch not in ARABIC_DIACRITICS and ch != TATWEEL]
    out = []
    for i, ch in enumerate(letters):
        if i == 0 and ch in _INITIAL:
            out.append(_INITIAL[ch])
        elif ch == "و" and 0 < i < len(letters) - 1:
            out.append("u")  # inside a word و is mostly the long vowel (بوتين, Putin)
        else:
            out.append(_LETTERS.get(ch, ""))
    return "".join(out)


def transliterate(words: Sequence[str]) -> list[str]:
    """The romaniser as a ``transliterate`` callable (see :data:`.phonetic.Transliterate`)."""
    return [romanize(w) for w in words]
