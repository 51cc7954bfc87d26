"""What alignment produces: links between units, sentence and paragraph pairs, articles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..text.phonetic import Transliterate

__all__ = ["Alignment", "Article", "Link", "ParagraphPair", "SentencePair", "Transliterate"]


@dataclass(frozen=True)
class Link:
    """One bead: indices of source and target units, its posterior score, and its flag."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    score: float
    flagged: bool

    @property
    def kind(self) -> str:
        return f"{len(self.source)}-{len(self.target)}"


@dataclass(frozen=True)
class SentencePair:
    source: str
    target: str
    score: float
    flagged: bool
    kind: str

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "score": round(self.score, 4),
            "flagged": self.flagged,
            "kind": self.kind,
        }


@dataclass(frozen=True)
class ParagraphPair(SentencePair):
    """A paragraph link and the sentence links inside it."""

    sentences: tuple[SentencePair, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "sentences": [s.to_json() for s in self.sentences]}


@dataclass
class Alignment:
    """The aligned paragraphs of one article, each with its aligned sentences."""

    source_lang: str
    target_lang: str
    paragraphs: list[ParagraphPair] = field(default_factory=list)
    origin: str = ""

    @property
    def sentences(self) -> list[SentencePair]:
        return [s for p in self.paragraphs for s in p.sentences]

    def to_json(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "source": self.source_lang,
            "target": self.target_lang,
            "paragraphs": [p.to_json() for p in self.paragraphs],
        }


@dataclass(frozen=True)
class Article:
    """An Arabic text and its English translation, as paragraphs, and where it came from."""

    origin: str
    arabic: list[str]
    english: list[str]
