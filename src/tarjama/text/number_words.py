"""Numbers written as words, in English and Arabic: the tables and the readers of word runs.

The readers return ``(start, end, keys, exact)`` tuples over folded text; :mod:`.numbers`
turns them, with the numbers written in digits, into quantities.
"""

from __future__ import annotations

import re

from .fold import ARABIC_WORD, clitic_stems, fold_letters

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
# "a decade later" is "بعد عشر سنوات": ten years, not a decade of a century.
_EN_WORDS["decade"] = 10
EN_SCALES = {
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
# "the thirties of the nineteenth century" (of the 19th century): one number, the 1830s.
_OF_CENTURY = re.compile(
    r"\s+of\s+the\s+(?:(\d{1,2})(?:st|nd|rd|th)|([a-z]+(?:[- ][a-z]+)?))\s+century\b", re.I
)


def decade_of_some_century(decade: str) -> str:
    """The key a decade named without its century ("the seventies") shares with a decade of
    a named century (سبعينيات القرن العشرين): the writer leaves the century to the context.
    A decade of another century in digits ("the 1880s" for the 1480s) does not share it."""
    return "~" + decade


def _en_decade(t: str, m: re.Match[str], decade: str) -> tuple[int, int, frozenset[str], bool]:
    """A decade word, with the century it is "of" when the text names one."""
    of = _OF_CENTURY.match(t, m.end())
    century = _century_number(of.group(1) or of.group(2)) if of else 0
    if of and 1 <= century <= 21:
        year = (century - 1) * 100 + int(decade[:-1])
        return m.start(), of.end(), frozenset({str(year), f"{year}s"}), True
    return m.start(), m.end(), frozenset({decade, decade_of_some_century(decade)}), True


def _century_number(text: str) -> int:
    """19 for "19", "nineteenth", "twenty-first" is 21; 0 when the words are no number."""
    if text.isdigit():
        return int(text)
    values = [_EN_WORDS.get(x.lower()) for x in re.split("[- ]", text)]
    return sum(v for v in values if v is not None) if None not in values else 0


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
# Duals of the scales: ملياري شخص is two billion people.
_ar(2000, "ألفين", "ألفان", "ألفي")
_ar(2_000_000, "مليونين", "مليونان", "مليوني")
_ar(2_000_000_000, "مليارين", "ملياران", "ملياري")
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


AR_SCALES = {
    fold_letters(w): v
    for v, words in [
        (1000, ["ألف", "آلاف", "الف", "ألفاً"]),
        (10**6, ["مليون", "ملايين", "مليونا"]),
        (10**9, ["مليار", "مليارات", "مليارا", "بليون", "بلايين"]),
        (10**12, ["تريليون", "تريليونات", "ترليون"]),
    ]
    for w in words
}


def ar_lookup(word: str, table: dict[str, int]) -> int | None:
    for stem in clitic_stems(fold_letters(word), min_stem=2):
        if stem in table:
            return table[stem]
    return None


def _ar_decade(word: str) -> str | None:
    for stem in clitic_stems(fold_letters(word), min_stem=2):
        if stem in _AR_DECADES:
            return _AR_DECADES[stem]
    return None


_EN_WORD = re.compile(r"[A-Za-z]+")


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


def english_word_numbers(t: str) -> list[tuple[int, int, frozenset[str], bool]]:
    out: list[tuple[int, int, frozenset[str], bool]] = []
    run: list[tuple[int, bool]] = []
    start = end = 0
    for m in _EN_WORD.finditer(t):
        w = m.group(0).lower()
        gap = t[end : m.start()]
        contiguous = bool(run) and gap.strip(" -") == ""
        if w in _EN_DECADES:
            out.append(_en_decade(t, m, _EN_DECADES[w]))
            continue
        if w in _EN_WORDS or w in EN_SCALES or (w in ("a", "an", "and") and contiguous):
            if not contiguous and run:
                out.append((start, end, _run_keys(run), False))
                run = []
            if not run:
                start = m.start()
            if w in _EN_WORDS:
                run.append((_EN_WORDS[w], False))
            elif w in EN_SCALES:
                run.append((EN_SCALES[w], True))
            end = m.end()
            continue
        if run:
            out.append((start, end, _run_keys(run), False))
            run = []
    if run:
        out.append((start, end, _run_keys(run), False))
    return [q for q in out if q[2]]


def arabic_word_numbers(t: str) -> list[tuple[int, int, frozenset[str], bool]]:
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
        value = ar_lookup(w, _AR_WORDS)
        scale = ar_lookup(w, AR_SCALES)
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
    return _centuries(t, out)


_CENTURY_GAP = re.compile(r"\s+(?:من\s+)?القرن\s+")


def _centuries(
    t: str, found: list[tuple[int, int, frozenset[str], bool]]
) -> list[tuple[int, int, frozenset[str], bool]]:
    """A century read as its years: القرن التاسع عشر is also "the 1800s"; a decade of a
    century (سبعينيات القرن العشرين, the 1970s) is one number with the century's years."""
    out: list[tuple[int, int, frozenset[str], bool]] = []
    for q in found:
        century = _century(t, q)
        if century is None:
            out.append(q)
            continue
        prev = out[-1] if out else None
        if prev and len(prev[2]) == 1 and _CENTURY_GAP.fullmatch(t, prev[1], q[0]):
            decade = next(iter(prev[2]))
            if decade.endswith("s"):
                # Only the century's decade matches: the 1880s for the 1480s is an error.
                year = (century - 1) * 100 + int(decade[:-1])
                keys = {str(year), f"{year}s", decade_of_some_century(decade)}
                out[-1] = (prev[0], q[1], frozenset(keys), True)
                continue
        out.append((q[0], q[1], q[2] | {str((century - 1) * 100)}, q[3]))
    return out


def _century(t: str, q: tuple[int, int, frozenset[str], bool]) -> int | None:
    """The century a run of ordinals after القرن names (the whole run's value), else None."""
    if not t[max(0, q[0] - 7) : q[0]].rstrip().endswith("القرن"):
        return None
    values = [int(k) for k in q[2] if k.isdigit() and 1 <= int(k) <= 21]
    return max(values) if values else None
