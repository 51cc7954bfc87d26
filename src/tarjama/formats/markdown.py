"""Markdown (CommonMark with GFM tables and strikethrough), read with markdown-it-py.

Each inline run markdown-it finds (a paragraph, a heading, a list item's text, a table
cell) is a block; emphasis, strong, strikethrough and links are paired codes; code spans,
images, inline HTML and autolinks are standalone codes, and so are line breaks (a
paragraph keeps its line count). Markdown is never re-serialised: the inline parser is
made to record where in the source each piece of markup lies (:func:`_spanning`), every
code carries its markup as written, and writing replaces only the text between codes
(entities and escapes of text left as it was stay as written). Headings' ``#``, list
markers, quotes' ``>``, tables' ``|``, code blocks, HTML blocks, link destinations,
reference links, emphasis delimiters and front matter stay byte for byte. Translated text
is escaped where it would otherwise become markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import isValidEntityCode, unescapeAll
from markdown_it.rules_core import StateCore, text_join

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
#: A numeric character reference: markdown-it reads an invalid one as U+FFFD.
_NUMERIC = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));")
#: Where the inline parser found a token: ``(start, end)`` in its inline content.
_SPAN = "tarjama_span"


@dataclass
class _Place:
    """Where a block sits in the source: (line, start, end) per content line, the content
    offset at which each content line starts, and each code's ``(start, end)`` in the
    content (None when the markup could not be followed exactly)."""

    lines: list[tuple[int, int, int]]
    offsets: list[int]
    size: int
    edges: list[tuple[int, int]] | None = None
    #: A shortcut or collapsed reference link's closing (by code index) written with its
    #: label, for when its text is translated: the text was the label.
    labels: dict[int, str] = field(default_factory=dict)


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
    # The inline phase runs run by run as blocks are built (:func:`_parse_run`), so that a
    # document over the character limit is refused before the rest of it is parsed.
    md.disable(["inline", "text_join"])
    for rule in list(md.inline.ruler.__rules__):
        md.inline.ruler.at(rule.name, _spanning(rule.name, rule.fn))
    return md


RuleFn = Callable[[Any, bool], bool]


def _spanning(name: str, fn: RuleFn) -> RuleFn:
    """An inline rule that also records, in each token it makes, where its markup lies in
    the inline content (``token.meta[_SPAN]``): markdown-it keeps no inline positions."""

    def rule(state: Any, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        pending = bool(state.pending)  # a push first flushes pending text as a token
        label = -1
        if name == "link" and not silent and state.src[start] == "[":
            label = state.md.helpers.parseLinkLabel(state, start, True)
        ok = bool(fn(state, silent))
        if ok and not silent:
            new = state.tokens[count + 1 if pending else count :]
            if name == "newline":  # it may have emptied the pending text before pushing
                new = [t for t in state.tokens[count:] if t.type != "text"]
            _mark(name, new, start, state.pos, state.src, label)
        return ok

    return rule


def _mark(name: str, new: list[Any], start: int, end: int, src: str, label: int) -> None:
    if not new:
        return
    spans: list[tuple[Any, tuple[int, int]]]
    if name in ("emphasis", "strikethrough"):  # one text token per delimiter run
        spans, at = [], start
        for token in new:
            spans.append((token, (at, at + len(token.content))))
            at += len(token.content)
    elif name == "link":  # its label's tokens were marked by their own rules
        spans = [(new[0], (start, start + 1)), (new[-1], (label, end))]
    elif name == "autolink":  # kept whole: the opening holds it all
        spans = [(new[0], (start, end))] + [(t, (end, end)) for t in new[1:]]
    elif name == "newline":  # the spaces the rule took off the text before it
        back = start
        while back > 0 and src[back - 1] == " ":
            back -= 1
        spans = [(t, (back, end)) for t in new]
    else:
        spans = [(t, (start, end)) for t in new]
    for token, span in spans:
        token.meta.setdefault(_SPAN, span)


def _parse_run(md: MarkdownIt, token: Any, env: dict[str, Any]) -> None:
    """markdown-it's core inline phase (and the text join after it) for one run."""
    token.children = []
    md.inline.parse(token.content, md, env, token.children)
    state = StateCore("", md, env)
    state.tokens = [token]
    text_join(state)


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
        env: dict[str, Any] = {}  # the reference definitions the block phase found
        parsed = md.parse(source, env)
        _check_nesting(parsed, where)
        for token in parsed:
            if token.type != "inline":
                continue
            _parse_run(md, token, env)
            if token.map is None or not token.children:
                continue
            place = self._locate(token, cursor)
            if place is None:
                continue
            tokens, edges = _tokens(token.children, token.content, md)
            block = Block(tokens)
            if block.text.strip():
                place.edges, place.labels = edges, _labels(tokens, edges, token.content)
                self.places.append(place)
                self.blocks.append(block)

    def _locate(self, token: Any, cursor: dict[int, int]) -> _Place | None:
        """Find each line of the run's content in its source line."""
        breaks = [c.type for c in token.children if c.type in ("softbreak", "hardbreak")]
        found: list[tuple[int, int, int]] = []
        offsets: list[int] = []
        offset = 0
        for k, full in enumerate(token.content.split("\n")):
            offsets.append(offset)
            offset += len(full) + 1
            line = full
            if k < len(breaks) and breaks[k] == "hardbreak":
                line = line.rstrip(" ")
                line = line[:-1] if line.endswith("\\") else line
            number = token.map[0] + k
            if number >= len(self.source_lines):
                return None
            at = self.source_lines[number].find(full, cursor.get(number, 0))
            at = at if at >= 0 else self.source_lines[number].find(line, cursor.get(number, 0))
            if at < 0:
                return None
            found.append((number, at, at + len(line)))
        for number, _, end in found:
            cursor[number] = end
        return _Place(found, offsets, len(token.content))

    def write(self, results: Sequence[BlockResult], *, source: str, target: str) -> bytes:
        edits: dict[int, list[tuple[int, int, str]]] = {}
        for place, block, result in zip(self.places, self.blocks, results, strict=True):
            changes = _text_edits(place, block, result.tokens)
            if changes is None:  # the codes moved: the block's lines are written again
                changes = _line_edits(place, result.tokens)
            for number, start, end, text in changes:
                edits.setdefault(number, []).append((start, end, text))
        out = list(self.source_lines)
        for number, spliced in edits.items():
            line = out[number]
            for start, end, text in sorted(spliced, reverse=True):
                line = line[:start] + text + line[end:]
            out[number] = line
        return "\n".join(out).encode("utf-8")


