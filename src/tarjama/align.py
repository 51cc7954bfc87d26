"""Align an Arabic text with its English translation: paragraphs, then sentences.

Pure logic, no engine inside. Both levels run the same dynamic program over "beads"
(1-1, 1-2, 2-1, 1-0, 0-1 links). A bead's cost is a Gale-Church length cost (the target
length is normally distributed around ``ratio * source length``, variance growing with the
length) plus a prior per bead kind, minus a bonus for every *anchor* both sides share:
numbers (normalised across digit systems), dates, quoted spans, Latin-script tokens and,
when a transliterator is injected, proper names; a number or date on one side only costs
a little. Every link carries the posterior probability of its bead (forward-backward
over the same lattice). Links under ``threshold``, without a partner, or whose own
lengths or anchors speak against them are flagged, so that a memory import can skip them
instead of learning from them silently. See docs/memory.md for the method and figures.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .document import read_text
from .errors import InputError
from .text import arabic_ratio, split_sentences
from .translit import Transliterator, default_model_dir, phonetic_key

#: Turns Arabic words into Latin spellings, one output per input (e.g. a CTranslate2 model).
Transliterate = Callable[[list[str]], list[str]]

Anchors = Counter[tuple[str, str]]


def default_transliterate() -> Transliterate | None:
    """The installed (or shared) aren-transliteration model, or None to align without names."""
    model = default_model_dir()
    return Transliterator.load(model).transliterate if model is not None else None


#: Bead kinds (source units, target units) and their prior probabilities.
_PRIORS: dict[tuple[int, int], float] = {
    (1, 1): 0.89,
    (1, 2): 0.045,
    (2, 1): 0.045,
    (1, 0): 0.01,
    (0, 1): 0.01,
}

#: Log-likelihood bonus per shared anchor, by anchor kind.
_ANCHOR_WEIGHTS = {"num": 2.5, "lat": 2.5, "date": 2.5, "name": 2.0, "quote": 1.0, "punct": 1.0}

#: Non-space characters of English per character of Arabic (FLORES dev+test: 1.13).
_TYPICAL_RATIO = {("ar", "en"): 1.13, ("en", "ar"): 1 / 1.13}

#: Anchor kinds every translation keeps, and the penalty for one found on one side only.
_KEPT = frozenset({"num", "date"})
_STRANDED = 1.0
#: A length difference this improbable (two-sided tail under 1%) flags a link on its own.
_DOUBTFUL_LENGTH_COST = -math.log(0.01)


@dataclass(frozen=True)
class Link:
    """One bead: indices of source and target units, its posterior score, and its flag."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    score: float
    flagged: bool

    @property
    def kind(self) -> str:
        return f"{len(self.source)}-{len(self.target)}"


@dataclass(frozen=True)
class SentencePair:
    source: str
    target: str
    score: float
    flagged: bool
    kind: str

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "score": round(self.score, 4),
            "flagged": self.flagged,
            "kind": self.kind,
        }


@dataclass(frozen=True)
class ParagraphPair(SentencePair):
    """A paragraph link and the sentence links inside it."""

    sentences: tuple[SentencePair, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "sentences": [s.to_json() for s in self.sentences]}


@dataclass
class Alignment:
    """The aligned paragraphs of one article, each with its aligned sentences."""

    source_lang: str
    target_lang: str
    paragraphs: list[ParagraphPair] = field(default_factory=list)
    origin: str = ""

    @property
    def sentences(self) -> list[SentencePair]:
        return [s for p in self.paragraphs for s in p.sentences]

    def to_json(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "source": self.source_lang,
            "target": self.target_lang,
            "paragraphs": [p.to_json() for p in self.paragraphs],
        }


# --- anchors -------------------------------------------------------------------------------

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_D = "0-9٠-٩۰-۹"
_NUMBER = re.compile(rf"(?<![{_D}])[{_D}]+(?:[.,٫٬][{_D}]+)*(?:\s*(ألف|آلاف|thousand))?")
_QUOTED = re.compile(r"«[^»]+»|\"[^\"]+\"|“[^”]+”")
#: Punctuation both languages keep: questions, brackets, percent signs.
_PUNCT = {"?": "?", "؟": "?", "(": "(", "%": "%", "٪": "%"}
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’\-]*")
_ARABIC_WORD = re.compile(r"[\u0621-\u064A\u0671-\u06D3]{2,}")
#: One-letter clitics (and, so, with, for, like) and the article fused to Arabic words.
_CLITIC = re.compile(r"^(?:[وف]?(?:[بلك]?ال|لل|[بل])?)")
#: Months and weekdays, which news states in both languages: word -> shared key.
_CALENDAR = {
    word: f"{kind}{n}"
    for kind, table in (
        (
            "month",
            (
                "January يناير",
                "February فبراير شباط",
                "March مارس آذار",
                "April أبريل ابريل نيسان",
                "May مايو أيار",
                "June يونيو حزيران",
                "July يوليو تموز",
                "August أغسطس آب",
                "September سبتمبر أيلول",
                "October أكتوبر",
                "November نوفمبر",
                "December ديسمبر",
            ),
        ),
        (
            "day",
            (
                "Monday الاثنين الإثنين",
                "Tuesday الثلاثاء",
                "Wednesday الأربعاء",
                "Thursday الخميس",
                "Friday الجمعة",
                "Saturday السبت",
                "Sunday الأحد",
            ),
        ),
    )
    for n, names in enumerate(table, 1)
    for word in names.split()
}


