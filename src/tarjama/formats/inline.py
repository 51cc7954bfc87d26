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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree


@dataclass(eq=False)
class Code:
    """An inline code; compared by identity, so each one exists exactly once."""

    name: str
    paired: bool
    data: Any = None


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
        self.tokens = merge_text(self.tokens)
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
        found: list[tuple[int, Span | Mark, int, int]] = []
        for span in self.spans:
            inner = start < span.start < end or start < span.end < end
            if inner and span.start < end and span.end > start:
                found.append((span.order, span, max(span.start, start), min(span.end, end)))
        for mark in self.marks:
            if start < mark.at < end:
                found.append((mark.order, mark, mark.at, mark.at))
        found.sort(key=lambda f: f[0])
        return [(n, item, a, b) for n, (_, item, a, b) in enumerate(found, 1)]

    def markup(self, start: int, end: int) -> str | None:
        """The sentence ``[start, end)`` with its codes written in; None without codes."""
        local = self.local(start, end)
        if not local:
            return None
        return write_markup(self.tokens, start, end, {id(i.code): n for n, i, _, _ in local})


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


def write_markup(tokens: Sequence[Token], start: int, end: int, numbers: dict[int, int]) -> str:
    """The text ``[start, end)`` of ``tokens`` with the codes numbered in ``numbers`` (by
    ``id``) written in as ``<gN>…</gN>`` and ``<xN/>``, in token order. A span that starts
    before ``start`` opens at the beginning, one that ends after ``end`` closes at the end."""
    head: list[str] = []
    body: list[str] = []
    tail: list[str] = []
    at = 0
    for token in tokens:
        if isinstance(token, str):
            a, b = max(at, start), min(at + len(token), end)
            if a < b:
                body.append(html.escape(token[a - at : b - at], quote=False))
            at += len(token)
            continue
        number = numbers.get(id(token.code))
        if number is None:
            continue
        if isinstance(token, Open):
            (head if at < start else body).append(f"<g{number}>")
        elif isinstance(token, Close):
            if at > end:
                tail.append(f"</g{number}>")
            else:
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
