"""Putting a block's inline codes back into its translation.

The block's translation is its sentences' translations, with the source's own whitespace
around and between them. Every code is then given a place in it:

- an edge at a sentence boundary, or in the whitespace between sentences, maps exactly
  (a bold paragraph stays bold, a ``<br/>`` between two sentences stays between them);
- a paired code inside a sentence goes around the target words that the word alignment
  links to the source words it covered (:func:`aligned`), or, when the memory supplied
  the sentence with its markup, where the memory's markup puts it;
- a standalone code inside a sentence keeps its relative position among the words;
- when the alignment is missing or unsure (nothing linked, links scattered outside the
  code's words, or a place that would break the nesting), the sentence's codes are placed
  by **order** (:func:`by_order`): each at the same relative word position, which keeps
  the source's order and nesting. Those sentences are reported, so that the caller can
  say so in the segment's issues.

The result is checked: every code once, none unclosed, each inside the same parent as in
the source. If nothing consistent can be found (it should not happen), the translated text
comes first and the codes follow it, empty, in source order: still translated, flagged.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from .inline import (
    Block,
    Close,
    Local,
    Mark,
    Open,
    ParsedMarkup,
    Point,
    Span,
    Token,
    merge_text,
    text_of,
)
from .tokens import OffsetMap, is_word, tokens

_WORD = re.compile(r"\S+")
_WORDLIKE = re.compile(r"\w+")


@dataclass
class Sentence:
    """One translated sentence of a block, as placement needs it."""

    start: int  # offsets in the block's text
    end: int
    translation: str
    alignment: tuple[tuple[int, int], ...] | None = None
    #: The memory's markup of the translation, already read (see :func:`.inline.parse_markup`).
    memory: ParsedMarkup | None = None


@dataclass
class Placed:
    """A block's translation as tokens, and how its codes were placed."""

    tokens: list[Token]
    text: str
    #: Sentence index -> names of the paired codes placed by order, not by alignment.
    by_order: dict[int, list[str]] = field(default_factory=dict)
    #: Sentence index -> names of the paired codes that held words in the source but none
    #: where they were placed, given the nearest word (a tag never comes back empty).
    widened: dict[int, list[str]] = field(default_factory=dict)
    #: True when no consistent placement was found: the codes follow the text.
    failed: bool = False
    #: Each sentence's offsets in ``text``.
    offsets: list[tuple[int, int]] = field(default_factory=list)
    #: Each sentence's codes to place (see :meth:`.inline.Block.local`).
    locals: list[list[Local]] = field(default_factory=list)


def place(block: Block, sentences: Sequence[Sentence]) -> Placed:
    """The translation of ``block``, whose sentences (in order) are ``sentences``."""
    target, offsets = _assemble(block.text, sentences)
    if not block.spans and not block.marks:
        return Placed(merge_text([target]), target, offsets=offsets, locals=[[] for _ in sentences])
    layout = _Layout(block, sentences, target, offsets)
    methods = {i: layout.first_method(i) for i in range(len(sentences))}
    while True:
        positions = layout.positions(methods)
        blamed = layout.violations(positions)
        if not blamed:
            widened = layout.widen(positions)
            tokens, added, removed = layout.emit(positions)
            by_order = {
                i: names for i, m in methods.items() if m == "order" and (names := layout.paired(i))
            }
            shifted = [
                (
                    a + bisect_right(added, a) - bisect_left(removed, a),
                    b + bisect_left(added, b) - bisect_left(removed, b),
                )
                for a, b in offsets
            ]
            return Placed(
                tokens, text_of(tokens), by_order, widened, offsets=shifted, locals=layout.local
            )
        # The blamed sentences go by order; if none can, every sentence does.
        fixable = {i for i in blamed if methods.get(i, "order") != "order"}
        fixable = fixable or {i for i, m in methods.items() if m != "order"}
        if not fixable:
            break
        for i in fixable:
            methods[i] = "order"
    tail: list[Token] = [t for t in block.tokens if not isinstance(t, str)]
    return Placed(
        merge_text([target, *tail]), target, failed=True, offsets=offsets, locals=layout.local
    )


def _assemble(text: str, sentences: Sequence[Sentence]) -> tuple[str, list[tuple[int, int]]]:
    """Translations in the source's layout: its text before, between and after them."""
    if not sentences:
        return text, []
    parts = [text[: sentences[0].start]]
    offsets = []
    at = len(parts[0])
    for k, sent in enumerate(sentences):
        offsets.append((at, at + len(sent.translation)))
        parts.append(sent.translation)
        after = (
            text[sent.end : sentences[k + 1].start] if k + 1 < len(sentences) else text[sent.end :]
        )
        parts.append(after)
        at += len(sent.translation) + len(after)
    return "".join(parts), offsets


