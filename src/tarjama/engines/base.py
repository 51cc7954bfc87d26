"""The engine protocol every translation backend implements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True)
class Hypothesis:
    """A translation of one input, with the model's length-normalised log-probability."""

    text: str
    score: float
    alternatives: tuple[str, ...] = field(default=())


@runtime_checkable
class Engine(Protocol):
    """What the pipeline needs from a backend.

    ``translate_batch`` receives every text of a document in one call and returns one
    hypothesis per text, in order. ``count_tokens`` and ``max_input_tokens`` let the
    pipeline cut sentences that are too long before they reach the model.
    """

    name: str
    pairs: list[tuple[str, str]]
    max_input_tokens: int

    @property
    def signature(self) -> dict[str, Any]: ...

    def count_tokens(self, text: str, source: str) -> int: ...

    def translate_batch(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        *,
        num_alternatives: int = 0,
    ) -> list[Hypothesis]: ...
