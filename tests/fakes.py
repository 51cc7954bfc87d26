"""A fake engine for unit tests of everything above the engine."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tarjama.engines import Hypothesis


class FakeEngine:
    """Translates by upper-casing and tagging; records every call.

    ``count_tokens`` counts words, so ``max_input_tokens`` is a word limit here.
    """

    name = "fake"

    def __init__(
        self,
        *,
        pairs: list[tuple[str, str]] | None = None,
        max_input_tokens: int = 512,
        fail: Exception | None = None,
    ) -> None:
        self.pairs = pairs or [("ar", "en"), ("en", "ar")]
        self.max_input_tokens = max_input_tokens
        self.calls: list[list[str]] = []
        self.fail = fail

    @property
    def signature(self) -> dict[str, Any]:
        return {"model": self.name, "model_id": "0", "tokenizer": "words", "beam": 1}

    def count_tokens(self, text: str, source: str) -> int:
        return len(text.split())

    def translate_batch(
        self, texts: Sequence[str], source: str, target: str, *, num_alternatives: int = 0
    ) -> list[Hypothesis]:
        self.calls.append(list(texts))
        if self.fail:
            raise self.fail
        return [
            Hypothesis(
                f"<{t}>",
                -0.5,
                tuple(f"<{t}#{k}>" for k in range(1, num_alternatives + 1)),
            )
            for t in texts
        ]


class AligningFakeEngine(FakeEngine):
    """A fake engine that can align: it writes its input back word for word (so each word
    links to itself) and records which texts asked for an alignment."""

    aligns = True

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.align_calls: list[list[bool] | None] = []

    def translate_batch(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        *,
        num_alternatives: int = 0,
        align: Sequence[bool] | None = None,
    ) -> list[Hypothesis]:
        self.calls.append(list(texts))
        self.align_calls.append(list(align) if align is not None else None)
        flags = list(align) if align is not None else [False] * len(texts)
        return [
            Hypothesis(t, -0.5, (), tuple((i, i) for i in range(len(t.split()))) if a else None)
            for t, a in zip(texts, flags, strict=True)
        ]
