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
from ..text.memo import WORD_CACHE

_WORD = re.compile(r"\w{2,}")

#: The origin of a pair an editor approved (``POST /v1/memory``): it wins over any other
#: entry for the same source, the newest approval first.
EDITOR = "editor"
#: The origin of a pair sent to LibreTranslate's ``/suggest``: offered as a suggestion,
#: never used to fill a segment unseen.
SUGGESTION = "suggestion"


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


@lru_cache(maxsize=WORD_CACHE)
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
    """One source segment and one of its translations.

    ``author`` is who approved it (an editor's key name, or "anonymous"), ``context`` where
    it was approved (an article's title or id); both are empty for imported pairs.
    """

    source: str
    target: str
    source_lang: str = "ar"
    target_lang: str = "en"
    origin: str = ""
    created: str = field(default_factory=now)
    author: str = ""
    context: str = ""
    #: What the history of the write should keep besides (a TMX unit's ``changeid`` and
    #: ``usagecount``, the issues an approval overrode); not part of the pair's identity.
    detail: tuple[tuple[str, object], ...] = field(default=(), compare=False, repr=False)


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
            "author": self.entry.author,
            "created": self.entry.created,
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
    approved: int = 0  # entries an editor approved
    approved_conflicts: int = 0  # sources with more than one approved target
    suggestions: int = 0  # entries sent to /suggest
    lexicon: dict[str, int] = field(default_factory=dict)  # links learned from, per pair
    removed: int = 0  # tombstones, not counted above

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "entries": self.entries,
            "sources": self.sources,
            "conflicts": self.conflicts,
            "pairs": self.pairs,
            "origins": self.origins,
            "approved": self.approved,
            "approved_conflicts": self.approved_conflicts,
            "suggestions": self.suggestions,
            "lexicon": self.lexicon,
            "removed": self.removed,
        }


def search_report(exact: Entry | None, found: list[Suggestion]) -> dict[str, Any]:
    """What ``memory search --format json`` prints and ``GET /v1/memory/search`` answers."""
    return {
        "exact": None
        if exact is None
        else {
            "target": exact.target,
            "origin": exact.origin,
            "author": exact.author,
            "created": exact.created,
        },
        "suggestions": [s.to_json() for s in found],
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
