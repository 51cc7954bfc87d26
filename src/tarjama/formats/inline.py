"""Blocks: what every document format becomes, text with inline codes.

A *block* is one translatable unit of a document (an HTML paragraph, a DOCX paragraph, an
XLIFF ``<source>``, a run of subtitle cues, a Markdown paragraph). Its tokens are text and
inline codes: a **paired** code (bold, a link, ``<g>``, ``<pc>``) opens and closes around
text, a **standalone** code (``<br/>``, an image, ``<x/>``, a cue boundary) sits at one
place. A code carries its format's payload (``data``) untouched; the formats layer only
moves it.

The text of a block (its codes left out) is what the pipeline splits into sentences and
translates, so a tag never splits a sentence. The codes that fall inside a sentence are
written into the sentence's *markup* (``قال <g1>الرئيس</g1> إن <x2/>…``), the translation
memory's key for the sentence, and put back after translation by :mod:`.placement`.
"""

from __future__ import annotations

import html
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from ..errors import InputError
from .budget import spend

#: Inline codes nested deeper than this are refused (no article needs a tenth of it).
MAX_DEPTH = 100
#: A sentence holding more inline codes than this is refused: placing them is near-linear,
#: but no real sentence comes near it and the markup would dwarf the text.
MAX_CODES = 2_000
#: Standalone codes that separate words (a line break, a tab): the model must see a space
#: for one that stands between two words with none around it.
SEPARATORS = frozenset({"br", "tab", "cr"})


@dataclass(eq=False)
class Code:
    """An inline code; compared by identity, so each one exists exactly once."""

    name: str
    paired: bool
    data: Any = None
    #: The block put a space after this separator, which the source did not have, so that
    #: the words on either side reach the model apart; placement takes it out again.
    gap: bool = False


@dataclass(frozen=True)
class Open:
    code: Code


@dataclass(frozen=True)
class Close:
    code: Code


@dataclass(frozen=True)
class Point:
    code: Code


Token = str | Open | Close | Point


@dataclass
class Span:
    """Where a paired code sits in its block's text: ``[start, end)``."""

    code: Code
    start: int
    end: int
    parent: int | None  # index of the enclosing span
    order: int  # token index of its opening


@dataclass
class Mark:
    """Where a standalone code sits in its block's text."""

    code: Code
    at: int
    parent: int | None
    order: int


#: One code of a sentence: a span clipped to the sentence, or a mark.
Local = tuple[int, Span | Mark, int, int]  # (number, item, start, end) in block offsets


