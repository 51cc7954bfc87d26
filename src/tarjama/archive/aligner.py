"""Align an Arabic text with its English translation: paragraphs, then sentences.

Pure logic, no engine inside. Both levels run the same dynamic program over "beads"
(1-1, 1-2, 2-1, 1-0, 0-1 links). A bead's cost is a Gale-Church length cost (the target
length is normally distributed around ``ratio * source length``, variance growing with the
length) plus a prior per bead kind, minus a bonus for every *anchor* both sides share:
numbers (normalised across digit systems), dates, quoted spans, Latin-script tokens and,
when a transliterator is injected, proper names; a number or date on one side only costs
a little. With a :class:`~.lexicon.Lexicon` (learned from the archive's own confident
links, :meth:`Aligner.align_many`), the words both sides share as translations are a
further anchor. Every link carries the posterior probability of its bead (forward-backward
over the same lattice). Links under ``threshold``, without a partner, or whose own
lengths or anchors speak against them are flagged, so that a memory import can skip them
instead of learning from them silently. See docs/memory.md for the method and figures.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..text import split_sentences
from .anchors import AnchorExtractor, Anchors, anchor_score
from .lexicon import CONFIDENT, Lexicon, words
from .types import Alignment, Article, Link, ParagraphPair, SentencePair, Transliterate

#: Bead kinds (source units, target units) and their prior probabilities.
_PRIORS: dict[tuple[int, int], float] = {
    (1, 1): 0.89,
    (1, 2): 0.045,
    (2, 1): 0.045,
    (1, 0): 0.01,
    (0, 1): 0.01,
}

#: Non-space characters of English per character of Arabic (FLORES dev+test: 1.13).
_TYPICAL_RATIO = {("ar", "en"): 1.13, ("en", "ar"): 1 / 1.13}

#: A length difference this improbable (two-sided tail under 1%) flags a link on its own.
_DOUBTFUL_LENGTH_COST = -math.log(0.01)


@dataclass(frozen=True)
class Unit:
    """A paragraph or sentence as the aligner sees it: its length and its anchors."""

    text: str
    length: int
    anchors: Anchors
    #: The lexicon's view of the text (:func:`.lexicon.words`).
    words: frozenset[str] = field(default=frozenset())


def _length(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def _norm_sf(x: float) -> float:
    """Two-sided tail probability of a standard normal: P(|Z| >= x)."""
    return math.erfc(x / math.sqrt(2))


def _logsumexp(values: list[float]) -> float:
    top = max(values)
    if top == -math.inf:
        return top
    return top + math.log(sum(math.exp(v - top) for v in values))


def _ratio_of(links: list[Link], source: Sequence[Unit], target: Sequence[Unit]) -> float | None:
    """Target/source length ratio over the confident 1-1 links, if there are any."""
    pairs = [(lk.source[0], lk.target[0]) for lk in links if lk.kind == "1-1" and not lk.flagged]
    src = sum(source[i].length for i, _ in pairs)
    return sum(target[j].length for _, j in pairs) / src if src else None


class Aligner:
    """Aligns two sequences of units (paragraphs or sentences) with Gale-Church plus anchors.

    ``ratio`` is the expected target/source length ratio (estimated from the whole article
    when not given); ``variance`` the growth of the length variance per source character;
    ``use_anchors=False`` gives the plain length-based aligner, kept for the benchmark;
    ``lexicon`` adds the words both sides share as translations to the anchors.
    """

    def __init__(
        self,
        *,
        transliterate: Transliterate | None = None,
        threshold: float = 0.5,
        variance: float = 4.5,
        use_anchors: bool = True,
        lexicon: Lexicon | None = None,
    ) -> None:
        self.extractor = AnchorExtractor(transliterate)
        self.threshold = threshold
        self.variance = variance
        self.use_anchors = use_anchors
        self.lexicon = lexicon

    def with_lexicon(self, lexicon: Lexicon | None) -> Aligner:
        """The same aligner (and its cache of transliterated names) with another lexicon."""
        other = Aligner(
            threshold=self.threshold,
            variance=self.variance,
            use_anchors=self.use_anchors,
            lexicon=lexicon,
        )
        other.extractor = self.extractor
        return other

    def units(self, texts: Sequence[str], lang: str) -> list[Unit]:
        if self.use_anchors and lang == "ar":
            self.extractor.prepare(texts)
        return [
            Unit(
                t,
                _length(t),
                self.extractor.anchors(t, lang) if self.use_anchors else Counter(),
                words(t, lang) if self.use_anchors else frozenset(),
            )
            for t in texts
        ]

    def align_units(
        self,
        source: Sequence[Unit],
        target: Sequence[Unit],
        *,
        ratio: float | None = None,
        force_one_to_one: bool = False,
    ) -> list[Link]:
        """Links between ``source`` and ``target`` in order, each with its posterior score.

        With ``force_one_to_one`` (and equal counts) the path is the diagonal, but the
        scores still come from the full lattice, so a doubtful pairing is flagged.
        """
        if ratio is None:
            total = sum(u.length for u in source)
            ratio = sum(u.length for u in target) / total if total else 1.0
        n, m = len(source), len(target)

        def cost(i: int, j: int, di: int, dj: int) -> float:
            return self._bead_cost(source[i : i + di], target[j : j + dj], ratio)

        beads = list(_PRIORS)
        inf = math.inf
        best = [[inf] * (m + 1) for _ in range(n + 1)]
        back: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
        fwd = [[-inf] * (m + 1) for _ in range(n + 1)]
        costs: dict[tuple[int, int, int, int], float] = {}
        best[0][0] = 0.0
        fwd[0][0] = 0.0
        for i in range(n + 1):
            for j in range(m + 1):
                if i == j == 0:
                    continue
                terms = []
                for di, dj in beads:
                    pi, pj = i - di, j - dj
                    if pi < 0 or pj < 0:
                        continue
                    c = costs.setdefault((pi, pj, di, dj), cost(pi, pj, di, dj))
                    terms.append(fwd[pi][pj] - c)
                    if best[pi][pj] + c < best[i][j]:
                        best[i][j] = best[pi][pj] + c
                        back[i][j] = (di, dj)
                fwd[i][j] = _logsumexp(terms) if terms else -inf
        bwd = [[-inf] * (m + 1) for _ in range(n + 1)]
        bwd[n][m] = 0.0
        for i in range(n, -1, -1):
            for j in range(m, -1, -1):
                if i == n and j == m:
                    continue
                terms = [
                    bwd[i + di][j + dj] - costs[i, j, di, dj]
                    for di, dj in beads
                    if i + di <= n and j + dj <= m
                ]
                bwd[i][j] = _logsumexp(terms) if terms else -inf
        total_logp = fwd[n][m]

        if force_one_to_one and n == m:
            path = [(k, k, 1, 1) for k in range(n)]
        else:
            path = []
            i, j = n, m
            while i or j:
                di, dj = back[i][j]
                path.append((i - di, j - dj, di, dj))
                i, j = i - di, j - dj
            path.reverse()

        links = []
        for i, j, di, dj in path:
            logp = fwd[i][j] - costs[i, j, di, dj] + bwd[i + di][j + dj] - total_logp
            score = min(1.0, math.exp(logp))
            links.append(
                Link(
                    tuple(range(i, i + di)),
                    tuple(range(j, j + dj)),
                    score,
                    flagged=score < self.threshold
                    or self._doubtful(source[i : i + di], target[j : j + dj], ratio),
                )
            )
        return links

    def _bead_cost(self, src: Sequence[Unit], tgt: Sequence[Unit], ratio: float) -> float:
        prior = -math.log(_PRIORS[len(src), len(tgt)])
        if not src or not tgt:
            return prior
        length_cost, anchors = self._evidence(src, tgt, ratio)
        return prior + length_cost - anchors

    def _evidence(
        self, src: Sequence[Unit], tgt: Sequence[Unit], ratio: float
    ) -> tuple[float, float]:
        """A bead's length cost (-log of the two-sided tail) and its anchor score."""
        ls = sum(u.length for u in src)
        lt = sum(u.length for u in tgt)
        # Symmetric Gale-Church: the spread grows with the mean of both lengths.
        mean = max((ls + lt / ratio) / 2, 1.0)
        delta = abs(lt - ratio * ls) / math.sqrt(self.variance * mean)
        length_cost = -math.log(max(_norm_sf(delta), 1e-300))
        if not self.use_anchors:
            return length_cost, 0.0
        a: Anchors = sum((u.anchors for u in src), Counter())
        b: Anchors = sum((u.anchors for u in tgt), Counter())
        score = anchor_score(a, b)
        if self.lexicon is not None and self.lexicon.active:
            score += self.lexicon.score(
                frozenset().union(*(u.words for u in src)),
                frozenset().union(*(u.words for u in tgt)),
            )
        return length_cost, score

    def _doubtful(self, src: Sequence[Unit], tgt: Sequence[Unit], ratio: float) -> bool:
        """True when a bead's own evidence speaks against it, whatever its rivals score:
        lengths in the outer 1% of the model, or anchors that contradict more than agree.
        (The posterior only compares paths, so it cannot see that every path is bad.)"""
        if not src or not tgt:
            return True
        length_cost, anchors = self._evidence(src, tgt, ratio)
        return length_cost > _DOUBTFUL_LENGTH_COST or anchors < 0

    # --- documents ------------------------------------------------------------------------

    def align_many(self, articles: Sequence[Article]) -> list[Alignment]:
        """Align articles in two passes: the first pass's confident 1-1 sentence links
        (with the lexicon given, if any) teach a lexicon, and the second pass uses it."""
        first = [self.align(a.arabic, a.english, origin=a.origin) for a in articles]
        if not self.use_anchors or not articles:
            return first
        lexicon = self.lexicon.copy() if self.lexicon is not None else Lexicon()
        lexicon.learn(confident_pairs(first))
        if not lexicon.active:
            return first
        second = self.with_lexicon(lexicon)
        return [second.align(a.arabic, a.english, origin=a.origin) for a in articles]

    def align(
        self,
        source: Sequence[str],
        target: Sequence[str],
        *,
        source_lang: str = "ar",
        target_lang: str = "en",
        origin: str = "",
    ) -> Alignment:
        """Align paragraph lists ``source`` and ``target``, then the sentences inside."""
        src_units = self.units(source, source_lang)
        tgt_units = self.units(target, target_lang)
        # The whole texts' length ratio is skewed by any paragraph left untranslated, so
        # start from the language pair's typical ratio and refine it on confident links.
        ratio = _TYPICAL_RATIO.get((source_lang, target_lang), 1.0)
        links = self.align_units(src_units, tgt_units, ratio=ratio, force_one_to_one=True)
        ratio = _ratio_of(links, src_units, tgt_units) or ratio
        links = self.align_units(src_units, tgt_units, ratio=ratio, force_one_to_one=True)
        alignment = Alignment(source_lang, target_lang, origin=origin)
        for link in links:
            src_text = "\n".join(source[i] for i in link.source)
            tgt_text = "\n".join(target[j] for j in link.target)
            sentences: tuple[SentencePair, ...] = ()
            if link.source and link.target:
                sentences = tuple(
                    self._align_sentences(
                        [source[i] for i in link.source],
                        [target[j] for j in link.target],
                        source_lang,
                        target_lang,
                        ratio,
                        paragraph_flagged=link.flagged,
                    )
                )
            alignment.paragraphs.append(
                ParagraphPair(src_text, tgt_text, link.score, link.flagged, link.kind, sentences)
            )
        return alignment

    def align_sentences(
        self,
        source: Sequence[str],
        target: Sequence[str],
        *,
        source_lang: str = "ar",
        target_lang: str = "en",
        ratio: float | None = None,
    ) -> list[Link]:
        """Align sentence units that are already split (the benchmark's entry point).

        ``ratio`` defaults to the language pair's typical length ratio: a paragraph's own
        ratio is skewed by the very sentences the alignment has to find missing.
        """
        if ratio is None:
            ratio = _TYPICAL_RATIO.get((source_lang, target_lang), 1.0)
        return self.align_units(
            self.units(source, source_lang), self.units(target, target_lang), ratio=ratio
        )

    def _align_sentences(
        self,
        source_paragraphs: list[str],
        target_paragraphs: list[str],
        source_lang: str,
        target_lang: str,
        ratio: float,
        *,
        paragraph_flagged: bool,
    ) -> list[SentencePair]:
        src = [s.text for p in source_paragraphs for s in split_sentences(p, source_lang)]
        tgt = [s.text for p in target_paragraphs for s in split_sentences(p, target_lang)]
        pairs = []
        for link in self.align_sentences(
            src, tgt, source_lang=source_lang, target_lang=target_lang, ratio=ratio
        ):
            pairs.append(
                SentencePair(
                    " ".join(src[i] for i in link.source),
                    " ".join(tgt[j] for j in link.target),
                    link.score,
                    link.flagged or paragraph_flagged,
                    link.kind,
                )
            )
        return pairs


def confident_pairs(alignments: Sequence[Alignment]) -> list[tuple[str, str]]:
    """The sentence links a lexicon learns from: 1-1, unflagged, and sure (``CONFIDENT``)."""
    return [
        (s.source, s.target)
        for a in alignments
        for s in a.sentences
        if s.kind == "1-1" and not s.flagged and s.score >= CONFIDENT
    ]
