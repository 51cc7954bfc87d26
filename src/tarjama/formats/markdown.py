"""Markdown (CommonMark with GFM tables and strikethrough), read with markdown-it-py.

Each inline run markdown-it finds (a paragraph, a heading, a list item's text, a table
cell) is a block; emphasis, strong, strikethrough and links are paired codes; code spans,
images, inline HTML and autolinks are standalone codes kept as they were written, and so
are line breaks (a paragraph keeps its line count). Only those runs are rewritten, in
place, in the source: headings' ``#``, list markers, quotes' ``>``, tables' ``|``, code
blocks, HTML blocks and everything else stay byte for byte. Translated text is escaped
where it would otherwise become markup. Link destinations are written back as markdown-it
normalised them (in angle brackets when they need them), so a reference link
(``[text][ref]``) comes back inline. Front matter at the top is kept, never parsed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt

from ..errors import InputError
from .base import BlockResult, decode_markup
from .inline import Block, Close, Code, Open, Point, Token

_PAIRED = {"strong_open": "strong", "em_open": "em", "s_open": "s", "link_open": "link"}
_CLOSING = {"strong_close", "em_close", "s_close", "link_close"}
#: Characters that would start markup in running text.
_ESCAPE = re.compile(r"([\\`*_\[\]<|]|&(?=#?\w+;))")
_LINE_START = re.compile(r"^([#>+-])")
_NUMBERED = re.compile(r"^(\d+)([.)])")
#: YAML (``---``) or TOML (``+++``) front matter at the top of the file: not Markdown.
_FRONT_MATTER = re.compile(r"\A(---|\+\+\+)[ \t]*\n(?:.*?\n)?(?:\1|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


@dataclass
class _Place:
    """Where a block's lines sit in the source: (line, start, end) per content line."""

    lines: list[tuple[int, int, int]]


#: The deepest nesting of blocks read (quotes, lists). markdown-it stops at its
#: ``maxNesting`` and leaves what lies deeper as it was, untranslated: a document that
#: reaches it is refused rather than half translated.
MAX_NESTING = 30


#: The most lines read: a book in Markdown has tens of thousands; markdown-it's tokens and
#: the blocks cost about 2 KB a line (17.6 MB of short paragraphs took 86 s and 2.7 GB),
#: so lines are counted before it parses anything.
MAX_LINES = 250_000


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.options["maxNesting"] = MAX_NESTING + 2
    return md


def _check_nesting(tokens: Sequence[Any], where: str) -> None:
    """Quotes and lists past the limit are refused: markdown-it leaves them as they were.
    (Emphasis past it stays text to translate; :mod:`.inline` caps its codes' nesting.)"""
    deepest = max((t.level for t in tokens), default=0)
    if deepest > MAX_NESTING:
        raise InputError(f"{where} nests more than {MAX_NESTING} levels deep; refused")


class MarkdownDocument:
    kind = "markdown"

    def __init__(self, data: bytes, where: str = "Markdown") -> None:
        self.text = decode_markup(data, where)
        self.source_lines = self.text.split("\n")
        if len(self.source_lines) > MAX_LINES:
            raise InputError(
                f"{where} holds {len(self.source_lines)} lines; at most {MAX_LINES} are read"
            )
        md = _parser()
        self.places: list[_Place] = []
        self.blocks: list[Block] = []
        cursor: dict[int, int] = {}
        # Front matter is parsed as blank lines (the line numbers stay) and never edited.
        front = _FRONT_MATTER.match(self.text)
        skipped = front.group().count("\n") if front else 0
        source = "\n" * skipped + self.text[front.end() :] if front else self.text
        parsed = md.parse(source)
        _check_nesting(parsed, where)
        for token in parsed:
            if token.type != "inline" or token.map is None or not token.children:
                continue
            place = self._locate(token, cursor)
            if place is None:
                continue
            block = Block(_tokens(token.children, md))
            if block.text.strip():
                self.places.append(place)
                self.blocks.append(block)

    def _locate(self, token: Any, cursor: dict[int, int]) -> _Place | None:
        """Find each line of the run's content in its source line."""
        breaks = [c.type for c in token.children if c.type in ("softbreak", "hardbreak")]
        found: list[tuple[int, int, int]] = []
        for k, line in enumerate(token.content.split("\n")):
            if k < len(breaks) and breaks[k] == "hardbreak":
                line = line.rstrip(" ")
                line = line[:-1] if line.endswith("\\") else line
            number = token.map[0] + k
            if number >= len(self.source_lines):
                return None
            at = self.source_lines[number].find(line, cursor.get(number, 0))
            if at < 0:
                return None
            found.append((number, at, at + len(line)))
        for number, _, end in found:
            cursor[number] = end
        return _Place(found)

    def write(self, results: Sequence[BlockResult], *, source: str, target: str) -> bytes:
        edits: dict[int, list[tuple[int, int, str]]] = {}
        for place, result in zip(self.places, results, strict=True):
            lines = _render(result.tokens)
            lines += [""] * (len(place.lines) - len(lines))
            for (number, start, end), text in zip(place.lines, lines, strict=False):
                edits.setdefault(number, []).append((start, end, text))
        out = list(self.source_lines)
        for number, changes in edits.items():
            line = out[number]
            for start, end, text in sorted(changes, reverse=True):
                if start == 0 and _LINE_START.match(text):
                    text = "\\" + text
                elif start == 0:  # "14." would start a list: its dot is escaped
                    text = _NUMBERED.sub(r"\1\\\2", text, count=1)
                line = line[:start] + text + line[end:]
            out[number] = line
        return "\n".join(out).encode("utf-8")


