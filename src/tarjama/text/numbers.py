"""The one number reader for Arabic and English: digits in both systems, decimals,
percentages, scale words, times, decades, Roman numerals and numbers written as words.

Each side is read into :class:`Quantity` objects. A quantity carries a set of *keys*, the
spellings under which it may appear on the other side: ``٣٫٥ مليار`` has the keys
``3500000000`` and ``3.5`` (so "3.5 billion" and "3,500,000,000" both match it), ``14:00``
has ``14:00``, ``14``, ``2:00`` and ``2``, ``الستينيات`` has ``60s``. Two quantities match
when their keys meet. A quantity is *exact* when written in digits, as a decade, or in
number words that say their number as precisely (see :mod:`.number_words`); other
number words (خمس، الأول) only ever serve as counterparts. The fidelity check
(:mod:`tarjama.fidelity.numbers`) and the aligner's anchors both read numbers here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .fold import fold
from .number_words import (
    AR_SCALES,
    EN_SCALES,
    ar_lookup,
    arabic_word_numbers,
    decade_of_some_century,
    english_word_numbers,
)


@dataclass(frozen=True)
class Quantity:
    """A number found in a text: where, how it was written, and the keys it matches on."""

    start: int
    end: int
    keys: frozenset[str]
    #: Written exactly (digits, or a decade such as الستينيات): the other side must have it.
    #: Other number words (خمس، الأول) only ever serve as counterparts.
    exact: bool


def _key(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- Reading numbers -----------------------------------------------------------------------

_TIME = re.compile(r"(?<![\d:])(\d{1,2}): ?(\d{2})(?![\d:])(?:\s*([ap])\.?\s?m\b\.?)?", re.I)
# Thousands grouped by "," (or the Arabic comma "،" that some writers use); a decimal point,
# or in Arabic text a decimal comma ("6,34") when the digits after it are not a group of three.
# Thousands may also be grouped by dots when there are two groups or more (1.000.000).
_NUMBER = re.compile(
    r"(?<!\d)(?<!\d[.,،])(?<!&#)(?<!&#x)"
    r"(\d{1,3}(?:[,،]\d{3})+(?!\d)|\d{1,3}(?:\.\d{3}){2,}(?![.\d])|\d+)(?:\.(\d+))?(?![\d])"
)
_AR_DECIMAL_COMMA = re.compile(r"[,،](\d{1,2}|\d{4,})(?!\d)")
_DECADE_EN = re.compile(r"(?<![\d])'?(\d{2}|\d{4})'?s\b")
_EN_SCALE_AFTER = re.compile(r"\s?(hundred|thousand|million|billion|trillion|bn)\b", re.I)
_AMPM_AFTER = re.compile(r"\s?([ap])\.?\s?m\b", re.I)
# Roman numerals (World War II, Louis XVI, WWII); a lone I, V or X only after a capitalised
# word, since "I" is also the pronoun.
_ROMAN = re.compile(r"(?<![A-Za-z])(?:WW)?([IVXLC]+)(?![A-Za-z])")
_CAPITALISED_BEFORE = re.compile(r"[A-Z][a-z]+ $")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_AR_SCALE_AFTER = re.compile(r"\s?([\u0621-\u064a]+)")
# A lone Roman numeral after a word that labels a kind or a step: type I, class V, phase II.
_LABEL_BEFORE = re.compile(r"\b(?:[Tt]ype|[Cc]lass|[Pp]hase|[Cc]ategory|[Ss]tage|[Gg]rade) $")
# Month/day shorthand: 9/11, 7/7 (not a fraction with a larger numerator, not a full date).
_DATE_SHORT = re.compile(r"(?<![\d/])(1[0-2]|[1-9])/([12]\d|3[01]|[1-9])(?![\d/])")
_UNIT_BEFORE = re.compile(r"(?:\b(?:km|cm|mm|mi|ft|m)|(?<![\u0621-\u064a])(?:كم|سم|مم|م))\Z")
# One and a half of a unit said in words (ساعة ونصف, an hour and a half = 1.5 hours).
_AR_AND_A_HALF = re.compile(
    r"(?<![\u0621-\u064a])(?:ال)?(?:ساعة|ساعه|سنة|سنه|عام|يوم|شهر|ميل|كيلومتر|متر|كيلوغرام)"
    r"\s+و\s?نصف(?![\u0621-\u064a])"
)
# Thousands typed in logical order but grouped for display: in a right-to-left line the
# groups of "000 62" or "٠٠٠,١" are shown swapped, as 62 000 and 1,000.
_AR_REVERSED_GROUPS = re.compile(r"(?<![\d.,،])(\d{3})(?: |(?<=000),)(\d{1,3})(?![\d.,،])")
# A decimal written without its leading zero: "within .1" is 0.1 (not after a digit or a word).
_BARE_POINT_BEFORE = re.compile(r"(?:^|[\s(])\.")
# A currency name or ISO code glued to an amount, as financial writing does: EUR10bn, Euro10.
_CURRENCY_BEFORE = re.compile(r"(?<![A-Za-z])(?:Euro|EUR|USD|GBP|CHF|JPY|AED|SAR|EGP|Rs)\Z")
# The year 2000 as it was written before it came (Y2K); the 2 alone is read as a code.
_Y2K = re.compile(r"\bY2K\b")
_YEAR_RANGE_BEFORE = re.compile(r"(?<!\d)(1[5-9]|20)\d\d[-–/]\Z")


def _roman(text: str) -> int:
    """The value of a Roman numeral, 0 when the letters are not one (IIII, VX)."""
    total = 0
    for a, b in zip(text, text[1:] + " ", strict=True):
        v = _ROMAN_VALUES[a]
        total += -v if b != " " and _ROMAN_VALUES[b] > v else v
    return total if total and _to_roman(total) == text else 0


def _to_roman(n: int) -> str:
    out = ""
    for v, r in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V")):
        while n >= v:
            out, n = out + r, n - v
    return out + ("IV" if n == 4 else "I" * n)


def _time_keys(hour: int, minute: int, meridiem: str | None) -> set[str]:
    hours = {hour}
    if meridiem and meridiem.lower() == "p" and hour < 12:
        hours.add(hour + 12)
    if hour > 12:
        hours.add(hour - 12)
    keys = {f"{h}:{minute:02d}" for h in hours}
    if minute == 0:
        keys |= {str(h) for h in hours}
    return keys


def _scale_after(text: str, pos: int, lang: str) -> tuple[int, int]:
    """The scale word right after ``pos`` (``12 ألف``, ``4 million``): (multiplier, end)."""
    if lang == "ar":
        m = _AR_SCALE_AFTER.match(text, pos)
        if m:
            scale = ar_lookup(m.group(1), AR_SCALES)
            if scale:
                return scale, m.end()
        return 1, pos
    m = _EN_SCALE_AFTER.match(text, pos)
    if m:
        return EN_SCALES[m.group(1).lower()], m.end()
    return 1, pos


class _Found:
    """The quantities read so far, over folded text; a character belongs to one at most."""

    def __init__(self, length: int) -> None:
        self.items: list[tuple[int, int, frozenset[str], bool]] = []
        self.taken = [False] * (length + 1)

    def add(self, start: int, end: int, keys: set[str] | frozenset[str], exact: bool) -> None:
        if any(self.taken[start:end]):
            return
        for i in range(start, end):
            self.taken[i] = True
        self.items.append((start, end, frozenset(keys), exact))


def read_quantities(text: str, lang: str) -> list[Quantity]:
    """Every number in ``text``, in order, with spans into ``text`` itself."""
    folded = fold(text, lang)
    t = folded.text
    found = _Found(len(t))
    for m in _TIME.finditer(t):
        found.add(
            m.start(), m.end(), _time_keys(int(m.group(1)), int(m.group(2)), m.group(3)), True
        )
    if lang == "ar":
        for m in _AR_AND_A_HALF.finditer(t):
            found.add(m.start(), m.end(), {"1.5"}, False)
        for m in _AR_REVERSED_GROUPS.finditer(t):  # "000 450" shows as 450 000 in Arabic
            found.add(m.start(), m.end(), {str(int(m.group(2)) * 1000 + int(m.group(1)))}, True)
    for m in _DATE_SHORT.finditer(t):  # 9/11: the day is the number the other side says
        found.add(m.start(), m.end(), {m.group(2), m.group(0)}, True)
    if lang != "ar":
        _read_english_marks(t, found)
    for m in _NUMBER.finditer(t):
        if not _exponent(t, m) and not _in_code(t, m):
            _read_digits(t, m, lang, found)
    for start, end, word_keys, exact in (
        arabic_word_numbers(t) if lang == "ar" else english_word_numbers(t)
    ):
        found.add(start, end, word_keys, exact)
    found.items.sort(key=lambda q: q[0])
    items = _glossed_years(t, found.items)
    return [Quantity(*folded.span(s, e), keys=k, exact=d) for s, e, k, d in items]


# Between a decade or century in words and the year that glosses it: "ثمانينيات القرن
# الخامس عشر 1480", "the nineteenth century (1800)".
_GLOSS_GAP = re.compile(r"\s*\(?\s*")


def _glossed_years(
    t: str, items: list[tuple[int, int, frozenset[str], bool]]
) -> list[tuple[int, int, frozenset[str], bool]]:
    """A decade or century written in words and followed by a year in digits is one date
    said twice, the digits glossing the words: one quantity, which the other side may
    render either way. (Even when the two disagree, as when a writer counts the 1400s as
    the fourteenth century: the translation that follows either is not at fault.)"""
    out: list[tuple[int, int, frozenset[str], bool]] = []
    for item in items:
        prev = out[-1] if out else None
        if (
            prev
            and prev[3]
            and not any(ch.isdecimal() for ch in t[prev[0] : prev[1]])
            and any(_is_year(k) for k in prev[2])
            and t[item[0] : item[1]].isdecimal()
            and _is_year(t[item[0] : item[1]])
            and _GLOSS_GAP.fullmatch(t, prev[1], item[0])
        ):
            out[-1] = (prev[0], item[1], prev[2] | item[2], True)
            continue
        out.append(item)
    return out


def _is_year(key: str) -> bool:
    return key.isdigit() and 1000 <= int(key) <= 2100


def _read_english_marks(t: str, found: _Found) -> None:
    """Decades in digits (the 1960s, the '60s) and Roman numerals (World War II, Type I)."""
    for m in _DECADE_EN.finditer(t):
        y = m.group(1)
        # "the 1960s" is الستينيات; "the 9960s" is no decade anyone writes about.
        plausible = len(y) == 2 or 1000 <= int(y) < 2100
        keys = {f"{y[-2:]}s", y} if plausible else {y}
        if len(y) == 2:  # "the '70s": a decade of the century the context names
            keys.add(decade_of_some_century(f"{y}s"))
        found.add(m.start(), m.end(), keys, True)
    for m in _Y2K.finditer(t):
        found.add(m.start(), m.end(), {"2000"}, False)
    for m in _ROMAN.finditer(t):
        value = _roman(m.group(1))
        lone = len(m.group(0)) == 1
        before = t[max(0, m.start() - 20) : m.start()]
        if value and (
            not lone or _CAPITALISED_BEFORE.search(before) or _LABEL_BEFORE.search(before)
        ):
            found.add(m.start(), m.end(), {str(value)}, False)


def _exponent(t: str, m: re.Match[str]) -> bool:
    """The 2 of km2, كم2 (a unit squared or cubed, written without a superscript)."""
    return (
        m.group(1) in ("2", "3") and not m.group(2) and bool(_UNIT_BEFORE.search(t, 0, m.start()))
    )


def _in_code(t: str, m: re.Match[str]) -> bool:
    """One or two digits that are part of a code or a name: a Latin letter right before
    them (CO2, Y2K, KV62, A1GP) or a capital right after (3D, 2K), but not 10km or 4x4."""
    if len(m.group(0)) > 2:
        return False  # CG4684, a flight: the other side may write its number alone
    if _CURRENCY_BEFORE.search(t, max(0, m.start() - 4), m.start()):
        return False  # Euro10 billion, USD5m: an amount with its currency glued on
    before = t[m.start() - 1] if m.start() else ""
    after = t[m.end()] if m.end() < len(t) else ""
    return (before.isascii() and before.isalpha()) or (after.isascii() and after.isupper())


def _read_digits(t: str, m: re.Match[str], lang: str, found: _Found) -> None:
    """A number in digits, with its scale word, its a.m./p.m., and the readings it may have
    on the other side (1200 GMT = 12:00; in Arabic 104.500 = 104,500; 1995-96 = 1996)."""
    whole = re.sub("[,،.]", "", m.group(1))
    fraction = m.group(2)
    end = m.end()
    if lang == "ar" and not fraction and (comma := _AR_DECIMAL_COMMA.match(t, end)):
        fraction, end = comma.group(1), comma.end()
    raw = Decimal(whole + ("." + fraction if fraction else ""))
    keys = {_key(raw)}
    if not fraction and _BARE_POINT_BEFORE.fullmatch(t, max(0, m.start() - 2), m.start()):
        # .1 is also read as 1, as the other side may say it loosely ("عشر الواحد").
        keys.add(_key(Decimal("0." + whole)))
    if lang == "ar" and fraction and len(fraction) == 3 and m.group(1).isdigit():
        keys.add(whole + fraction)  # the other convention's thousands separator
    scale, scale_end = _scale_after(t, end, lang)
    if scale > 1:
        keys.add(_key(raw * scale))
        end = scale_end
    if lang != "ar":
        ampm = _AMPM_AFTER.match(t, end)
        if ampm and not fraction and raw <= 12:
            keys |= _time_keys(int(raw), 0, ampm.group(1))
    hhmm = len(m.group(1)) == 4 and not fraction  # 1200 GMT = 12:00, but not 1,200
    if hhmm and int(whole[:2]) < 24 and int(whole[2:]) < 60:
        keys |= _time_keys(int(whole[:2]), int(whole[2:]), None)
    if (span := _YEAR_RANGE_BEFORE.search(t, 0, m.start())) and len(whole) == 2 and not fraction:
        keys.add(span.group(1) + whole)  # 1995-96: the second year is 1996
    found.add(m.start(), end, keys, True)


def canonical_key(quantity: Quantity) -> str:
    """One key per quantity, the same on both sides of a translation: the largest value
    among its numeric keys (``12 ألف`` and ``12,000`` both give ``12000``; ``2 p.m.`` and
    ``14:00`` both give ``14``), for counting numbers as alignment anchors."""
    values = []
    for key in quantity.keys:
        try:
            values.append((Decimal(key), key))
        except InvalidOperation:
            continue
    return max(values)[1] if values else min(quantity.keys)
