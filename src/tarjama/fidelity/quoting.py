"""Quoted passages in Arabic and English text."""

from __future__ import annotations

import re

# Opening and closing marks of quoted spans in either language.
_QUOTE_PAIRS = (("«", "»"), ("“", "”"), ("„", "“"))


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the quoted passages in ``text`` (the marks included)."""
    spans: list[tuple[int, int]] = []
    for opening, closing in _QUOTE_PAIRS:
        spans += [m.span() for m in re.finditer(f"{opening}[^{opening}{closing}]*{closing}", text)]
    spans += [m.span() for m in re.finditer(r'"[^"]*"', text)]
    return sorted(spans)