Edit = tuple[int, int, int, str]  # (line, start, end, text)


def _codes(tokens: Sequence[Token]) -> list[tuple[type, int]]:
    return [(type(t), id(t.code)) for t in tokens if not isinstance(t, str)]


def _pieces(tokens: Sequence[Token]) -> list[str]:
    """The text before, between and after the codes."""
    pieces = [""]
    for token in tokens:
        if isinstance(token, str):
            pieces[-1] += token
        else:
            pieces.append("")
    return pieces


def _is_line(token: Token) -> bool:
    return isinstance(token, Point) and token.code.name == "line"


def _text_edits(place: _Place, block: Block, tokens: Sequence[Token]) -> list[Edit] | None:
    """Only the text between codes replaced, where it changed, when the codes came back in
    their order: every piece of markup stays as written. None when that cannot be done."""
    if place.edges is None or _codes(tokens) != _codes(block.tokens):
        return None
    codes = [t for t in block.tokens if not isinstance(t, str)]
    ends = [0] + [b for _, b in place.edges]
    starts = [a for a, _ in place.edges] + [place.size]
    pieces = zip(_pieces(block.tokens), _pieces(tokens), strict=True)
    edits: list[Edit] = []
    changed: list[int] = []
    for k, (old, new) in enumerate(pieces):
        old, new = _trimmed(old, codes, k), _trimmed(new, codes, k)
        new = _spaced_like(new, old, k > 0, k < len(codes))
        if new == old:
            continue
        changed.append(k)
        where = _where(place, ends[k], starts[k])
        if where is None:
            return None
        number, a, b, first = where
        text = _escaped(new, first)
        if k < len(codes) and isinstance(codes[k], Open) and codes[k].code.name == "link":
            text = text[:-1] + "\\!" if text.endswith("!") else text  # "![" is an image
        edits.append((number, a, b, text))
    openings = _openings(codes)
    for k, label in place.labels.items():
        opening = openings[id(codes[k].code)]
        where = _where(place, *place.edges[k])
        if where is not None and any(opening < i <= k for i in changed):
            edits.append((*where[:3], label))
    return edits


