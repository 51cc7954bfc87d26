"""Building element content (text, children, tails) from placed tokens, for the formats
that keep their inline codes as elements (HTML, XLIFF)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .inline import Close, Code, Open, Token


def fill(
    holder: Any,
    tokens: Sequence[Token],
    *,
    paired: Callable[[Code], Any],
    point: Callable[[Code], Any],
) -> None:
    """Append ``tokens`` to the empty element ``holder``: text as text and tails, a paired
    code as the element ``paired(code)`` around its content, a standalone code as
    ``point(code)`` (its tail is replaced)."""
    stack = [holder]
    for token in tokens:
        top = stack[-1]
        if isinstance(token, str):
            if len(top):
                top[-1].tail = (top[-1].tail or "") + token
            else:
                top.text = (top.text or "") + token
        elif isinstance(token, Open):
            el = paired(token.code)
            top.append(el)
            stack.append(el)
        elif isinstance(token, Close):
            stack.pop()
        else:
            el = point(token.code)
            el.tail = None
            top.append(el)


def shallow(el: Any) -> Any:
    """A new element with ``el``'s tag and attributes, and no content."""
    return el.makeelement(el.tag, dict(el.attrib))
