"""The numbers check: every number in the source is in the translation, unchanged.

Each side is read into :class:`Quantity` objects. A quantity carries a set of *keys*, the
spellings under which it may appear on the other side: ``٣٫٥ مليار`` has the keys
``3500000000`` and ``3.5`` (so "3.5 billion" and "3,500,000,000" both match it), ``14:00``
has ``14:00``, ``14``, ``2:00`` and ``2``, ``الستينيات`` has ``60s``. Two quantities match
when their keys meet.

- An *exact* number in the source must match a quantity in the translation (digits or
  words): otherwise it is missing or changed (error). Exact: written in digits, a decade,
  or number words that say their number as precisely (see :func:`_exact`).
- An exact number in the translation must match some quantity in the source (digits or
  words): otherwise it was made up or changed (error).
- Matched numbers must come in the same order on both sides; two numbers that trade places
  ("from 1990 to 2000" -> "from 2000 to 1990") are an error.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal

from ..document import Issue
from ._fold import ARABIC_WORD, clitic_stems, fold, fold_letters
from .base import Check, Context


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


# --- English words -------------------------------------------------------------------------

_EN_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_EN_ORDINALS = [
    "zeroth",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
]
_EN_WORDS: dict[str, int] = {w: i for i, w in enumerate(_EN_UNITS)}
_EN_WORDS.update({w: i for i, w in enumerate(_EN_ORDINALS) if i})
_EN_WORDS.update({w: 20 + 10 * i for i, w in enumerate(_EN_TENS)})
_EN_WORDS.update({w[:-1] + "ieth": 20 + 10 * i for i, w in enumerate(_EN_TENS)})
_EN_WORDS.update({"twice": 2, "once": 1, "single": 1, "pair": 2, "couple": 2})
_EN_SCALES = {
    "hundred": 100,
    "hundredth": 100,
    "dozen": 12,
    "thousand": 1000,
    "thousandth": 1000,
    "million": 10**6,
    "millionth": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "trillion": 10**12,
}
_EN_DECADES = {w[:-1] + "ies": f"{20 + 10 * i}s" for i, w in enumerate(_EN_TENS)}

# --- Arabic words (letters folded: alef forms -> ا, ى -> ي, ة -> ه) ------------------------

_AR_WORDS: dict[str, int] = {}


def _ar(value: int, *words: str) -> None:
    for w in words:
        _AR_WORDS[fold_letters(w)] = value


_ar(1, "واحد", "واحدة", "أحد", "إحدى", "حادي", "أول", "أولى", "وحيد")
_ar(2, "اثنان", "اثنين", "اثنتان", "اثنتين", "اثنا", "اثني", "اثنتا", "اثنتي", "ثاني", "ثانية")
_ar(2, "مرتين", "مرتان", "ضعف", "ضعفي", "ضعفين", "زوج", "زوجين", "ثنائي")
# Duals of counted nouns: "عامين" is "two years".
_TIME_DUALS = (
    "عامين", "عامان", "سنتين", "سنتان", "يومين", "يومان", "شهرين", "شهران", "أسبوعين",
    "ساعتين", "ساعتان", "دقيقتين", "قرنين", "عقدين",
)  # fmt: skip
_ar(2, *_TIME_DUALS)
_ar(2, "هدفين", "شخصين", "طفلين", "مباراتين")
_ar(2, "نقطتين", "دولتين", "فترتين", "جولتين", "ولايتين", "مرحلتين", "رجلين", "امرأتين")
_ar(3, "ثلاث", "ثلاثة", "ثالث", "ثالثة", "ثلاثي")
_ar(4, "أربع", "أربعة", "رابع", "رابعة", "رباعي")
_ar(5, "خمس", "خمسة", "خامس", "خامسة")
_ar(6, "ست", "ستة", "سادس", "سادسة")
_ar(7, "سبع", "سبعة", "سابع", "سابعة")
_ar(8, "ثمان", "ثماني", "ثمانية", "ثامن", "ثامنة")
_ar(9, "تسع", "تسعة", "تاسع", "تاسعة")
_ar(10, "عشر", "عشرة", "عاشر", "عاشرة")
_ar(12, "دزينة")
for _i, (_a, _b) in enumerate(
    [
        ("عشرون", "عشرين"),
        ("ثلاثون", "ثلاثين"),
        ("أربعون", "أربعين"),
        ("خمسون", "خمسين"),
        ("ستون", "ستين"),
        ("سبعون", "سبعين"),
        ("ثمانون", "ثمانين"),
        ("تسعون", "تسعين"),
    ]
):
    _ar(20 + 10 * _i, _a, _b)
    # Decades: الستينيات / الستينات are "the sixties" / "the 1960s".
_AR_DECADES = {
    fold_letters(stem + suffix): f"{20 + 10 * i}s"
    for i, stem in enumerate(
        ["عشرين", "ثلاثين", "أربعين", "خمسين", "ستين", "سبعين", "ثمانين", "تسعين"]
    )
    for suffix in ("يات", "ات")
}
_ar(100, "مائة", "مئة")
_ar(200, "مائتان", "مائتين", "مئتان", "مئتين", "مائتا", "مئتا", "مائتي", "مئتي")
for _i, _u in enumerate(["ثلاث", "أربع", "خمس", "ست", "سبع", "ثمان", "تسع"]):
    _ar(300 + 100 * _i, _u + "مائة", _u + "مئة")
_ar(2000, "ألفان", "ألفين", "ألفا", "ألفي")
_ar(2 * 10**6, "مليونان", "مليونين")
_ar(2 * 10**9, "ملياران", "مليارين")
# Words after which an ordinal is a label, said exactly: the 18th century, Type 1 diabetes,
# Category 3, World War 2.
_LABELS = frozenset(
    fold_letters(w)
    for w in (
        "القرن", "قرن", "القرنين", "للقرن", "بالقرن", "النوع", "نوع", "الفئة", "فئة",
        "العالمية",
    )
)  # fmt: skip
_EXACT_DUALS = frozenset(fold_letters(w) for w in _TIME_DUALS)
_CARDINALS = frozenset(
    fold_letters(w)
    for w in (
        "ثلاث", "ثلاثة", "أربع", "أربعة", "خمس", "خمسة", "ست", "ستة", "سبع", "سبعة", "ثمان",
        "ثماني", "ثمانية", "تسع", "تسعة", "عشر", "عشرة", "عشرين", "عشرون", "ثلاثين",
        "ثلاثون", "أربعين", "أربعون", "خمسين", "خمسون", "ستين", "ستون", "سبعين", "سبعون",
        "ثمانين", "ثمانون", "تسعين", "تسعون",
    )
)  # fmt: skip
# Units that a cardinal counts exactly ("عشر سنوات" is "10 years", never "a decade or so").
_UNITS = re.compile(
    "\\s*(?:سنوات|أعوام|اعوام|أشهر|اشهر|شهور|أيام|ايام|ساعات|دقائق|ثوان|أسابيع|اسابيع|عقود|قرون"
    "|عاما|عام|سنة|شهرا|يوما|ساعة|دقيقة|أسبوعا|اسبوعا)"
    "(?![\\u0621-\\u064a])"
)
_MONTHS = (
    "يناير|فبراير|مارس|أبريل|ابريل|مايو|يونيو|يوليو|أغسطس|اغسطس|سبتمبر|أكتوبر|اكتوبر|نوفمبر|"
    "ديسمبر|كانون|شباط|آذار|اذار|نيسان|أيار|ايار|حزيران|تموز|آب|اب|أيلول|ايلول|تشرين"
)
_MONTH_AFTER = re.compile(rf"\s*(?:من\s+)?(?:شهر\s+)?(?:{_MONTHS})(?![\u0621-\u064a])")


def _exact(t: str, end: int, labelled: bool, stems: list[set[str]]) -> bool:
    """Whether a run of number words says its number as exactly as digits would: a label
    (القرن الثامن عشر) or a date ordinal, a dual of a time unit (عامين), cardinals before a
    time unit (خمس سنوات، الأربعين عاماً)."""
    if labelled or _month_after(t, end):
        return True
    if len(stems) == 1 and stems[0] & _EXACT_DUALS:
        return True
    return all(st & _CARDINALS for st in stems) and bool(_UNITS.match(t, end))


def _month_after(t: str, end: int) -> bool:
    """An ordinal before a month is a date ("الخامس من أغسطس", August 5): exact."""
    return bool(_MONTH_AFTER.match(t, end))


_AR_SCALES = {
    fold_letters(w): v
    for v, words in [
        (1000, ["ألف", "آلاف", "الف", "ألفاً"]),
        (10**6, ["مليون", "ملايين", "مليونا"]),
        (10**9, ["مليار", "مليارات", "مليارا", "بليون", "بلايين"]),
        (10**12, ["تريليون", "تريليونات", "ترليون"]),
    ]
    for w in words
}


def _ar_lookup(word: str, table: dict[str, int]) -> int | None:
    for stem in clitic_stems(fold_letters(word), min_stem=2):
        if stem in table:
            return table[stem]
    return None


def _ar_decade(word: str) -> str | None:
    for stem in clitic_stems(fold_letters(word), min_stem=2):
        if stem in _AR_DECADES:
            return _AR_DECADES[stem]
    return None


# --- Reading numbers -----------------------------------------------------------------------

_TIME = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?![\d:])(?:\s*([ap])\.?\s?m\b\.?)?", re.I)
# Thousands grouped by "," (or the Arabic comma "،" that some writers use); a decimal point,
# or in Arabic text a decimal comma ("6,34") when the digits after it are not a group of three.
_NUMBER = re.compile(
    r"(?<!\d)(?<!\d[.,،])(?<!&#)(?<!&#x)(\d{1,3}(?:[,،]\d{3})+(?!\d)|\d+)(?:\.(\d+))?(?![\d])"
)
_AR_DECIMAL_COMMA = re.compile(r"[,،](\d{1,2}|\d{4,})(?!\d)")
_DECADE_EN = re.compile(r"(?<![\d])'?(\d{2}|\d{4})'?s\b")
_EN_SCALE_AFTER = re.compile(r"\s?(hundred|thousand|million|billion|trillion|bn)\b", re.I)
_AMPM_AFTER = re.compile(r"\s?([ap])\.?\s?m\b", re.I)
_EN_WORD = re.compile(r"[A-Za-z]+")
# Roman numerals (World War II, Louis XVI, WWII); a lone I, V or X only after a capitalised
# word, since "I" is also the pronoun.
_ROMAN = re.compile(r"(?<![A-Za-z])(?:WW)?([IVXLC]+)(?![A-Za-z])")
_CAPITALISED_BEFORE = re.compile(r"[A-Z][a-z]+ $")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_AR_SCALE_AFTER = re.compile(r"\s?([\u0621-\u064a]+)")


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
            scale = _ar_lookup(m.group(1), _AR_SCALES)
            if scale:
                return scale, m.end()
        return 1, pos
    m = _EN_SCALE_AFTER.match(text, pos)
    if m:
        return _EN_SCALES[m.group(1).lower()], m.end()
    return 1, pos


def read_quantities(text: str, lang: str) -> list[Quantity]:
    """Every number in ``text``, in order, with spans into ``text`` itself."""
    folded = fold(text, lang)
    t = folded.text
    found: list[tuple[int, int, frozenset[str], bool]] = []
    taken = [False] * (len(t) + 1)

    def add(start: int, end: int, keys: set[str] | frozenset[str], exact: bool) -> None:
        if any(taken[start:end]):
            return
        for i in range(start, end):
            taken[i] = True
        found.append((start, end, frozenset(keys), exact))

    for m in _TIME.finditer(t):
        add(m.start(), m.end(), _time_keys(int(m.group(1)), int(m.group(2)), m.group(3)), True)
    if lang != "ar":
        for m in _DECADE_EN.finditer(t):
            y = m.group(1)
            # "the 1960s" is الستينيات; "the 9960s" is no decade anyone writes about.
            plausible = len(y) == 2 or 1000 <= int(y) < 2100
            add(m.start(), m.end(), {f"{y[-2:]}s", y} if plausible else {y}, True)
    if lang != "ar":
        for m in _ROMAN.finditer(t):
            value = _roman(m.group(1))
            lone = len(m.group(0)) == 1
            if value and (
                not lone or _CAPITALISED_BEFORE.search(t, max(0, m.start() - 20), m.start())
            ):
                add(m.start(), m.end(), {str(value)}, False)
    for m in _NUMBER.finditer(t):
        whole = re.sub("[,،]", "", m.group(1))
        fraction = m.group(2)
        end = m.end()
        if lang == "ar" and not fraction and (comma := _AR_DECIMAL_COMMA.match(t, end)):
            fraction, end = comma.group(1), comma.end()
        raw = Decimal(whole + ("." + fraction if fraction else ""))
        keys = {_key(raw)}
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
        add(m.start(), end, keys, True)
    for start, end, word_keys, exact in _ar_words(t) if lang == "ar" else _en_words(t):
        add(start, end, word_keys, exact)
    found.sort(key=lambda q: q[0])
    return [Quantity(*folded.span(s, e), keys=k, exact=d) for s, e, k, d in found]


def _run_keys(run: list[tuple[int, bool]]) -> frozenset[str]:
    """Keys of a run of number words: the whole, each word, each neighbouring pair.

    A run can hold more than one number ("الحادي عشر والثاني عشر", "eleven or twelve"), and
    word numbers only ever serve as counterparts, so offering every reading is safe.
    """
    keys = {str(_combine(run))}
    keys.update(str(_combine(run[i : i + 2])) for i in range(len(run)))
    keys.update(str(v) for v, _ in run)
    keys.discard("0")
    return frozenset(keys)


def _combine(values: list[tuple[int, bool]]) -> int:
    """Add and multiply number words in reading order: two hundred fifty thousand."""
    total = current = 0
    for value, is_scale in values:
        if is_scale and value >= 1000:
            total += max(current, 1) * value
            current = 0
        elif is_scale:
            current = max(current, 1) * value
        else:
            current += value
    return total + current


def _en_words(t: str) -> list[tuple[int, int, frozenset[str], bool]]:
    out: list[tuple[int, int, frozenset[str], bool]] = []
    run: list[tuple[int, bool]] = []
    start = end = 0
    for m in _EN_WORD.finditer(t):
        w = m.group(0).lower()
        gap = t[end : m.start()]
        contiguous = bool(run) and gap.strip(" -") == ""
        if w in _EN_DECADES:
            out.append((m.start(), m.end(), frozenset({_EN_DECADES[w]}), True))
            continue
        if w in _EN_WORDS or w in _EN_SCALES or (w in ("a", "an", "and") and contiguous):
            if not contiguous and run:
                out.append((start, end, _run_keys(run), False))
                run = []
            if not run:
                start = m.start()
            if w in _EN_WORDS:
                run.append((_EN_WORDS[w], False))
            elif w in _EN_SCALES:
                run.append((_EN_SCALES[w], True))
            end = m.end()
            continue
        if run:
            out.append((start, end, _run_keys(run), False))
            run = []
    if run:
        out.append((start, end, _run_keys(run), False))
    return [q for q in out if q[2]]


def _ar_words(t: str) -> list[tuple[int, int, frozenset[str], bool]]:
    out: list[tuple[int, int, frozenset[str], bool]] = []
    run: list[tuple[int, bool]] = []
    start = end = 0
    labelled = False  # the run follows a label word (القرن، النوع): 18th century, Type 1
    stems: list[set[str]] = []
    for m in ARABIC_WORD.finditer(t):
        w = m.group(0)
        contiguous = bool(run) and t[end : m.start()].strip() == ""
        decade = _ar_decade(w)
        if decade:
            out.append((m.start(), m.end(), frozenset({decade}), True))
            continue
        value = _ar_lookup(w, _AR_WORDS)
        scale = _ar_lookup(w, _AR_SCALES)
        if value is None and scale is None:
            if run:
                out.append((start, end, _run_keys(run), _exact(t, end, labelled, stems)))
                run = []
            continue
        if not contiguous and run:
            out.append((start, end, _run_keys(run), _exact(t, end, labelled, stems)))
            run = []
        if not run:
            start = m.start()
            before = t[max(0, m.start() - 20) : m.start()].split()  # the word before the run
            labelled = bool(before) and fold_letters(before[-1]) in _LABELS
            stems = []
        stems.append(set(clitic_stems(fold_letters(w))))
        run.append((scale, True) if scale else (value or 0, False))
        end = m.end()
    if run:
        out.append((start, end, _run_keys(run), _exact(t, end, labelled, stems)))
    return out


class NumbersCheck(Check):
    id = "numbers"

    def check(self, source: str, translation: str, context: Context) -> list[Issue]:
        src = read_quantities(source, context.source_lang)
        tgt = read_quantities(translation, context.target_lang)
        issues: list[Issue] = []
        used: set[int] = set()
        pairs: list[tuple[int, int]] = []
        for i, q in enumerate(src):
            if not q.exact:
                continue
            j = self._counterpart(q, tgt, used, pairs[-1][1] if pairs else -1)
            if j is None:
                issues.append(
                    self.issue(
                        context,
                        f"number {source[q.start : q.end]!r} is missing or changed in the "
                        "translation",
                        source=source,
                        translation=translation,
                        source_span=(q.start, q.end),
                    )
                )
                continue
            used.add(j)
            pairs.append((i, j))
        for j, t in enumerate(tgt):
            if j in used or not t.exact:
                continue
            if not any(t.keys & q.keys for q in src):
                issues.append(
                    self.issue(
                        context,
                        f"number {translation[t.start : t.end]!r} is not in the source",
                        source=source,
                        translation=translation,
                        target_span=(t.start, t.end),
                    )
                )
        issues.extend(self._order(source, translation, src, tgt, pairs, context))
        return issues

    @staticmethod
    def _counterpart(q: Quantity, tgt: list[Quantity], used: set[int], last: int) -> int | None:
        """The best unused match: digits before words, then the next one after ``last``."""
        candidates = [j for j, t in enumerate(tgt) if j not in used and q.keys & t.keys]
        if not candidates:
            return None
        return min(candidates, key=lambda j: (not tgt[j].exact, j < last, j))

    def _order(
        self,
        source: str,
        translation: str,
        src: list[Quantity],
        tgt: list[Quantity],
        pairs: list[tuple[int, int]],
        context: Context,
    ) -> list[Issue]:
        """Two numbers that swapped places: matched in crossing order, and not equal."""
        digit_pairs = [(i, j) for i, j in pairs if tgt[j].exact]
        for (i1, j1), (i2, j2) in itertools.pairwise(digit_pairs):
            if j2 < j1 and not (src[i1].keys & src[i2].keys):
                a, b = tgt[j2], tgt[j1]
                return [
                    self.issue(
                        context,
                        f"numbers {source[src[i1].start : src[i1].end]!r} and "
                        f"{source[src[i2].start : src[i2].end]!r} appear in the opposite order "
                        "in the translation",
                        source=source,
                        translation=translation,
                        source_span=(src[i1].start, src[i2].end),
                        target_span=(a.start, b.end),
                    )
                ]
        return []
