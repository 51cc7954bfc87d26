"""Fuzzy lookup over the memory's word index: which postings to read, how to rank.

A match shares at least ``MIN_SHARED`` of the query's distinct words, so it holds one of
the rarest ``n - ceil(MIN_SHARED * n) + 1`` of them (pigeonhole): those postings must be
read. One word more is read, within the row budget: candidates are ranked by how many of
the read words they share, and the match must outrank the many entries that share only
one (a short query's rarest word may be the very word that changed). Every list of words
goes to SQLite as one JSON array (``json_each``), never as one term per word: a 16,000
character sentence has thousands of distinct words, past SQLite's limits on compound
SELECTs (500) and bound variables.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from rapidfuzz import fuzz

from .entries import Entry, Suggestion, normalise, word_diff

#: Most postings rows one fuzzy query reads.
POSTINGS_BUDGET = 30_000
#: Share of the query's distinct words a fuzzy match is assumed to contain (for blocking):
#: at 0.85 character similarity about one word in six or seven may differ.
MIN_SHARED = 0.8
#: Candidates scored with rapidfuzz per query, best word overlap first.
CANDIDATES = 64

Query = Callable[[str, Iterable[Any]], list[Any]]


def as_array(values: Iterable[int]) -> str:
    """A list of integers as one bound parameter, for ``IN (SELECT value FROM json_each(?))``."""
    return json.dumps(list(values))


def candidate_ids(query: Query, terms: Sequence[int]) -> list[int]:
    """Ids of the entries sharing most of the query's rarest words, best first."""
    df: dict[int, int] = dict(
        query(
            "SELECT term, df FROM terms WHERE term IN (SELECT value FROM json_each(?))",
            [as_array(terms)],
        )
    )
    rare = sorted(df, key=df.__getitem__)
    needed = len(terms) - math.ceil(MIN_SHARED * len(terms)) + 1
    blocking: list[int] = []
    rows_read = 0
    for t in rare:
        if blocking and (rows_read + df[t] > POSTINGS_BUDGET or len(blocking) > needed):
            break
        blocking.append(t)
        rows_read += df[t]
    if not blocking:
        return []
    # Past the first word the loop keeps the rows within the budget; the LIMIT bounds the
    # first word alone when it is commoner than the budget allows.
    return [
        r[0]
        for r in query(
            "SELECT entry FROM (SELECT entry FROM postings"
            " WHERE term IN (SELECT value FROM json_each(?)) LIMIT ?)"
            " GROUP BY entry ORDER BY count(*) DESC LIMIT ?",
            [as_array(blocking), POSTINGS_BUDGET, CANDIDATES],
        )
    ]


def ranked(
    key: str,
    rows: Iterable[tuple[Any, ...]],
    source_lang: str,
    *,
    threshold: float,
    limit: int,
) -> list[Suggestion]:
    """Rows ``(key, *Entry fields, id)`` scored against ``key``: at or above ``threshold``,
    best first (ties: newest), one per distinct pair, at most ``limit``."""
    scored = []
    for cand_key, *fields, row_id in rows:
        score = fuzz.ratio(key, cand_key) / 100
        if score >= threshold:
            entry = Entry(*fields)
            scored.append((score, entry.created, row_id, entry))
    scored.sort(reverse=True, key=lambda s: (s[0], s[1], s[2]))
    out: list[Suggestion] = []
    seen: set[str] = set()
    for score, _, _, entry in scored:
        pair = entry.source + "\x00" + entry.target
        if pair in seen:
            continue
        seen.add(pair)
        out.append(Suggestion(entry, score, word_diff(key, normalise(entry.source, source_lang))))
        if len(out) == limit:
            break
    return out
