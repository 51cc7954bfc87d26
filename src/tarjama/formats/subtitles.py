"""Subtitles: SubRip (pysrt) and WebVTT (webvtt-py).

The cues of a file form one block: each cue boundary and each line break inside a cue is a
standalone code, so that a sentence that runs across cues is translated as one sentence
and given back to the same cues (its words shared out in proportion, each cue keeping at
least a word where it can). Cue tags (``<i>``, ``<b>``, ``<font …>``, WebVTT's ``<c.…>``,
``<v …>``, ``<lang …>``, timestamps) are codes too: an opening tag closed in the same cue
is paired, anything else (a voice tag left open, ``{\\an8}`` positioning) standalone.
Numbering, timings, positions and cue settings are the libraries' and are written back
as they were read. A cue whose timing is broken, or that ends before it starts, is refused.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Any

import pysrt
import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from ..errors import InputError
from .base import BlockResult, decode_markup
from .budget import ahead, counting
from .inline import Block, Close, Code, Open, Point, Token

#: A cue tag, as WebVTT and SubRip players read them: ``<…>`` on one line, or ``{\…}``.
_TAG = re.compile(r"(<[^<>\n]*>|\{\\[^{}\n]*\})")
_OPENING = re.compile(r"<([A-Za-z]+)[\s.>]")


def _line_tokens(line: str) -> list[Token]:
    """One line of cue text as text and codes; a tag closed on the same line is paired."""
    parts = _TAG.split(line)  # text at even indices, tags at odd ones
    closing_of: dict[int, int] = {}
    stack: list[tuple[str, int]] = []
    for k in range(1, len(parts), 2):
        tag = parts[k]
        if tag.startswith("</"):
            name = tag[2:-1].strip().lower()
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == name:
                    closing_of[stack[depth][1]] = k
                    del stack[depth:]  # tags opened inside and left open stay standalone
                    break
        elif (m := _OPENING.match(tag)) is not None:
            stack.append((m.group(1).lower(), k))
    opening_of = {c: o for o, c in closing_of.items()}
    codes: dict[int, Code] = {}
    tokens: list[Token] = []
    for k, part in enumerate(parts):
        if k % 2 == 0:
            tokens.append(part)
        elif k in closing_of:
            name = _OPENING.match(part) or _OPENING.match("<x>")
            codes[k] = Code(
                name.group(1).lower() if name else "tag", True, (part, parts[closing_of[k]])
            )
            tokens.append(Open(codes[k]))
        elif k in opening_of:
            tokens.append(Close(codes[opening_of[k]]))
        else:
            tokens.append(Point(Code("tag", False, part)))
    return tokens


def cues_block(cues: Iterable[list[str]]) -> Block:
    """The cues' lines as one block: a space and a code between lines and between cues."""
    tokens: list[Token] = []
    for n, lines in enumerate(cues):
        for k, line in enumerate(lines):
            if n or k:
                tokens += [" ", Point(Code("cue" if k == 0 else "line", False))]
            tokens += _line_tokens(line)
    return Block(tokens)


def cue_lines(
    tokens: Sequence[Token], count: int, worded: Sequence[bool] | None = None
) -> list[list[str]]:
    """Translated tokens back into ``count`` cues of lines (tags written back).
    ``worded`` says which source cues held words (default: all); the others stay empty."""
    cues: list[list[list[str]]] = [[[]]]
    for token in tokens:
        if isinstance(token, str):
            cues[-1][-1].append(token)
        elif isinstance(token, Point) and token.code.name == "cue":
            cues.append([[]])
        elif isinstance(token, Point) and token.code.name == "line":
            cues[-1].append([])
        elif isinstance(token, Point):
            cues[-1][-1].append(token.code.data)
        elif isinstance(token, Open):
            cues[-1][-1].append(token.code.data[0])
        else:
            cues[-1][-1].append(token.code.data[1])
    out = [[" ".join("".join(line).split()) for line in cue] for cue in cues]
    out += [[""] for _ in range(count - len(out))]
    return _share(out[:count], [True] * count if worded is None else list(worded))


def has_words(text: str) -> bool:
    """Whether cue text holds anything besides its tags."""
    return bool(_TAG.sub("", text).strip())


def _share(cues: list[list[str]], worded: list[bool]) -> list[list[str]]:
    """A cue that held words and was left without any gets one: the nearest cue before it
    with two or more gives its last word, which moves one cue on along the cues between
    (each gives its last and gets one first), keeping the order. A cue that held no words
    stays empty and passes nothing on."""
    counts = [sum(len(line.split()) for line in cue) for cue in cues]
    for i in range(1, len(cues)):
        if counts[i] or not worded[i]:
            continue
        donor = next((j for j in range(i - 1, -1, -1) if counts[j] > 1), None)
        if donor is None:
            continue
        chain = [j for j in range(donor, i + 1) if worded[j] or j == donor]
        for giver, taker in pairwise(chain):
            last = max(k for k, line in enumerate(cues[giver]) if line.split())
            head, _, word = cues[giver][last].rpartition(" ")
            cues[giver][last] = head
            cues[taker][0] = f"{word} {cues[taker][0]}".strip()
        counts[donor] -= 1
        counts[i] += 1
    return cues


#: A SubRip timing line as players read it (pysrt itself reads "00:0x:02" as 00:00:02).
_SRT_TIMING = re.compile(
    r"^\s*\d{1,3}:\d{1,2}:\d{1,2}[,.]\d{1,3}\s*-->\s*\d{1,3}:\d{1,2}:\d{1,2}[,.]\d{1,3}(?:\s.*)?$"
)


