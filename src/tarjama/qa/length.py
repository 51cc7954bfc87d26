"""The omission/addition check: a length ratio far from the language pair's norm, and, per
paragraph, fewer sentences in the translation than in the source.

The norm is a model of ``r = log((len(target) + 10) / (len(source) + 10))`` over letters and
digits: mean ``mean``, variance ``sentence_var / k + char_var / len(source)`` for a source of
``k`` sentences (translators' own verbosity averages out over sentences; short texts are
noisier). :func:`calibrate` fits it on aligned lines; the shipped constants come from FLORES
dev (``scripts/fidelity_figures.py --calibrate`` re-derives them into
``tarjama/data/length_norm.json``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources

from ..document import Issue
from ..text import split_sentences
from .base import WARNING, Check, Context

_SMOOTH = 10  # added to both lengths so that a two-word line does not swing the ratio wildly


def text_length(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


@dataclass(frozen=True)
class LengthNorm:
    source_lang: str
    target_lang: str
    mean: float
    sentence_var: float
    char_var: float

    def z(self, source: str, translation: str, sentences: int) -> float:
        """How many standard deviations the translation's length is from the norm."""
        ls, lt = text_length(source), text_length(translation)
        r = math.log((lt + _SMOOTH) / (ls + _SMOOTH)) - self.mean
        var = self.sentence_var / max(sentences, 1) + self.char_var / max(ls, 1)
        return r / math.sqrt(max(var, 1e-6))

    def reversed(self) -> LengthNorm:
        """The norm for the opposite direction (the log ratio changes sign)."""
        return LengthNorm(
            self.target_lang, self.source_lang, -self.mean, self.sentence_var, self.char_var
        )


def calibrate(pairs: Iterable[tuple[str, str]], source_lang: str, target_lang: str) -> LengthNorm:
    """Fit the norm on aligned (source, translation) lines, e.g. FLORES dev."""
    rows = []
    for src, tgt in pairs:
        ls, lt = text_length(src), text_length(tgt)
        k = max(len(split_sentences(src, source_lang)), 1)
        rows.append((math.log((lt + _SMOOTH) / (ls + _SMOOTH)), k, max(ls, 1)))
    mean = sum(r for r, _, _ in rows) / len(rows)
    # Least squares of the squared residual on (1/k, 1/len): two unknowns, normal equations.
    a11 = a12 = a22 = b1 = b2 = 0.0
    for r, k, ls in rows:
        u, v, e2 = 1 / k, 1 / ls, (r - mean) ** 2
        a11, a12, a22, b1, b2 = a11 + u * u, a12 + u * v, a22 + v * v, b1 + u * e2, b2 + v * e2
    det = a11 * a22 - a12 * a12
    sentence_var = (b1 * a22 - b2 * a12) / det
    char_var = (a11 * b2 - a12 * b1) / det
    return LengthNorm(source_lang, target_lang, mean, max(sentence_var, 0.0), max(char_var, 0.0))


@cache
def load_norms() -> dict[tuple[str, str], LengthNorm]:
    data = json.loads(resources.files("tarjama").joinpath("data/length_norm.json").read_text())
    norms = {}
    for entry in data:
        norm = LengthNorm(**entry)
        norms[norm.source_lang, norm.target_lang] = norm
        back = norm.reversed()
        norms.setdefault((back.source_lang, back.target_lang), back)
    return norms


def dump_norm(norm: LengthNorm) -> str:
    return json.dumps([asdict(norm)], indent=2) + "\n"


class OmissionCheck(Check):
    """Too short (omission) or too long (addition) for the pair, or sentences lost.

    Error: ``z < -error_z``, or fewer sentences than the source together with ``z < -1.5``
    (paragraphs only), or ``z > error_z`` (addition). Warning: ``|z| > warn_z``, or fewer
    sentences alone (translators sometimes merge two sentences).
    """

    id = "omission"

    def __init__(self, error_z: float = 3.0, warn_z: float = 2.5) -> None:
        self.error_z = error_z
        self.warn_z = warn_z
        self._norms = load_norms()

    def check(self, source: str, translation: str, context: Context) -> list[Issue]:
        norm = self._norms.get((context.source_lang, context.target_lang))
        if norm is None or not translation.strip() or text_length(source) == 0:
            return []
        src_sents = split_sentences(source, context.source_lang)
        z = norm.z(source, translation, len(src_sents))
        fewer = 0
        if context.unit == "paragraph":
            fewer = len(src_sents) - len(split_sentences(translation, context.target_lang))
        if z < -self.warn_z or fewer > 0:
            error = z < -self.error_z or (fewer > 0 and z < -1.5)
            what = f"{fewer} sentence(s) fewer than the source; " if fewer > 0 else ""
            return [
                self._whole(
                    context,
                    source,
                    translation,
                    error,
                    f"possible omission: {what}length {z:+.1f} sd from the norm",
                )
            ]
        if z > self.warn_z:
            return [
                self._whole(
                    context,
                    source,
                    translation,
                    z > self.error_z,
                    f"possible addition: length {z:+.1f} sd from the norm",
                )
            ]
        return []

    def _whole(
        self, context: Context, source: str, translation: str, error: bool, message: str
    ) -> Issue:
        issue = self.issue(context, message, severity=None if error else WARNING)
        issue.source_span, issue.target_span = (0, len(source)), (0, len(translation))
        return issue