#: Where each code went: span index -> (start, end), mark index -> offset, in the target,
#: with the sentence whose method decided each edge (None: exact).
_Positions = tuple[dict[int, tuple[int, int]], dict[int, int], dict[int, set[int]]]


class _Layout:
    def __init__(
        self,
        block: Block,
        sentences: Sequence[Sentence],
        target: str,
        offsets: list[tuple[int, int]],
    ) -> None:
        self.block = block
        self.sentences = sentences
        self.target = target
        self.offsets = offsets
        self.local = block.locals([(s.start, s.end) for s in sentences])
        self._starts = [s.start for s in sentences]
        self._places: dict[tuple[int, str], dict[tuple[int, str], int]] = {}
        #: Each paired code's closing token index.
        self._closes = {id(t.code): k for k, t in enumerate(block.tokens) if isinstance(t, Close)}

    # -- methods per sentence -----------------------------------------------------------

    def first_method(self, i: int) -> str:
        sent = self.sentences[i]
        if not any(isinstance(item, Span) for _, item, _, _ in self.local[i]):
            return "order"  # only standalone codes: relative position is their rule
        if sent.memory is not None and self._memory_fits(i):
            return "memory"
        if sent.alignment is not None and self._aligned(i) is not None:
            return "aligned"
        return "order"

    def paired(self, i: int) -> list[str]:
        return [item.code.name for _, item, _, _ in self.local[i] if isinstance(item, Span)]

    def _memory_fits(self, i: int) -> bool:
        memory = self.sentences[i].memory
        assert memory is not None
        spans = {n for n, item, _, _ in self.local[i] if isinstance(item, Span)}
        marks = {n for n, item, _, _ in self.local[i] if isinstance(item, Mark)}
        return (
            memory.text == self.sentences[i].translation
            and set(memory.spans) == spans
            and set(memory.marks) == marks
        )

    def _sentence_places(self, i: int, method: str) -> dict[tuple[int, str], int]:
        """Target offsets (within the sentence) of sentence ``i``'s inner edges, keyed by
        (code id, "start" | "end" | "at")."""
        if method == "memory":
            memory = self.sentences[i].memory
            assert memory is not None
            out: dict[tuple[int, str], int] = {}
            for n, item, _, _ in self.local[i]:
                if isinstance(item, Span):
                    out[(id(item.code), "start")], out[(id(item.code), "end")] = memory.spans[n]
                else:
                    out[(id(item.code), "at")] = memory.marks[n]
            return out
        places = self._by_order(i)
        if method == "aligned":
            aligned = self._aligned(i)
            assert aligned is not None
            places.update(aligned)
        return places

    def _aligned(self, i: int) -> dict[tuple[int, str], int] | None:
        """Paired codes' edges from the word alignment; None when it is unsure."""
        sent = self.sentences[i]
        assert sent.alignment is not None
        source = self.block.text[sent.start : sent.end]
        src_words = [(m.start(), m.end()) for m in _WORD.finditer(source)]
        tgt_words = [(m.start(), m.end()) for m in _WORD.finditer(sent.translation)]
        src_starts, src_ends = [w for w, _ in src_words], [e for _, e in src_words]
        targets: dict[int, list[int]] = {}
        links: dict[int, set[int]] = {}
        for s, t in sent.alignment:
            if s < len(src_words) and t < len(tgt_words):
                links.setdefault(t, set()).add(s)
                targets.setdefault(s, []).append(t)
        out: dict[tuple[int, str], int] = {}
        for _, item, a, b in self.local[i]:
            if not isinstance(item, Span):
                continue
            a, b = a - sent.start, b - sent.start
            # The words the code overlaps: ending after a, starting before b.
            covered = range(bisect_right(src_ends, a), bisect_left(src_starts, b))
            hits = sorted({t for k in covered for t in targets.get(k, ())})
            if not covered or not hits:
                return None
            lo, hi = hits[0], hits[-1]
            linked = [links[t] for t in range(lo, hi + 1) if t in links]
            inside = sum(1 for words in linked if _meets(words, covered))
            outside = len(linked) - inside
            # Links scattered outside the code's words, or a few words spread over far more
            # of the translation than their share: the alignment is guessing.
            if (
                outside > inside
                or hi - lo + 1 > 2 * len(covered) * len(tgt_words) / len(src_words) + 2
            ):
                return None
            # The edge keeps its side of the punctuation: a code that began after an
            # opening bracket, or ended before a comma, does so in the translation too.
            word = (source, src_words[covered[0]], sent.translation, tgt_words[lo])
            if item.start > sent.start:
                out[(id(item.code), "start")] = _edge(*word, a, start=True)
            word = (source, src_words[covered[-1]], sent.translation, tgt_words[hi])
            if item.end < sent.end:
                out[(id(item.code), "end")] = _edge(*word, b, start=False)
        return out

    def _by_order(self, i: int) -> dict[tuple[int, str], int]:
        """Each inner edge where its neighbouring tokens went (:class:`.tokens.OffsetMap`):
        kept tokens anchor it, a rewritten run places it by its relative position; the
        edges keep their source order."""
        sent = self.sentences[i]
        mapping = OffsetMap(self.block.text[sent.start : sent.end], sent.translation)
        events: list[tuple[int, int, tuple[int, str], str]] = []
        for _, item, _, _ in self.local[i]:
            key = id(item.code)
            if isinstance(item, Mark):
                events.append((item.at, item.order, (key, "at"), "right"))
                continue
            if sent.start < item.start < sent.end:
                events.append((item.start, item.order, (key, "start"), "right"))
            if sent.start < item.end < sent.end:
                events.append((item.end, self._closes[key], (key, "end"), "left"))
        events.sort()
        out: dict[tuple[int, str], int] = {}
        floor = 0
        for p, _, edge, lean in events:
            floor = out[edge] = max(floor, mapping.offset(p - sent.start, lean))
        return out

    # -- the whole block ------------------------------------------------------------------

    def _exact(self, p: int) -> int | None:
        """The target offset of source offset ``p`` outside every sentence's inside."""
        k = bisect_right(self._starts, p) - 1
        if k < 0:
            return p  # before the first sentence
        sent, (start, end) = self.sentences[k], self.offsets[k]
        if p == sent.start:
            return start
        if p < sent.end:
            return None
        return end + (p - sent.end)  # in the space after sentence k

    def _inside(self, p: int) -> int:
        return bisect_right(self._starts, p) - 1

    def positions(self, methods: dict[int, str]) -> _Positions:
        places = {}
        for i, method in methods.items():
            if self.local[i]:
                if (i, method) not in self._places:
                    self._places[(i, method)] = self._sentence_places(i, method)
                places[i] = self._places[(i, method)]
        spans: dict[int, tuple[int, int]] = {}
        marks: dict[int, int] = {}
        origin: dict[int, set[int]] = {}

        def at(p: int, key: tuple[int, str], owner: int) -> int:
            exact = self._exact(p)
            if exact is not None:
                return exact
            i = self._inside(p)
            origin.setdefault(owner, set()).add(i)
            return self.offsets[i][0] + places[i][key]

        for k, span in enumerate(self.block.spans):
            key = id(span.code)
            spans[k] = (at(span.start, (key, "start"), k), at(span.end, (key, "end"), k))
        for k, mark in enumerate(self.block.marks):
            owner = -1 - k
            pos = at(mark.at, (id(mark.code), "at"), owner)
            parent = mark.parent
            if parent is not None and owner in origin:  # a code stays inside its parent
                lo, hi = spans[parent]
                pos = min(max(pos, lo), max(lo, hi))
            marks[k] = pos
        return spans, marks, origin

    def _children(
        self, spans: dict[int, tuple[int, int]], marks: dict[int, int]
    ) -> dict[int | None, list[tuple[int, int, int, int]]]:
        """Children of each span (None: the block), as (start, end, order, node) with
        node >= 0 a span index and node < 0 a mark (-1 - index), sorted for output."""
        kids: dict[int | None, list[tuple[int, int, int, int]]] = {}
        for k, span in enumerate(self.block.spans):
            kids.setdefault(span.parent, []).append((*spans[k], span.order, k))
        for k, mark in enumerate(self.block.marks):
            kids.setdefault(mark.parent, []).append((marks[k], marks[k], mark.order, -1 - k))
        for children in kids.values():
            children.sort()
        return kids

    def violations(self, positions: _Positions) -> set[int]:
        """Sentences whose placements break the nesting (empty: all consistent)."""
        spans, marks, origin = positions
        blamed: set[int] = set()
        bad = False
        for parent, children in self._children(spans, marks).items():
            lo, hi = spans[parent] if parent is not None else (0, len(self.target))
            cursor = lo
            for start, end, _, node in children:
                if start < cursor or end > hi or end < start:
                    bad = True
                    blamed |= origin.get(node, set()) | (
                        origin.get(parent, set()) if parent is not None else set()
                    )
                cursor = max(cursor, end)
        if bad and not blamed:
            blamed.add(-1)  # inconsistent without any sentence to blame
        return blamed

    def widen(self, positions: _Positions) -> dict[int, list[str]]:
        """Give each span that held a word in the source, and holds none where it was
        placed, the nearest word in the free space beside it (after it, else before it).
        Returns the sentences whose codes were widened so."""
        spans, marks, origin = positions
        out: dict[int, list[str]] = {}
        for parent, children in self._children(spans, marks).items():
            lo, hi = spans[parent] if parent is not None else (0, len(self.target))
            free = lo
            for n, (start, end, _, node) in enumerate(children):
                following = children[n + 1][0] if n + 1 < len(children) else hi
                span = self.block.spans[node] if node >= 0 else None
                if (
                    span is not None
                    and node in origin
                    and not is_word(self.target[start:end])
                    and is_word(self.block.text[span.start : span.end])
                ):
                    grown = _nearest_word(self.target, start, end, free, following)
                    if grown is not None:
                        spans[node] = start, end = grown
                        for i in origin[node]:
                            out.setdefault(i, []).append(span.code.name)
                free = max(free, end)
        return out

    def emit(self, positions: _Positions) -> tuple[list[Token], list[int], list[int]]:
        """The tokens, the target offsets before which a space was added, and those of the
        spaces taken out. A standalone code that stood between spaces in the source (a code
        span, an image) gets them back where the translation puts it against a word; a
        separator that stood between two words (:data:`.inline.SEPARATORS`) loses the
        space the block gave it."""
        spans, marks, _ = positions
        kids = self._children(spans, marks)
        out: list[Token] = []
        added: list[int] = []
        removed: list[int] = []

        def walk(parent: int | None, lo: int, hi: int) -> None:
            cursor = lo
            for start, end, _, node in kids.get(parent, []):
                out.append(self.target[max(cursor, lo) : start])
                cursor = end
                if node < 0:
                    cursor = self._mark(self.block.marks[-1 - node], start, out, added, removed)
                else:
                    code = self.block.spans[node].code
                    out.append(Open(code))
                    walk(node, start, end)
                    out.append(Close(code))
            out.append(self.target[max(cursor, lo) : hi])

        walk(None, 0, len(self.target))
        return merge_text(out), sorted(added), sorted(removed)

    def _mark(
        self, mark: Mark, at: int, out: list[Token], added: list[int], removed: list[int]
    ) -> int:
        """Write a standalone code placed at ``at``; returns where the text goes on."""
        text, target = self.block.text, self.target
        before = mark.at > 0 and text[mark.at - 1].isspace()
        after = mark.at < len(text) and text[mark.at].isspace()
        if mark.code.gap:
            out.append(Point(mark.code))
            if target[at : at + 1].isspace():
                removed.append(at)
                return at + 1
            return at
        if before and at > 0 and not target[at - 1].isspace():
            out.append(" ")
            added.append(at)
        out.append(Point(mark.code))
        if after and at < len(target) and not target[at].isspace():
            out.append(" ")
            added.append(at)
        return at


