"""What the translation memory stores and answers: entries, suggestions and their word
diffs, and the keys and word ids it indexes them by."""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import Levenshtein

from ..text import clean

_WORD = re.compile(r"\w{2,}")


def normalise(text: str, lang: str) -> str:
    """The lookup key of a segment: tarjama's clean-up, whitespace folded."""
    return " ".join(clean(text, lang).text.split())


def now() -> str:
    """Creation time as stored: UTC, whole seconds, ISO 8601 (what TMX can carry)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def digest(*parts: str) -> int:
    """A stable 63-bit digest of ``parts`` (SQLite integers are signed 64-bit)."""
    data = "\x1f".join(parts).encode()
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big") >> 1


@lru_cache(maxsize=1 << 20)
def word_id(word: str) -> int:
    """A stable 63-bit id of a word (Python's ``hash`` is salted per process). A rare
    collision only adds a candidate that scoring then drops."""
    b = word.encode()
    return (zlib.crc32(b) << 31) ^ zlib.adler32(b)


def word_ids(key: str) -> list[int]:
    """Ids of the distinct words of ``key``, lower-cased."""
    return [word_id(w) for w in set(_WORD.findall(key.lower()))]


@dataclass(frozen=True)
class Entry:
    """One source segment and one of its translations."""

    source: str
    target: str
    source_lang: str = "ar"
    target_lang: str = "en"
    origin: str = ""
    created: str = field(default_factory=now)


@dataclass(frozen=True)
class DiffOp:
    """A stretch of words: equal in both, or differing between query and memory."""

    op: str  # "equal" | "replace" | "delete" | "insert"
    query: str
    memory: str

    def to_json(self) -> dict[str, str]:
        return {"op": self.op, "query": self.query, "memory": self.memory}


@dataclass(frozen=True)
class Suggestion:
    """A memory entry close to the query, with its similarity and its differing words."""

    entry: Entry
    score: float
    diff: tuple[DiffOp, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.entry.source,
            "target": self.entry.target,
            "score": round(self.score, 4),
            "diff": [d.to_json() for d in self.diff],
            "origin": self.entry.origin,
        }


@dataclass(frozen=True)
class ImportResult:
    added: int
    present: int  # already in the memory: skipped, which makes imports idempotent


@dataclass(frozen=True)
class Stats:
    entries: int
    sources: int
    conflicts: int  # sources with more than one distinct target
    pairs: dict[str, int]
    origins: int
    path: str

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "entries": self.entries,
            "sources": self.sources,
            "conflicts": self.conflicts,
            "pairs": self.pairs,
            "origins": self.origins,
        }


def word_diff(query: str, memory: str) -> tuple[DiffOp, ...]:
    """Word-level edit script from ``query`` to ``memory``."""
    q, m = query.split(), memory.split()
    return tuple(
        DiffOp(
            op.tag, " ".join(q[op.src_start : op.src_end]), " ".join(m[op.dest_start : op.dest_end])
        )
        for op in Levenshtein.opcodes(q, m)
    )
