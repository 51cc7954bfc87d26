"""Names whose rendering in the other language is known: a gazetteer.

Sound matching (:mod:`.names`) cannot tell a garbled place name that keeps most of its
consonants from the right one, and finds no match for a name that is translated rather
than transliterated (ألمانيا -> Germany). A gazetteer knows both. Its sources are data,
never hand lists:

- CLDR, through Babel: the names of countries and territories, languages, currencies,
  months (the Egyptian and the Levantine Arabic months: مايو and أيار are both May) and
  weekdays, in Arabic and English. CLDR is under the Unicode licence; Babel under BSD.
- The home's glossary (its terms are names the newsroom fixed).
- The bilingual lexicon an archive import learns (names from the newsroom's own
  articles), passed in as pairs: fidelity reads no store or archive itself.

Arabic keys are folded (alef forms, ى, ة) and found with their clitics (وألمانيا).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from babel import Locale

from ..text.fold import ARABIC_WORD, clitic_stems, fold_letters

# Arabic locales whose month names differ: Egypt/Gulf (يناير) and the Levant (كانون الثاني).
_AR_LOCALES = ("ar", "ar_SY")
# Weekday names that are also ordinary words (الاثنين is "the two", السبت "the basket"
# in some dialects, الأحد "the one"): not names to check.
_AMBIGUOUS = frozenset(fold_letters(w) for w in ("الاثنين", "الأحد", "السبت", "الجمعة"))


@dataclass(frozen=True)
class Entry:
    arabic: str  # as the source writes it
    english: tuple[str, ...]  # its known renderings
    kind: str  # territory, language, currency, month, weekday, glossary, lexicon


@dataclass
class Gazetteer:
    """Arabic names (folded, as word tuples) and their known English renderings."""

    entries: dict[tuple[str, ...], Entry] = field(default_factory=dict)
    _longest: int = 1
    _firsts: set[str] = field(default_factory=set)  # first words of the entries

    def add(self, arabic: str, english: str, kind: str) -> None:
        key = _key(arabic)
        if not key or not english.strip() or " ".join(key) in _AMBIGUOUS:
            return
        old = self.entries.get(key)
        renderings = (*old.english, english) if old else (english,)
        self.entries[key] = Entry(
            arabic, tuple(dict.fromkeys(renderings)), old.kind if old else kind
        )
        self._longest = max(self._longest, len(key))
        self._firsts.add(key[0])

    def with_pairs(self, pairs: Iterable[tuple[str, str]], kind: str) -> Gazetteer:
        """A copy with more (Arabic, English) pairs: a glossary's terms, a learned lexicon."""
        out = Gazetteer(dict(self.entries), self._longest, set(self._firsts))
        for arabic, english in pairs:
            out.add(arabic, english, kind)
        return out

    def find(self, text: str) -> list[tuple[int, int, Entry]]:
        """Each entry named in the Arabic ``text``: (start, end, entry), longest first."""
        words = list(ARABIC_WORD.finditer(text))
        folded = [fold_letters(w.group(0)) for w in words]
        found: list[tuple[int, int, Entry]] = []
        i = 0
        while i < len(words):
            hit = self._match(folded, i)
            if hit:
                n, entry = hit
                found.append((words[i].start(), words[i + n - 1].end(), entry))
                i += n
            else:
                i += 1
        return found

    def _match(self, folded: list[str], i: int) -> tuple[int, Entry] | None:
        firsts = [s for s in clitic_stems(folded[i], min_stem=2) if s in self._firsts]
        if not firsts:
            return None
        for n in range(min(self._longest, len(folded) - i), 0, -1):
            rest = tuple(folded[i + 1 : i + n])
            for first in firsts:
                entry = self.entries.get((first, *rest))
                if entry:
                    return n, entry
        return None


def _kept(kind: str, key: object) -> bool:
    """Territories with a letter code (001 World, 419 Latin America are regions) and the
    languages of ISO 639-1 (two letters): CLDR's hundreds of minor languages have Arabic
    names that are ordinary words (ميتا, Metaʼ)."""
    if kind == "territory":
        return not str(key).isdigit()
    if kind == "language":
        return len(str(key)) == 2
    return True


def _key(arabic: str) -> tuple[str, ...]:
    return tuple(fold_letters(w) for w in ARABIC_WORD.findall(arabic))


@cache
def cldr() -> Gazetteer:
    """The CLDR names (Babel's data), built once."""
    gazetteer = Gazetteer()
    en = Locale("en")
    for code in _AR_LOCALES:
        ar = Locale.parse(code)
        tables = [
            ("territory", ar.territories, en.territories),
            ("language", ar.languages, en.languages),
            ("currency", ar.currencies, en.currencies),
            ("month", ar.months["format"]["wide"], en.months["format"]["wide"]),
            ("weekday", ar.days["format"]["wide"], en.days["format"]["wide"]),
        ]
        for kind, arabic, english in tables:
            for key, name in arabic.items():
                if key in english and _kept(kind, key):
                    gazetteer.add(name, english[key], kind)
    return gazetteer