def _labels(
    tokens: Sequence[Token], edges: list[tuple[int, int]] | None, content: str
) -> dict[int, str]:
    """Each shortcut (``[a]``) or collapsed (``[a][]``) reference link's closing, written
    as a full reference (``][a]``) so that translating its text keeps its destination."""
    if edges is None:
        return {}
    codes = [t for t in tokens if not isinstance(t, str)]
    openings = _openings(codes)
    out: dict[int, str] = {}
    for k, token in enumerate(codes):
        if isinstance(token, Close) and token.code.name == "link":
            raw = content[edges[k][0] : edges[k][1]]
            label = content[edges[openings[id(token.code)]][1] : edges[k][0]]
            if raw in ("]", "][]") and "\n" not in label:
                out[k] = f"][{label}]"
                token.code.data = (token.code.data[0], out[k])
    return out


def _openings(codes: Sequence[Token]) -> dict[int, int]:
    """Each paired code's index among ``codes`` where it opens."""
    return {id(t.code): k for k, t in enumerate(codes) if isinstance(t, Open)}


def _spaced_like(new: str, old: str, after_code: bool, before_code: bool) -> str:
    """``new`` with the spaces ``old`` had against its codes: a delimiter with a space
    inside it stops being one (``** b**``), and a space the source had between a code and
    a word is kept (``[](x) y``)."""
    if not old.strip() and not new.strip():
        return old
    if after_code:
        lead = old[: len(old) - len(old.lstrip())]
        new = lead + new.lstrip()
    if before_code:
        tail = old[len(old.rstrip()) :]
        new = new.rstrip() + tail
    return new


def _trimmed(text: str, codes: Sequence[Token], k: int) -> str:
    """A piece of text without the spaces its place cannot hold: at the run's ends and
    around a line break (the one :func:`_tokens` put before it included)."""
    if k == 0 or _is_line(codes[k - 1]):
        text = text.lstrip(" ")
    if k == len(codes) or _is_line(codes[k]):
        text = text.rstrip(" ")
    return text


def _where(place: _Place, start: int, end: int) -> tuple[int, int, int, bool] | None:
    """The source line and columns of the content range ``[start, end)``, and whether it
    begins its line; None across lines."""
    k = max(i for i, offset in enumerate(place.offsets) if offset <= start)
    if k + 1 < len(place.offsets) and end >= place.offsets[k + 1]:
        return None
    number, at, _ = place.lines[k]
    a = at + start - place.offsets[k]
    return number, a, at + end - place.offsets[k], a == at


def _escaped(text: str, line_start: bool) -> str:
    text = _ESCAPE.sub(r"\\\1", text)
    if line_start and _LINE_START.match(text):
        return "\\" + text
    if line_start:  # "14." would start a list: its dot is escaped
        return _NUMBERED.sub(r"\1\\\2", text, count=1)
    return text


