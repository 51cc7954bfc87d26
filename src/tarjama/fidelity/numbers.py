"""The numbers check: every number in the source is in the translation, unchanged.

Both sides are read by the one number reader of both languages,
:func:`tarjama.text.numbers.read_quantities` (see there for what a quantity's keys are).

- An *exact* number in the source must match a quantity in the translation (digits or
  words): otherwise it is missing or changed (error).
- An exact number in the translation must match some quantity in the source (digits or
  words): otherwise it was made up or changed (error).
- Matched numbers must come in the same order on both sides; two numbers that trade places
  ("from 1990 to 2000" -> "from 2000 to 1990") are an error.
"""

from __future__ import annotations

import itertools

from ..document import Issue
from ..text.numbers import Quantity, read_quantities
from .base import Check, Context


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
                        plain=f"The number {source[q.start : q.end]} is missing or changed in "
                        "the translation.",
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
                        plain=f"The translation says {translation[t.start : t.end]}, which "
                        f"the {context.source_name} does not.",
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
                        plain="Two numbers are in the opposite order in the translation.",
                    )
                ]
        return []
