"""A "needs a look" score per segment, to put an editor's eyes on the riskiest first.

Each issue counts with the measured chance that a flag of its check and severity is right
(the precision on the judged set, ``scripts/fidelity_eval.py precision``); the model's own
confidence adds a chance that grows as its mean log-probability per token falls. The score
is the chance that at least one of them is right, ``1 - prod(1 - p)``, in [0, 1]: a segment
with a numbers error (0.90) comes before one with two names warnings (1 - 0.6^2 = 0.64),
which comes before one the model was merely unsure of.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..document import LOOK_AT, LOOK_FIRST_MAX, Issue

#: Precision of each (check, severity) on the judged set (tests/data/fidelity-judged.tsv);
#: checks without judged flags take the severity's overall figure.
PRECISION = {
    ("numbers", "error"): 0.90,
    ("omission", "error"): 0.94,
    ("repetition", "error"): 0.81,
    ("untranslated", "error"): 1.0,
    ("empty", "error"): 1.0,
    ("names", "warning"): 0.61,
    ("omission", "warning"): 0.72,
    ("quotes", "warning"): 0.78,
    ("untranslated", "warning"): 0.56,
}
_BY_SEVERITY = {"error": 0.92, "warning": 0.66}
#: Mean log-probability per token at which the model's doubt starts to count, and the most
#: it can count for by itself (a confident-looking wrong sentence is the checks' business).
_UNSURE_FROM = -0.5
_UNSURE_MAX = 0.5


def needs_a_look(issues: Iterable[Issue], score: float | None = None) -> float:
    """The chance that a segment with these issues and this model score needs fixing."""
    clear = 1.0
    for issue in issues:
        if issue.check == "confidence":
            continue  # the score itself counts below, once
        p = PRECISION.get((issue.check, issue.severity), _BY_SEVERITY.get(issue.severity, 0.0))
        clear *= 1.0 - p
    if score is not None and score < _UNSURE_FROM:
        clear *= 1.0 - min(_UNSURE_MAX, (_UNSURE_FROM - score) / 8)
    return round(1.0 - clear, 4)


def ranked(issues: Iterable[Issue]) -> tuple[float, list[dict[str, Any]]]:
    """A check's issues as a risk order: the highest score of the places they fall in (a
    paragraph, or a segment of it when they name one), and those places at or above
    ``LOOK_AT``, riskiest first, at most ``LOOK_FIRST_MAX`` (what a translated document's
    ``look_first`` holds, :meth:`~tarjama.document.TranslatedDocument.look_first`)."""
    places: dict[tuple[int, int | None], list[Issue]] = {}
    for issue in issues:
        places.setdefault((issue.paragraph, issue.segment), []).append(issue)
    scored = sorted(
        ((needs_a_look(found), where, found) for where, found in places.items()),
        key=lambda t: (-t[0], t[1][0], t[1][1] or 0),
    )
    first = [
        {
            "paragraph": paragraph,
            "segment": segment,
            "needs_a_look": score,
            "checks": sorted({i.check for i in found}),
        }
        for score, (paragraph, segment), found in scored[:LOOK_FIRST_MAX]
        if score >= LOOK_AT
    ]
    return (scored[0][0] if scored else 0.0), first