def _tokens(children: Sequence[Any], md: MarkdownIt) -> list[Token]:
    tokens: list[Token] = []
    stack: list[Code] = []
    in_autolink = False
    for child in children:
        kind = child.type
        if in_autolink:  # an autolink's text is its address: kept whole
            in_autolink = kind != "link_close"
        elif kind == "link_open" and child.markup in ("autolink", "linkify"):
            href = str(child.attrs.get("href", ""))
            raw = f"<{href.removeprefix('mailto:')}>" if child.markup == "autolink" else href
            tokens.append(Point(Code("autolink", False, raw)))
            in_autolink = True
        elif kind == "text":
            tokens.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            tokens += [" ", Point(Code("line", False, ""))]
        elif kind in _PAIRED:
            code = Code(_PAIRED[kind], True, _markup(child, md))
            stack.append(code)
            tokens.append(Open(code))
        elif kind in _CLOSING and stack:
            tokens.append(Close(stack.pop()))
        else:
            tokens.append(Point(Code(kind, False, _standalone(child, md))))
    return tokens


def _markup(child: Any, md: MarkdownIt) -> tuple[str, str]:
    """The opening and closing markup of a paired code."""
    if child.type != "link_open":
        return child.markup, child.markup
    href = md.normalizeLinkText(child.attrs.get("href", ""))
    title = child.attrs.get("title")
    dest = f"<{href}>" if _bracketed(href) else href
    if title:
        dest += ' "' + str(title).replace('"', '\\"') + '"'
    return "[", f"]({dest})"


def _bracketed(href: str) -> bool:
    """Whether a link destination must be written in angle brackets: a space, or
    parentheses that do not balance, would end it."""
    depth = 0
    for ch in href:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return True
    return depth != 0 or " " in href


def _standalone(child: Any, md: MarkdownIt) -> str:
    """A code span, an image or inline HTML written as Markdown again."""
    if child.type == "code_inline":
        pad = " " if child.content.startswith("`") or child.content.endswith("`") else ""
        return f"{child.markup}{pad}{child.content}{pad}{child.markup}"
    if child.type == "image":
        src = md.normalizeLinkText(child.attrs.get("src", ""))
        title = child.attrs.get("title")
        dest = src + (' "' + str(title).replace('"', '\\"') + '"' if title else "")
        return f"![{child.content}]({dest})"
    return str(child.content)


def _render(tokens: Sequence[Token]) -> list[str]:
    """Translated tokens as Markdown lines (one per line code, plus one)."""
    lines: list[list[str]] = [[]]
    for token in tokens:
        if isinstance(token, str):
            lines[-1].append(_ESCAPE.sub(r"\\\1", token))
        elif isinstance(token, Point) and token.code.name == "line":
            lines.append([])
        elif isinstance(token, Point):
            lines[-1].append(token.code.data)
        elif isinstance(token, Open):
            line = lines[-1]
            if token.code.name == "link" and line and line[-1].endswith("!"):
                line[-1] = line[-1][:-1] + "\\!"  # "![" would make the link an image
            line.append(token.code.data[0])
        elif isinstance(token, Close):
            lines[-1].append(token.code.data[1])
    return ["".join(line).strip() for line in lines]