@dataclass
class Block:
    """Tokens of one translatable unit; ``text``, ``spans`` and ``marks`` derive from them."""

    tokens: list[Token]
    text: str = field(init=False)
    spans: list[Span] = field(init=False)
    marks: list[Mark] = field(init=False)

    def __post_init__(self) -> None:
        spend(sum(len(t) for t in self.tokens if isinstance(t, str)))  # before building it
        self.tokens = merge_text(_separated(merge_text(self.tokens)))
        parts: list[str] = []
        at = 0
        stack: list[int] = []
        self.spans, self.marks = [], []
        for order, token in enumerate(self.tokens):
            if isinstance(token, str):
                parts.append(token)
                at += len(token)
            elif isinstance(token, Open):
                parent = stack[-1] if stack else None
                if len(stack) >= MAX_DEPTH:
                    raise InputError(f"inline markup is nested more than {MAX_DEPTH} deep")
                stack.append(len(self.spans))
                self.spans.append(Span(token.code, at, at, parent, order))
            elif isinstance(token, Close):
                if not stack or self.spans[stack[-1]].code is not token.code:
                    raise ValueError(f"inline code {token.code.name} closed out of order")
                self.spans[stack.pop()].end = at
            else:
                self.marks.append(Mark(token.code, at, stack[-1] if stack else None, order))
        if stack:
            raise ValueError(f"inline code {self.spans[stack[-1]].code.name} never closed")
        self.text = "".join(parts)

    @property
    def codes(self) -> list[Code]:
        return [t.code for t in self.tokens if isinstance(t, (Open, Point))]

    def local(self, start: int, end: int) -> list[Local]:
        """The codes to place inside the sentence ``[start, end)``: spans with an edge
        strictly inside it (clipped to it) and marks strictly inside it, numbered from 1
        in document order. Codes around the whole sentence need no placing."""
        return self.locals([(start, end)])[0]

    def locals(self, bounds: Sequence[tuple[int, int]]) -> list[list[Local]]:
        """:meth:`local` for many sentences (in order, not overlapping) in one sweep."""
        starts = [a for a, _ in bounds]
        found: list[dict[int, tuple[int, Span | Mark]]] = [{} for _ in bounds]

        def inside(at: int) -> int | None:
            k = bisect_right(starts, at) - 1
            return k if k >= 0 and bounds[k][0] < at < bounds[k][1] else None

        for span in self.spans:
            for edge in (span.start, span.end):
                k = inside(edge)
                if k is not None:
                    found[k][span.order] = (span.order, span)
        for mark in self.marks:
            k = inside(mark.at)
            if k is not None:
                found[k][mark.order] = (mark.order, mark)
        out: list[list[Local]] = []
        for (start, end), items in zip(bounds, found, strict=True):
            if len(items) > MAX_CODES:
                raise InputError(
                    f"a sentence holds {len(items)} inline codes; at most {MAX_CODES} are placed"
                )
            ordered = [item for _, item in sorted(items.values(), key=lambda f: f[0])]
            out.append([(n, item, *(_clip(item, start, end))) for n, item in enumerate(ordered, 1)])
        return out

    def markup(self, start: int, end: int) -> str | None:
        """The sentence ``[start, end)`` with its codes written in; None without codes."""
        return self.markups([(start, end)])[0]

    def markups(self, bounds: Sequence[tuple[int, int]]) -> list[str | None]:
        """:meth:`markup` for many sentences."""
        offsets = token_offsets(self.tokens)
        return [
            write_markup(self.tokens, offsets, start, end, local) if local else None
            for (start, end), local in zip(bounds, self.locals(bounds), strict=True)
        ]


def _separated(tokens: list[Token]) -> list[Token]:
    """``tokens`` with a space after each separator that stands between two words
    (``line<br/>second``), the separator's code marked as having gained it."""
    following: list[str] = [""] * (len(tokens) + 1)  # the next text after each token
    for k in range(len(tokens) - 1, -1, -1):
        token = tokens[k]
        following[k] = token if isinstance(token, str) else following[k + 1]
    out: list[Token] = []
    before = ""
    for k, token in enumerate(tokens):
        out.append(token)
        if isinstance(token, str):
            before = token
        elif isinstance(token, Point) and token.code.name in SEPARATORS:
            after = following[k + 1]
            glued = bool(before and after) and not before[-1].isspace()
            token.code.gap = glued and not after[0].isspace()
            if token.code.gap:
                out.append(" ")
    return out


def _clip(item: Span | Mark, start: int, end: int) -> tuple[int, int]:
    if isinstance(item, Mark):
        return item.at, item.at
    return max(item.start, start), min(item.end, end)


def merge_text(tokens: Iterable[Token]) -> list[Token]:
    """Adjacent strings joined, empty ones dropped."""
    out: list[Token] = []
    for token in tokens:
        if isinstance(token, str):
            if not token:
                continue
            if out and isinstance(out[-1], str):
                out[-1] += token
                continue
        out.append(token)
    return out


def token_offsets(tokens: Sequence[Token]) -> list[int]:
    """The text offset at which each token starts."""
    out, at = [], 0
    for token in tokens:
        out.append(at)
        if isinstance(token, str):
            at += len(token)
    return out


