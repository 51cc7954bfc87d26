"""A bilingual lexicon learned from the archive itself, as a further alignment anchor.

Hunalign's idea without its dictionary: the confident 1-1 links of a first alignment
pass are a parallel corpus; words that keep appearing on both sides of the same links
are translations. For each source word the lexicon keeps its most associated target
word (Dice, among pairs seen in two links or more whose pointwise association is at least
``e``), with two log-likelihood ratios (a naive-Bayes link model):

- ``hit = log P(t in link | s in link) / P(t in a sentence)``, when the target side holds
  the translation: a bonus that grows with how specific the pair is (``hospital`` /
  ``مستشفى`` far more than ``in`` / ``في``);
- ``miss = log P(t not in link | s) / P(t not in a sentence)``, when it lacks it: a
  penalty. A 1-0 bead pays neither, which is what lets the lexicon tell a dropped
  sentence from one merged into its neighbour (the same reason numbers on one side only
  cost something, see :mod:`.anchors`).

A bead's lexical score is ``WEIGHT`` times the sum over its distinct source words. The
counts, not the table, are what is stored with the memory (:mod:`.schema`) and added to
by later imports; the table is derived from them. Below ``MIN_LINKS`` links the lexicon
says nothing: a handful of sentences teaches only coincidences.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..text.fold import ARABIC_WORD, clitic_stems, fold_letters

#: Scale of the lexical score against the length cost and the other anchors.
WEIGHT = 0.3
#: Links needed before the lexicon is used at all.
MIN_LINKS = 100
#: A pair must be seen in this many links to count.
MIN_JOINT = 2
#: Least pointwise association (natural log) of a kept pair: e ≈ 2.7 times chance.
MIN_ASSOCIATION = 1.0
#: A link pass-1 must be this sure of before it teaches the lexicon.
CONFIDENT = 0.9
#: Target candidates kept per source word in storage (the counts later imports add to).
KEEP_PER_WORD = 8
#: Pair counts held while learning before the pairs seen once are dropped (lossy
#: counting: memory stays bounded on an archive of any size).
MAX_PAIRS = 2_000_000

_LATIN = re.compile(r"[a-z]+(?:'[a-z]+)?")


def words(text: str, lang: str) -> frozenset[str]:
    """The lexicon's view of a text: its distinct words, Arabic ones with spelling variants
    folded and proclitics (و ف ب ل ك ال) removed, Latin ones lower-cased."""
    if lang == "ar":
        out = set()
        for w in ARABIC_WORD.findall(text):
            # The reading without the longest proclitic cluster (وال before و).
            stems = clitic_stems(fold_letters(w), 3)
            out.add(stems[1] if len(stems) > 1 else stems[0])
        return frozenset(out)
    return frozenset(w for w in _LATIN.findall(text.lower()) if len(w) >= 2)


@dataclass(frozen=True)
class Translation:
    """A source word's most associated target word and its two log-likelihood ratios."""

    target: str
    hit: float
    miss: float


class Lexicon:
    """Link counts for one language pair, and the translation table derived from them."""

    def __init__(self, source_lang: str = "ar", target_lang: str = "en") -> None:
        self.source_lang = source_lang
        self.target_lang = target_lang
        self.links = 0
        self.source_counts: Counter[str] = Counter()
        self.target_counts: Counter[str] = Counter()
        self.pair_counts: Counter[tuple[str, str]] = Counter()
        self._table: dict[str, Translation] | None = None

    def __len__(self) -> int:
        """Source words with a translation."""
        return len(self.table)

    @property
    def active(self) -> bool:
        return self.links >= MIN_LINKS

    def learn(self, pairs: Iterable[tuple[str, str]]) -> int:
        """Count the words of each (source text, target text) link; returns the links."""
        n = 0
        for source, target in pairs:
            self.add_link(words(source, self.source_lang), words(target, self.target_lang))
            n += 1
        return n

    def add_link(self, source: frozenset[str], target: frozenset[str]) -> None:
        self.links += 1
        self.source_counts.update(source)
        self.target_counts.update(target)
        self.pair_counts.update((s, t) for s in source for t in target)
        if len(self.pair_counts) > MAX_PAIRS:
            # Drop the rarest pairs until half the room is free, so this runs seldom.
            floor = 1
            while len(self.pair_counts) > MAX_PAIRS // 2:
                self.pair_counts = Counter({k: c for k, c in self.pair_counts.items() if c > floor})
                floor += 1
        self._table = None

    def copy(self) -> Lexicon:
        other = Lexicon(self.source_lang, self.target_lang)
        other.links = self.links
        other.source_counts = Counter(self.source_counts)
        other.target_counts = Counter(self.target_counts)
        other.pair_counts = Counter(self.pair_counts)
        return other

    @property
    def table(self) -> dict[str, Translation]:
        """Each source word's translation, derived from the counts (cached)."""
        if self._table is None:
            self._table = self._derive()
        return self._table

    def _derive(self) -> dict[str, Translation]:
        n = self.links
        best: dict[str, tuple[float, Translation]] = {}
        for (s, t), joint in self.pair_counts.items():
            if joint < MIN_JOINT or not n:
                continue
            ns, nt = self.source_counts[s], self.target_counts[t]
            p = (joint + 0.5) / (ns + 1)  # P(t | s), smoothed
            q = nt / n  # P(t) in any link
            if p >= 1 or q >= 1 or math.log(p / q) < MIN_ASSOCIATION:
                continue
            dice = joint / (ns + nt)
            if s not in best or dice > best[s][0]:
                best[s] = (dice, Translation(t, math.log(p / q), math.log((1 - p) / (1 - q))))
        return {s: found for s, (_, found) in best.items()}

    def score(self, source: frozenset[str], target: frozenset[str]) -> float:
        """The lexical log-likelihood ratio of linking texts with these words."""
        if not self.active:
            return 0.0
        table = self.table
        total = 0.0
        for s in source:
            found = table.get(s)
            if found is not None:
                total += found.hit if found.target in target else found.miss
        return WEIGHT * total

    # -- storage ----------------------------------------------------------------------

    def rows(self) -> Iterator[tuple[str, str, int]]:
        """(source, target, links) rows to store: the link total (both empty), every word's
        count (the other side empty), and each source word's strongest pairs."""
        yield "", "", self.links
        yield from ((s, "", c) for s, c in self.source_counts.items())
        yield from (("", t, c) for t, c in self.target_counts.items())
        by_source: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for (s, t), c in self.pair_counts.items():
            by_source[s].append((c, t))
        for s, found in by_source.items():
            found.sort(reverse=True)
            yield from ((s, t, c) for c, t in found[:KEEP_PER_WORD])

    @classmethod
    def from_rows(
        cls, rows: Iterable[tuple[str, str, int]], source_lang: str, target_lang: str
    ) -> Lexicon:
        lexicon = cls(source_lang, target_lang)
        for s, t, c in rows:
            if not s and not t:
                lexicon.links = c
            elif not t:
                lexicon.source_counts[s] = c
            elif not s:
                lexicon.target_counts[t] = c
            else:
                lexicon.pair_counts[s, t] = c
        return lexicon
