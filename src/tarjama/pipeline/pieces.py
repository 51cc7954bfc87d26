"""Sentences as the engine takes them: whole when they fit the model's input limit, else
cut at clause boundaries (:func:`tarjama.text.cut_clauses`) into pieces that do."""

from __future__ import annotations

from collections.abc import Sequence

from ..engines import Engine, count_tokens_many
from ..text import cut_clauses


def cut_to_fit(
    engine: Engine, texts: Sequence[str], source: str
) -> tuple[list[str], dict[str, tuple[int, int]]]:
    """The pieces of ``texts`` (distinct, non-empty), in order, and each text's span of them.

    The texts are counted in one call (a call per text is slow beside busy threads); only
    the pieces of a text that is too long are counted one by one.
    """
    limit = engine.max_input_tokens
    counted = dict(zip(texts, count_tokens_many(engine, texts, source), strict=True))

    def fits(piece: str) -> bool:
        n = counted[piece] if piece in counted else engine.count_tokens(piece, source)
        return n <= limit

    pieces: list[str] = []
    spans: dict[str, tuple[int, int]] = {}
    for text in texts:
        parts = cut_clauses(text, fits)
        spans[text] = (len(pieces), len(pieces) + len(parts))
        pieces.extend(parts)
    return pieces, spans