def write_markup(
    tokens: Sequence[Token],
    offsets: Sequence[int],
    start: int,
    end: int,
    local: Sequence[Local],
) -> str:
    """The text ``[start, end)`` of ``tokens`` (whose :func:`token_offsets` are ``offsets``)
    with the sentence's ``local`` codes written in as ``<gN>…</gN>`` and ``<xN/>``, in token
    order. A span that began before the sentence opens at its beginning, one that ends
    after it closes at its end (the inner one first)."""
    numbers = {id(item.code): n for n, item, _, _ in local}
    head = [f"<g{n}>" for n, item, a, _ in local if isinstance(item, Span) and item.start < a]
    tail = [
        f"</g{n}>" for n, item, _, b in reversed(local) if isinstance(item, Span) and item.end > b
    ]
    body: list[str] = []
    k = max(bisect_left(offsets, start) - 1, 0)
    while k < len(tokens) and offsets[k] <= end:
        token, at = tokens[k], offsets[k]
        k += 1
        if isinstance(token, str):
            a, b = max(at, start), min(at + len(token), end)
            if a < b:
                body.append(html.escape(token[a - at : b - at], quote=False))
            continue
        number = numbers.get(id(token.code))
        if number is None or at < start:
            continue
        if isinstance(token, Open):
            body.append(f"<g{number}>")
        elif isinstance(token, Close):
            body.append(f"</g{number}>")
        else:
            body.append(f"<x{number}/>")
    return "".join(head + body + tail)


@dataclass(frozen=True)
class ParsedMarkup:
    """A markup string read back: its text, and each code number's offsets in it."""

    text: str
    spans: dict[int, tuple[int, int]]
    marks: dict[int, int]


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def parse_markup(markup: str) -> ParsedMarkup | None:
    """Read ``<gN>…</gN>`` / ``<xN/>`` markup (as the memory stores it); None if it is not
    well-formed or holds anything else."""
    try:
        root = etree.fromstring(f"<m>{markup}</m>", _PARSER)
    except etree.XMLSyntaxError:
        return None
    text: list[str] = []
    spans: dict[int, tuple[int, int]] = {}
    marks: dict[int, int] = {}
    size = 0

    def walk(node: Any) -> bool:
        nonlocal size
        if node.text:
            text.append(node.text)
            size += len(node.text)
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else ""
            kind, number = tag[:1], tag[1:]
            if kind not in ("g", "x") or not number.isdigit() or int(number) in spans | marks:
                return False
            start = size
            if kind == "x":
                if len(child) or child.text:
                    return False
                marks[int(number)] = start
            else:
                if not walk(child):
                    return False
                spans[int(number)] = (start, size)
            if child.tail:
                text.append(child.tail)
                size += len(child.tail)
        return True

    if not walk(root):
        return None
    return ParsedMarkup("".join(text), spans, marks)


def strip_markup(markup: str) -> str | None:
    """The text of a markup string without its codes (None if it is not markup)."""
    parsed = parse_markup(markup)
    return parsed.text if parsed else None


def check_tokens(tokens: Sequence[Token], codes: Sequence[Code]) -> str | None:
    """Why ``tokens`` are not a well-formed arrangement of exactly ``codes`` (None if they
    are): every code once, every paired one opened and closed in order."""
    seen: list[Code] = []
    stack: list[Code] = []
    for token in tokens:
        if isinstance(token, Open):
            stack.append(token.code)
            seen.append(token.code)
        elif isinstance(token, Close):
            if not stack or stack.pop() is not token.code:
                return f"{token.code.name} closed out of order"
        elif isinstance(token, Point):
            seen.append(token.code)
    if stack:
        return f"{stack[-1].name} left open"
    if len(seen) != len(codes) or {id(c) for c in seen} != {id(c) for c in codes}:
        return "codes lost or duplicated"
    return None


def text_of(tokens: Iterable[Token]) -> str:
    return "".join(t for t in tokens if isinstance(t, str))


def walk_tree(tokens: Sequence[Token]) -> Iterator[tuple[Token, int]]:
    """Tokens with their nesting depth (an Open's depth is that of its contents' parent)."""
    depth = 0
    for token in tokens:
        if isinstance(token, Close):
            depth -= 1
        yield token, depth
        if isinstance(token, Open):
            depth += 1
