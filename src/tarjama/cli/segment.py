"""`tarjama segment`: show how a document is split into paragraphs and sentences."""

from __future__ import annotations

import argparse
import json
import re
from typing import Any

from ..pipeline import segment as split_document
from ..text import detect_script
from ._io import read_input, write_output

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("segment", help="split a document into paragraphs and sentences")
    p.add_argument("file", nargs="?", default="-", metavar="FILE|-", help="input (default stdin)")
    p.add_argument(
        "--lang", "-l", choices=("ar", "en"), default=None, help="language (default: detected)"
    )
    p.add_argument("--format", "-f", choices=("text", "json"), default="text")
    p.add_argument("--output", "-o", default=None, help="write here instead of stdout")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    text = read_input(args.file)
    lang = args.lang or detect_script(text)[0]
    paragraphs = segment(text, lang)
    out = to_json(paragraphs, lang) if args.format == "json" else to_text(paragraphs)
    write_output(out, args.output)
    return 0


def segment(text: str, lang: str) -> list[dict[str, Any]]:
    """Paragraphs (one per line with content) and their sentences, offsets per paragraph."""
    return [
        {
            "index": p.index,
            "text": p.source,
            "sentences": [{"text": s.source, "start": s.start, "end": s.end} for s in p.segments],
        }
        for p in split_document(text, lang).paragraphs
    ]


def to_text(paragraphs: list[dict[str, Any]]) -> str:
    """One sentence per line, a blank line between paragraphs."""
    blocks = ["".join(s["text"] + "\n" for s in p["sentences"]) for p in paragraphs]
    return "\n".join(blocks)


def to_json(paragraphs: list[dict[str, Any]], lang: str) -> str:
    """JSON with non-ASCII text kept readable and lone surrogates escaped (``\\ud800``)."""
    out = json.dumps({"lang": lang, "paragraphs": paragraphs}, ensure_ascii=False, indent=2)
    # A lone surrogate can only sit inside a JSON string; its escape keeps the file UTF-8.
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", out) + "\n"
