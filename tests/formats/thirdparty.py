"""The third-party corpus (``tests/data/thirdparty/``, origin and licence in its README)
and the exact copy model it runs through."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

THIRDPARTY = Path(__file__).parent.parent / "data" / "thirdparty"


def files(folder: str, *suffixes: str) -> list[Path]:
    return sorted(p for p in (THIRDPARTY / folder).rglob("*") if p.suffix in suffixes)


def characters(texts: Iterator[str]) -> str:
    """Every character the texts hold (whitespace left out), as one line: trained into a
    copy model, it can write each of them back."""
    seen: set[str] = set()
    for text in texts:
        seen.update(text)
    return "".join(sorted(c for c in seen if not c.isspace()))


def corpus_texts() -> Iterator[str]:
    """The text of every file of the corpus that reads as text."""
    for path in sorted(THIRDPARTY.rglob("*")):
        if path.is_file() and path.suffix != ".docx":
            for encoding in ("utf-8", "utf-16", "cp1252"):
                try:
                    yield path.read_bytes().decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
