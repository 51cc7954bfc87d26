"""The engine protocol every translation backend implements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeGuard, runtime_checkable

#: A word alignment: (source word, target word) pairs, words being the whitespace-separated
#: words of the input text and of the hypothesis text (``str.split()``), counted from 0.
Alignment = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Hypothesis:
    """A translation of one input, with the model's length-normalised log-probability.

    ``alignment`` links the input's words to ``text``'s words; it is None unless the
    pipeline asked for it (``align=``) and the engine can give it (``aligns``).
    """

    text: str
    score: float
    alternatives: tuple[str, ...] = field(default=())
    alignment: Alignment | None = field(default=None, compare=False)


@runtime_checkable
class Engine(Protocol):
    """What the pipeline needs from a backend.

    ``translate_batch`` receives every text of a document in one call and returns one
    hypothesis per text, in order. ``count_tokens`` and ``max_input_tokens`` let the
    pipeline cut sentences that are too long before they reach the model.

    Word alignment is optional. An engine that can align says so with a true ``aligns``
    attribute and then accepts ``align=`` (one flag per text) in ``translate_batch``; the
    pipeline passes it only to such engines, so an engine without the attribute (a test
    fake, a remote service) keeps the plain signature. Only the flagged texts pay for it.
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


class BatchStore(Protocol):
    """Where an engine keeps what each batch it decodes came out as, by a key made from
    the batch's inputs and decoding settings, and finds it again instead of decoding it.

    A batch job gives its workers one (:mod:`tarjama.batch.checkpoints`): a job killed in
    the middle of a pool then decodes again only the batch it was in, and since the key
    holds everything that decides the batch's output, what it takes back is what it would
    have decoded. Values are opaque to the store; ``rows`` is the batch's size.
    """

    def get(self, key: bytes) -> bytes | None: ...

    def put(self, key: bytes, value: bytes, rows: int) -> None: ...


class StoringEngine(Engine, Protocol):
    """An engine that can keep its batches in a :class:`BatchStore`."""

    def with_batch_store(self, store: BatchStore | None) -> Engine: ...


def can_store(engine: Engine) -> TypeGuard[StoringEngine]:
    """Whether ``engine`` can keep its batches in a :class:`BatchStore`."""
    return callable(getattr(engine, "with_batch_store", None))


def count_tokens_many(engine: Engine, texts: Sequence[str], source: str) -> list[int]:
    """``count_tokens`` of each text; in one call where the engine offers one
    (``count_tokens_many``), since a call per text is slow beside busy threads."""
    many = getattr(engine, "count_tokens_many", None)
    if callable(many):
        return list(many(texts, source))
    return [engine.count_tokens(t, source) for t in texts]


def can_align(engine: object) -> bool:
    """Whether ``engine`` accepts ``align=`` in ``translate_batch``."""
    return bool(getattr(engine, "aligns", False))