def normalise_number(raw: str) -> str:
    """A number as digits with '.' for decimals, whatever the digit system and separators.

    ``٣٫٥`` -> ``3.5``; ``12,000`` -> ``12000``; ``12 ألف`` -> ``12000``.
    """
    thousands = bool(re.search(r"(ألف|آلاف|thousand)$", raw))
    raw = re.sub(r"\s*(ألف|آلاف|thousand)$", "", raw).translate(_DIGITS)
    raw = raw.replace("٬", "").replace("٫", ".")
    # A comma followed by exactly three digits groups thousands; any other comma is a decimal.
    raw = re.sub(r",(?=\d{3}(?!\d))", "", raw).replace(",", ".")
    if raw.count(".") > 1:  # dotted grouping such as 1.000.000
        raw = raw.replace(".", "")
    try:
        value = float(raw) * (1000 if thousands else 1)
    except ValueError:
        return raw
    return f"{value:.6f}".rstrip("0").rstrip(".")


class AnchorExtractor:
    """Finds anchors in Arabic and English text; caches transliterations across calls."""

    def __init__(self, transliterate: Transliterate | None = None) -> None:
        self._transliterate = transliterate
        self._keys: dict[str, str] = {}

    def prepare(self, arabic_texts: Iterable[str]) -> None:
        """Transliterate every candidate name in ``arabic_texts`` in one batch."""
        if self._transliterate is None:
            return
        words = sorted({w for t in arabic_texts for w in self._arabic_names(t)} - self._keys.keys())
        if not words:
            return
        latin = self._transliterate(words)
        for word, spelled in zip(words, latin, strict=True):
            self._keys[word] = phonetic_key(spelled)

    def anchors(self, text: str, lang: str) -> Anchors:
        found: Anchors = Counter()
        for m in _NUMBER.finditer(text):
            found["num", normalise_number(m.group(0))] += 1
        found["quote", ""] += len(_QUOTED.findall(text))
        for ch in text:
            if ch in _PUNCT:
                found["punct", _PUNCT[ch]] += 1
        if lang == "ar":
            for w in _LATIN_WORD.findall(text):
                found["lat", w.lower()] += 1
            for w in _ARABIC_WORD.findall(text):
                for form in (w, _CLITIC.sub("", w)):
                    if form in _CALENDAR:
                        found["date", _CALENDAR[form]] += 1
                        break
            if self._transliterate is not None:
                self.prepare([text])
                for key in {self._keys[w] for w in self._arabic_names(text)}:
                    if len(key) >= 3:
                        found["name", key] += 1
        else:
            for w in _LATIN_WORD.findall(text):
                found["lat", w.lower()] += 1
                if w in _CALENDAR:
                    found["date", _CALENDAR[w]] += 1
                if self._transliterate is not None and w[0].isupper():
                    key = phonetic_key(w)
                    if len(key) >= 3:
                        found["name", key] += 1
        return +found

    @staticmethod
    def _arabic_names(text: str) -> list[str]:
        """Every Arabic word, and the word without its clitics: names hide behind both."""
        out = []
        for w in _ARABIC_WORD.findall(text):
            out.append(w)
            stem = _CLITIC.sub("", w)
            if stem != w and len(stem) >= 3:
                out.append(stem)
        return out


def anchor_score(a: Anchors, b: Anchors) -> float:
    """The log-likelihood change of pairing text with anchors ``a`` and text with ``b``.

    Each shared anchor is a bonus. A number or date on one side only is a penalty: a
    translation keeps them, while a sentence left untranslated (a 1-0 bead, which never
    gets here) loses them all, so a bead that strands one is less likely true.
    """
    bonus = sum(_ANCHOR_WEIGHTS[kind] * n for (kind, _), n in (a & b).items())
    stranded = sum(n for (kind, _), n in ((a - b) + (b - a)).items() if kind in _KEPT)
    return bonus - _STRANDED * stranded


