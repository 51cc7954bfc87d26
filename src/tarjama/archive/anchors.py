"""Anchors: what a sentence and its translation share whatever the languages.

Numbers (read by the one number reader, :mod:`tarjama.text.numbers`, so ``١٢ ألف`` meets
``12,000``), dates (months and weekdays), quoted spans, question marks and brackets,
Latin-script tokens and, when a transliterator is injected, proper names compared on their
phonetic key.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from ..text.fold import ARABIC_WORD, clitic_stems
from ..text.numbers import canonical_key, read_quantities
from ..text.phonetic import phonetic_key
from .types import Transliterate

Anchors = Counter[tuple[str, str]]

#: Log-likelihood bonus per shared anchor, by anchor kind.
_ANCHOR_WEIGHTS = {"num": 2.5, "lat": 2.5, "date": 2.5, "name": 2.0, "quote": 1.0, "punct": 1.0}

#: Anchor kinds every translation keeps, and the penalty for one found on one side only.
_KEPT = frozenset({"num", "date"})
_STRANDED = 1.0

_QUOTED = re.compile(r"«[^»]+»|\"[^\"]+\"|“[^”]+”")
#: Punctuation both languages keep: questions, brackets, percent signs.
_PUNCT = {"?": "?", "؟": "?", "(": "(", "%": "%", "٪": "%"}
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’\-]*")
#: Punctuation both languages keep: questions, brackets, percent signs.
_PUNCT = {"?": "?", "؟": "?", "(": "(", "%": "%", "٪": "%"}
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’\-]*")
#: Months and weekdays, which news states in both languages: word -> shared key.
_CALENDAR = {
    word: f"{kind}{n}"
    for kind, table in (
        (
            "month",
            (
                "January يناير",
                "February فبراير شباط",
                "March مارس آذار",
                "April أبريل ابريل نيسان",
                "May مايو أيار",
                "June يونيو حزيران",
                "July يوليو تموز",
                "August أغسطس آب",
                "September سبتمبر أيلول",
                "October أكتوبر",
                "November نوفمبر",
                "December ديسمبر",
            ),
        ),
        (
            "day",
            (
                "Monday الاثنين الإثنين",
                "Tuesday الثلاثاء",
                "Wednesday الأربعاء",
                "Thursday الخميس",
                "Friday الجمعة",
                "Saturday السبت",
                "Sunday الأحد",
            ),
        ),
    )
    for n, names in enumerate(table, 1)
    for word in names.split()
}


def _arabic_words(text: str) -> list[str]:
    """Arabic words of two letters or more."""
    return [w for w in ARABIC_WORD.findall(text) if len(w) >= 2]


class AnchorExtractor:
    """Finds anchors in Arabic and English text; caches transliterations across calls."""

    def __init__(self, transliterate: Transliterate | None = None) -> None:
        self._transliterate = transliterate
        self._keys: dict[str, str] = {}

    def prepare(self, arabic_texts: Iterable[str]) -> None:
        """Transliterate every candidate name in ``arabic_texts`` in one batch."""
        if self._transliterate is None:
            return
        words = sorted({w for t in arabic_texts for w in self._arabic_names(t)} - self._keys.keys())
        if not words:
            return
        latin = self._transliterate(words)
        for word, spelled in zip(words, latin, strict=True):
            self._keys[word] = phonetic_key(spelled)

    def anchors(self, text: str, lang: str) -> Anchors:
        found: Anchors = Counter()
        for q in read_quantities(text, lang):
            # Numbers in digits only: number words are translated, not copied.
            if q.exact and any(ch.isdigit() for ch in text[q.start : q.end]):
                found["num", canonical_key(q)] += 1
        found["quote", ""] += len(_QUOTED.findall(text))
        for ch in text:
            if ch in _PUNCT:
                found["punct", _PUNCT[ch]] += 1
        if lang == "ar":
            self._arabic_anchors(text, found)
        else:
            self._latin_anchors(text, found)
        return +found

    def _arabic_anchors(self, text: str, found: Anchors) -> None:
        """Latin words, calendar words and (with a transliterator) names of Arabic text."""
        for w in _LATIN_WORD.findall(text):
            found["lat", w.lower()] += 1
        for w in _arabic_words(text):
            for form in clitic_stems(w):
                if form in _CALENDAR:
                    found["date", _CALENDAR[form]] += 1
                    break
        if self._transliterate is not None:
            self.prepare([text])
            for key in {self._keys[w] for w in self._arabic_names(text)}:
                if len(key) >= 3:
                    found["name", key] += 1

    def _latin_anchors(self, text: str, found: Anchors) -> None:
        """Words, calendar words and (with a transliterator) capitalised names of Latin text."""
        for w in _LATIN_WORD.findall(text):
            found["lat", w.lower()] += 1
            if w in _CALENDAR:  # a month or a day is a date, not also a name
                found["date", _CALENDAR[w]] += 1
            elif self._transliterate is not None and w[0].isupper():
                key = phonetic_key(w)
                if len(key) >= 3:
                    found["name", key] += 1

    @staticmethod
    def _arabic_names(text: str) -> list[str]:
        """Every Arabic word, and the word without its clitics: names hide behind both."""
        out = []
        for w in _arabic_words(text):
            out += clitic_stems(w, min_stem=3)[:2]
        return out


def anchor_score(a: Anchors, b: Anchors) -> float:
    """The log-likelihood change of pairing text with anchors ``a`` and text with ``b``.

    Each shared anchor is a bonus. A number or date on one side only is a penalty: a
    translation keeps them, while a sentence left untranslated (a 1-0 bead, which never
    gets here) loses them all, so a bead that strands one is less likely true.
    """
    bonus = sum(_ANCHOR_WEIGHTS[kind] * n for (kind, _), n in (a & b).items())
    stranded = sum(n for (kind, _), n in ((a - b) + (b - a)).items() if kind in _KEPT)
    return bonus - _STRANDED * stranded