def _cue_of(exc: Exception) -> str:
    """pysrt's error as one readable line: it carries (line number, the cue's text)."""
    if len(exc.args) == 2 and isinstance(exc.args[1], str):
        cue = " / ".join(line for line in exc.args[1].split("\n") if line.strip())
        return f"line {exc.args[0]}: {cue[:60]!r}"
    return str(exc)


def _count_ahead(text: str) -> None:
    """Refuse a file over the character limit before its cues are parsed (the libraries
    read every cue first, and the one block comes last). Cue text is what follows a timing
    line up to a blank line; it is counted tags aside, stripped, with a space between
    lines: at most what the block spends."""
    if not counting():
        return
    chars, lines, in_cue = 0, 0, False
    for line in io.StringIO(text):  # line by line: no list of the file's lines
        stripped = line.strip()
        if "-->" in stripped:
            in_cue = True
        elif not stripped:
            in_cue = False
        elif in_cue:
            chars += len(_TAG.sub("", stripped)) + (lines > 0)
            lines += 1
            ahead(chars)


def _timing_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if "-->" in line]


def _timings_as_written(written: str, timings: Sequence[str]) -> str:
    """``written`` with its timing lines replaced by the source's, in order: webvtt-py
    writes ``00:01.000`` as ``00:00:01.000`` and settings its own way."""
    lines = written.split("\n")
    found = [k for k, line in enumerate(lines) if "-->" in line]
    if len(found) != len(timings):
        return written
    for k, line in zip(found, timings, strict=True):
        lines[k] = line.rstrip("\r")
    return "\n".join(lines)


class SrtDocument:
    kind = "srt"

    def __init__(self, data: bytes, where: str = "SRT") -> None:
        text = decode_markup(data, where)
        _count_ahead(text)
        try:
            self.items = pysrt.from_string(text, error_handling=pysrt.ERROR_RAISE)
        except (pysrt.Error, ValueError, IndexError) as exc:
            raise InputError(f"{where} has a cue with broken timings: {_cue_of(exc)}") from None
        if not self.items and text.strip():
            raise InputError(f"{where} holds no subtitle cue (is it SubRip?)")
        bad = [line for line in _timing_lines(text) if not _SRT_TIMING.match(line)]
        if bad or len(_timing_lines(text)) != len(self.items):
            shown = (bad or ["a cue"])[0].strip()
            raise InputError(f"{where} has a cue with broken timings: {shown[:60]!r}")
        for item in self.items:
            if item.end < item.start:
                raise InputError(f"{where}: cue {item.index} ends before it starts")
        self.blocks = [cues_block(item.text.split("\n") for item in self.items)]
        self.heads = _srt_heads(text)

    def write(self, results: Sequence[BlockResult], *, source: str, target: str) -> bytes:
        if self.items:
            worded = [has_words(item.text) for item in self.items]
            cues = cue_lines(results[0].tokens, len(self.items), worded)
            for n, (item, lines) in enumerate(zip(self.items, cues, strict=True), 1):
                item.text = "\n".join(lines)
                if item.index is None:  # a file without cue numbers is numbered
                    item.index = n
        out = io.StringIO()
        self.items.write_into(out)
        return _heads_as_written(out.getvalue(), self.heads).encode("utf-8")


def _srt_heads(text: str) -> list[tuple[str | None, str]]:
    """Each cue's number line as written (``01``; None where it has none) and timing line
    as written: pysrt reads ``01`` as 1 and rewrites timings in its own form."""
    lines = text.split("\n")
    heads: list[tuple[str | None, str]] = []
    for k, line in enumerate(lines):
        if "-->" in line:
            number = lines[k - 1].strip() if k > 0 and lines[k - 1].strip().isdigit() else None
            heads.append((number, line.rstrip("\r")))
    return heads


def _heads_as_written(written: str, heads: Sequence[tuple[str | None, str]]) -> str:
    """pysrt's output with each cue's number (where the source had one) and timing line
    as the source wrote them."""
    lines = written.split("\n")
    found = [k for k, line in enumerate(lines) if "-->" in line]
    if len(found) != len(heads):
        return written
    for k, (number, timing) in zip(found, heads, strict=True):
        lines[k] = timing
        if number is not None and k > 0:
            lines[k - 1] = number
    return "\n".join(lines)


class VttDocument:
    kind = "vtt"

    def __init__(self, data: bytes, where: str = "WebVTT") -> None:
        text = decode_markup(data, where)
        self.empty = not text.strip()  # nothing to translate, like any other empty file
        if self.empty:
            self.blocks: list[Block] = []
            return
        _count_ahead(text)
        try:
            self.vtt: Any = webvtt.from_buffer(io.StringIO(text))
        except (MalformedFileError, MalformedCaptionError, ValueError) as exc:
            raise InputError(f"{where} is not valid WebVTT (broken timings?): {exc}") from None
        if len(_timing_lines(text)) != len(self.vtt.captions):
            raise InputError(f"{where} is not valid WebVTT (broken timings: a cue was unreadable)")
        for n, caption in enumerate(self.vtt.captions, 1):
            if caption.end_in_seconds < caption.start_in_seconds:
                raise InputError(f"{where}: cue {n} ends before it starts")
        self._timings = _timing_lines(text)
        # A cue without text has no lines: it is one empty line, as in SubRip.
        self.blocks = [cues_block(list(c.lines) or [""] for c in self.vtt.captions)]

    def write(self, results: Sequence[BlockResult], *, source: str, target: str) -> bytes:
        if self.empty:
            return b""
        captions = self.vtt.captions
        if captions:
            worded = [has_words("\n".join(c.lines)) for c in captions]
            for caption, lines in zip(
                captions, cue_lines(results[0].tokens, len(captions), worded), strict=True
            ):
                caption.lines = lines
        content: str = self.vtt.content
        return _timings_as_written(content, self._timings).encode("utf-8")