# --- the dynamic program --------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """A paragraph or sentence as the aligner sees it: its length and its anchors."""

    text: str
    length: int
    anchors: Anchors


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
    ``use_anchors=False`` gives the plain length-based aligner, kept for the benchmark.
    """

    def __init__(
        self,
        *,
        transliterate: Transliterate | None = None,
        threshold: float = 0.5,
        variance: float = 4.5,
        use_anchors: bool = True,
    ) -> None:
        self.extractor = AnchorExtractor(transliterate)
        self.threshold = threshold
        self.variance = variance
        self.use_anchors = use_anchors

    def units(self, texts: Sequence[str], lang: str) -> list[Unit]:
        if self.use_anchors and lang == "ar":
            self.extractor.prepare(texts)
        return [
            Unit(
                t,
                _length(t),
                self.extractor.anchors(t, lang) if self.use_anchors else Counter(),
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
        return length_cost, anchor_score(a, b)

    def _doubtful(self, src: Sequence[Unit], tgt: Sequence[Unit], ratio: float) -> bool:
        """True when a bead's own evidence speaks against it, whatever its rivals score:
        lengths in the outer 1% of the model, or anchors that contradict more than agree.
        (The posterior only compares paths, so it cannot see that every path is bad.)"""
        if not src or not tgt:
            return True
        length_cost, anchors = self._evidence(src, tgt, ratio)
        return length_cost > _DOUBTFUL_LENGTH_COST or anchors < 0

    # --- documents ------------------------------------------------------------------------

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


# --- bilingual files ------------------------------------------------------------------------


def split_bilingual(text: str) -> list[tuple[list[str], list[str]]]:
    """Split an archive text into articles of (Arabic paragraphs, English paragraphs).

    Each line with content is a paragraph; its script decides its side. A run of Arabic
    paragraphs followed by a run of English ones is one article, so a file may hold
    several articles in a row. Lines without letters (a lone "2023") stay with their run.
    """
    runs: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        para = line.strip()
        if not para:
            continue
        has_letters = any(ch.isalpha() for ch in para)
        lang = ("ar" if arabic_ratio(para) >= 0.5 else "en") if has_letters else None
        if runs and (lang is None or runs[-1][0] == lang):
            runs[-1][1].append(para)
        else:
            runs.append((lang or "ar", [para]))
    if not runs:
        raise InputError("the bilingual text is empty")
    articles = []
    for k in range(0, len(runs), 2):
        first = runs[k]
        if k + 1 >= len(runs) or first[0] != "ar":
            raise InputError(
                "a bilingual text must hold Arabic paragraphs followed by their English "
                f"translation; paragraph run {k + 1} ({first[0]}) has no partner"
            )
        articles.append((first[1], runs[k + 1][1]))
    return articles


def paragraphs_of(text: str) -> list[str]:
    """Non-empty lines of ``text``, stripped: the paragraphs of a one-language file."""
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass(frozen=True)
class Article:
    """An Arabic text and its English translation, as paragraphs, and where it came from."""

    origin: str
    arabic: list[str]
    english: list[str]


def _language_of(paragraphs: list[str]) -> str:
    return "ar" if arabic_ratio(" ".join(paragraphs)) >= 0.5 else "en"


def read_articles(path: str | Path, english: str | Path | None = None) -> list[Article]:
    """Articles from a bilingual file, an Arabic file and its ``english`` one, or a folder.

    In a folder, every ``*.txt`` holding both scripts is a bilingual file, and one-language
    files pair up by name once the language is dropped (``x.ar.txt`` with ``x.en.txt``).
    """
    p = Path(path)
    if english is not None:
        return [_pair_article(p, Path(english))]
    if p.is_dir():
        return _folder_articles(p)
    text = read_text(p)
    paragraphs = paragraphs_of(text)
    if not any(arabic_ratio(x) >= 0.5 for x in paragraphs) or all(
        arabic_ratio(x) >= 0.5 for x in paragraphs
    ):
        raise InputError(f"{p} holds only one language; give its translation with --en FILE")
    return [Article(f"{p}#{k}", ar, en) for k, (ar, en) in enumerate(split_bilingual(text), 1)]


def _pair_article(arabic: Path, english: Path) -> Article:
    ar = paragraphs_of(read_text(arabic))
    en = paragraphs_of(read_text(english))
    if _language_of(ar) != "ar" or _language_of(en) != "en":
        raise InputError(f"expected Arabic in {arabic} and English in {english}")
    return Article(f"{arabic}+{english.name}", ar, en)


def _folder_articles(folder: Path) -> list[Article]:
    articles: list[Article] = []
    halves: dict[str, dict[str, Path]] = {}
    for file in sorted(folder.glob("*.txt")):
        paragraphs = paragraphs_of(read_text(file))
        scripts = {_language_of([x]) for x in paragraphs}
        if len(scripts) == 2:
            articles.extend(read_articles(file))
        elif scripts:
            stem = re.sub(r"[._-](ar|en|arabic|english)$", "", file.stem, flags=re.IGNORECASE)
            halves.setdefault(stem, {})[scripts.pop()] = file
    for stem, sides in sorted(halves.items()):
        if set(sides) != {"ar", "en"}:
            raise InputError(f"{folder}: '{stem}' has no file in the other language")
        articles.append(_pair_article(sides["ar"], sides["en"]))
    if not articles:
        raise InputError(f"{folder} holds no .txt files to align")
    return articles