def _line_edits(place: _Place, tokens: Sequence[Token]) -> list[Edit]:
    lines = _render(tokens)
    lines += [""] * (len(place.lines) - len(lines))
    return [
        (number, start, end, _escaped_start(text))
        for (number, start, end), text in zip(place.lines, lines, strict=False)
    ]


def _escaped_start(text: str) -> str:
    if _LINE_START.match(text):
        return "\\" + text
    return _NUMBERED.sub(r"\1\\\2", text, count=1)


def _tokens(
    children: Sequence[Any], content: str, md: MarkdownIt
) -> tuple[list[Token], list[tuple[int, int]] | None]:
    """A run's tokens, each code carrying its markup as written, and each code token's
    ``(start, end)`` in ``content`` (None if some markup's place is unknown)."""
    tokens: list[Token] = []
    edges: list[tuple[int, int]] = []
    stack: list[Code] = []
    in_autolink = False
    for child in children:
        kind = child.type
        span = _delimiter(child, child.meta.get(_SPAN))
        raw = content[span[0] : span[1]] if span else None
        if in_autolink:  # an autolink's text is its address: kept whole
            in_autolink = kind != "link_close"
            continue
        if kind == "text":
            tokens.append(child.content)
            continue
        edges.append(span or (-1, -1))
        if kind == "link_open" and child.markup in ("autolink", "linkify"):
            href = str(child.attrs.get("href", ""))
            written = f"<{href.removeprefix('mailto:')}>" if child.markup == "autolink" else href
            tokens.append(Point(Code("autolink", False, _inline(raw) or written)))
            in_autolink = True
        elif kind in ("softbreak", "hardbreak"):
            tokens += [" ", Point(Code("line", False, ""))]
        elif kind in _PAIRED:
            opening, closing = _markup(child, md)
            code = Code(_PAIRED[kind], True, (_inline(raw) or opening, closing))
            stack.append(code)
            tokens.append(Open(code))
        elif kind in _CLOSING and stack:
            code = stack.pop()
            code.data = (code.data[0], _inline(raw) or code.data[1])
            tokens.append(Close(code))
        else:
            tokens.append(Point(Code(kind, False, _inline(raw) or _standalone(child, md))))
    return tokens, edges if _followed(tokens, edges, content) else None


def _delimiter(child: Any, span: tuple[int, int] | None) -> tuple[int, int] | None:
    """An emphasis delimiter's whole run: markdown-it makes ``**`` of two one-character
    tokens and keeps one, marked at its own character."""
    if span is None or child.type not in ("strong_open", "strong_close", "em_open", "em_close"):
        return span
    size = len(child.markup)
    return (span[1] - size, span[1]) if child.nesting == 1 else (span[0], span[0] + size)


def _inline(raw: str | None) -> str | None:
    """Markup as written, if it stays on one line (a line break inside it cannot be
    written back where the block's lines are rewritten)."""
    return raw if raw and "\n" not in raw else None


def _followed(tokens: Sequence[Token], edges: Sequence[tuple[int, int]], content: str) -> bool:
    """Whether the recorded places account for the whole run: in order, and the text
    between them is what the source holds there, escapes and entities read."""
    codes = [t for t in tokens if not isinstance(t, str)]
    previous = 0
    for k, (text, (start, end)) in enumerate(
        zip(_pieces(tokens), [*edges, (len(content), len(content))], strict=True)
    ):
        if start < previous or end < start:
            return False
        if _read(content[previous:start]) != _trimmed(text, codes, k):
            return False
        previous = end
    return True


def _read(raw: str) -> str:
    """Source text as markdown-it reads it: escapes and entities decoded."""

    def numeric(m: re.Match[str]) -> str:
        code = int(m.group(1), 16) if m.group(1) else int(m.group(2))
        return m.group() if isValidEntityCode(code) else "\ufffd"

    return unescapeAll(_NUMERIC.sub(numeric, raw))


def _markup(child: Any, md: MarkdownIt) -> tuple[str, str]:
    """The opening and closing markup of a paired code, written anew."""
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
