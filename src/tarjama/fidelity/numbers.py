"""The numbers check: every number in the source is in the translation, unchanged.

Both sides are read by the one number reader of both languages,
:func:`tarjama.text.numbers.read_quantities` (see there for what a quantity's keys are).

- An *exact* number in the source must match a quantity in the translation (digits or
  words): otherwise it is missing or changed (error).
- An exact number in the translation must match some quantity in the source (digits or
  words): otherwise it was made up or changed (error).
- Numbers written with the same digits are paired first, then the others by value, so
  that one number cannot take another's counterpart and leave a third reported missing.
- A 2 with no counterpart may be an Arabic dual (مسافرين, two passengers): a word ending
  in ين/ان/تين/تان whose stem is a common Arabic word counts as its counterpart.
- Matched numbers should come in the same order on both sides; two numbers that trade
  places ("from 1990 to 2000" -> "from 2000 to 1990") are a warning; a year and a count
  are not compared, since translators reorder them freely ("the 2008 400 Richest
  Americans" -> "أكثر 400 أمريكي ثراءً لعام 2008").
"""

from __future__ import annotations

import itertools
import re

from wordfreq import zipf_frequency

from ..document import Issue
from ..text.fold import clitic_stems
from ..text.numbers import Quantity, canonical_key, read_quantities
from .base import WARNING, Check, Context


def _digits(text: str, q: Quantity) -> str:
    """The digits a quantity is written with, in ASCII (٢٠٠٨ -> 2008); empty for words."""
    return "".join(str(int(ch)) for ch in text[q.start : q.end] if ch.isdecimal())


def _same_digits(
    source: str, translation: str, src: list[Quantity], tgt: list[Quantity]
) -> list[tuple[int, int]]:
    """Pairs of exact quantities with the same full value (12 ألف and 12,000), then of
    those written with the same digits, in order on both sides."""
    pairs: list[tuple[int, int]] = []
    for value in (lambda _, q: canonical_key(q), _digits):
        free: dict[str, list[int]] = {}
        used = {j for _, j in pairs}
        for j, t in enumerate(tgt):
            if t.exact and j not in used and (d := value(translation, t)):
                free.setdefault(d, []).append(j)
        paired = {i for i, _ in pairs}
        for i, q in enumerate(src):
            d = value(source, q)
            if q.exact and i not in paired and d and free.get(d):
                pairs.append((i, free[d].pop(0)))
    return pairs


_DUAL = re.compile(r"[\u0621-\u064a]{2,}?(?:ت?ين|ت?ان)(?![\u0621-\u064a])")


def _has_dual(arabic: str) -> bool:
    """The Arabic has a dual noun (مسافرين، سيارتان): it says "two" without a number word."""
    for m in _DUAL.finditer(arabic):
        word = m.group(0)
        stem = word[:-3] + "ة" if word[-3:] in ("تين", "تان") else word[:-2]
        if any(zipf_frequency(s, "ar") >= DUAL_STEM_ZIPF for s in clitic_stems(stem, min_stem=3)):
            return True
    return False


#: A dual's stem must be this common an Arabic word (wordfreq Zipf): مسافر 3.9, سيارة 4.6.
DUAL_STEM_ZIPF = 3.0


def _year(q: Quantity) -> bool:
    return any(k.isdigit() and 1000 <= int(k) <= 2100 for k in q.keys)


def _same_kind(a: Quantity, b: Quantity) -> bool:
    """Two years, or two numbers that are not years: a year and a count ("the 2008 400
    Richest Americans", "as of 2014, flights to 30 countries") are reordered freely."""
    return _year(a) == _year(b)


class NumbersCheck(Check):
    id = "numbers"

    def check(self, source: str, translation: str, context: Context) -> list[Issue]:
        src = read_quantities(source, context.source_lang)
        tgt = read_quantities(translation, context.target_lang)
        issues: list[Issue] = []
        pairs = _same_digits(source, translation, src, tgt)
        used = {j for _, j in pairs}
        paired = {i for i, _ in pairs}
        arabic = translation if context.target_lang == "ar" else source
        for i, q in enumerate(src):
            if not q.exact or i in paired:
                continue
            j = self._counterpart(q, tgt, used, max((b for a, b in pairs if a < i), default=-1))
            if j is None and not (q.keys & {"2"} and _has_dual(arabic)):
                issues.append(
                    self.issue(
                        context,
                        f"number {source[q.start : q.end]!r} is missing or changed in the "
                        "translation",
                        source=source,
                        translation=translation,
                        source_span=(q.start, q.end),
                        plain=f"The number {source[q.start : q.end]} is missing or changed in "
                        "the translation.",
                    )
                )
                continue
            if j is not None:
                used.add(j)
                pairs.append((i, j))
        pairs.sort()
        for j, t in enumerate(tgt):
            if j in used or not t.exact:
                continue
            if not any(t.keys & q.keys for q in src) and not (t.keys & {"2"} and _has_dual(arabic)):
                issues.append(
                    self.issue(
                        context,
                        f"number {translation[t.start : t.end]!r} is not in the source",
                        source=source,
                        translation=translation,
                        target_span=(t.start, t.end),
                        plain=f"The translation says {translation[t.start : t.end]}, which "
                        f"the {context.source_name} does not.",
                    )
                )
        issues.extend(self._order(source, translation, src, tgt, pairs, context))
        return issues

    @staticmethod
    def _counterpart(q: Quantity, tgt: list[Quantity], used: set[int], last: int) -> int | None:
        """The best unused match: digits before words, then the next one after ``last``. A
        run of number words may serve several ("الأولى والثالثة" = "1st and 3rd")."""
        candidates = [
            j for j, t in enumerate(tgt) if (j not in used or not t.exact) and q.keys & t.keys
        ]
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
            if j2 < j1 and not (src[i1].keys & src[i2].keys) and _same_kind(src[i1], src[i2]):
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
                        severity=WARNING,
                        plain="Two numbers are in the opposite order in the translation.",
                    )
                ]
        return []
