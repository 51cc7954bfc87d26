"""The characters a document may hold to translate, counted while it is read.

A reader builds its blocks one by one (:class:`~.inline.Block`); each block spends its
characters from the budget that :func:`char_budget` sets for the read, so a document over
the server's character limit is refused at the block that crosses it, before the rest of
its blocks are built. Readers whose blocks come only after a costly parse (HTML,
Markdown, subtitles) also count, while parsing, a lower bound of what their blocks will
spend (:func:`ahead`), so that such a document is refused before the rest is parsed (see
docs/formats.md). Reading without a budget counts nothing.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import InputError


class _Budget:
    def __init__(self, limit: int, where: str) -> None:
        self.limit, self.where, self.spent = limit, where, 0

    def spend(self, chars: int) -> None:
        self.spent += chars
        self.check(0)

    def check(self, ahead: int) -> None:
        if self.spent + ahead > self.limit:
            raise InputError(
                f"{self.where} holds more than {self.limit} characters to translate; "
                f"the limit is {self.limit}"
            )


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar(
    "tarjama_char_budget", default=None
)


@contextmanager
def char_budget(limit: int | None, where: str) -> Iterator[None]:
    """Refuse, while reading in this context, a document with more than ``limit``
    characters to translate (None or -1: no limit)."""
    if limit is None or limit < 0:
        yield
        return
    token = _BUDGET.set(_Budget(limit, where))
    try:
        yield
    finally:
        _BUDGET.reset(token)


def spend(chars: int) -> None:
    """Count ``chars`` more characters to translate against the read's budget, if any."""
    budget = _BUDGET.get()
    if budget is not None:
        budget.spend(chars)


def counting() -> bool:
    """Whether the read has a budget (a reader counts ahead only then: it costs a pass)."""
    return _BUDGET.get() is not None


def ahead(chars: int) -> None:
    """Refuse now if ``chars`` characters, counted while parsing and not yet spent by any
    block, already pass the budget. ``chars`` must be at most what the blocks will spend
    (they stay the count that decides), so a document within the limit reads as before."""
    budget = _BUDGET.get()
    if budget is not None:
        budget.check(chars)