def _nearest_word(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int] | None:
    """``[start, end)`` grown to the first word after it before ``hi``, else to the last
    word before it after ``lo``; None if there is none."""
    after = _WORDLIKE.search(text, end, hi)
    if after:
        return start, after.end()
    before = [m for m in _WORDLIKE.finditer(text, lo, start)]
    if before:
        return before[-1].start(), end
    return None


def _meets(words: set[int], covered: range) -> bool:
    return any(w in covered for w in words)


def _edge(
    source: str,
    src_word: tuple[int, int],
    target: str,
    tgt_word: tuple[int, int],
    p: int,
    *,
    start: bool,
) -> int:
    """Where an edge at ``p`` in (or at an end of) the source word goes in the target
    word it is aligned with: the same place when the word is unchanged; else the word's
    start (end); an edge between two of the word's tokens (``(hai)</em>.``) goes between
    the matching tokens of the target word (:class:`.tokens.OffsetMap`), so that it keeps
    exactly the punctuation it had on each side, even when the rendering glued more
    punctuation on (``(hai)..``); an edge inside a run of letters goes before (after) the
    target word's letters."""
    (ws, we), (lo, hi) = src_word, tgt_word
    word = source[ws:we]
    if word == target[lo:hi]:
        return lo + p - ws
    if p == (ws if start else we):
        return lo if start else hi
    if not any(s < p - ws < e for s, e in tokens(word)):
        mapping = OffsetMap(word, target[lo:hi])
        return lo + mapping.offset(p - ws, "right" if start else "left")
    letters = [k for k in range(lo, hi) if target[k].isalnum()]
    if not letters:
        return lo if start else hi
    return letters[0] if start else letters[-1] + 1
