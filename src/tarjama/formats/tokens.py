"""Where a source offset goes in a translation, on tokens: words and punctuation marks.

Placement works on *tokens* (a run of letters, digits and their combining marks, or one
punctuation mark), never on whitespace-delimited words, so that a tag edge between a word
and its comma or bracket stays between them. A source offset is read as a boundary between
two tokens (or a place inside one), the source's tokens are matched with the
translation's (kept tokens, such as names, numbers and punctuation, match one to one; a
rewritten run maps proportionally onto its replacement), and the boundary is written back
on the same side of its neighbours: glued to the word before it, to the word after it, or
in the space between.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from difflib import SequenceMatcher

#: A word (letters, digits, their marks and joiners) or one punctuation mark.
_TOKEN = re.compile(
    r"(?:\w|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d])+|[^\w\s]"
)
#: Arabic punctuation the rendering writes in Latin form, for matching.
_SAME = str.maketrans({"،": ",", "؛": ";", "؟": "?", "٪": "%", "۔": "."})
#: Token matching is quadratic at worst; longer sentences map proportionally.
MAX_MATCHED = 2_000

Spans = list[tuple[int, int]]


def tokens(text: str) -> Spans:
    """The tokens of ``text`` as (start, end) offsets."""
    return [m.span() for m in _TOKEN.finditer(text)]


def is_word(text: str) -> bool:
    """Whether ``text`` holds a letter or a digit."""
    return any(ch.isalnum() for ch in text)


def _key(token: str) -> str:
    return unicodedata.normalize("NFKC", token).translate(_SAME).casefold()


class OffsetMap:
    """Maps offsets of a source sentence to offsets of its translation."""

    def __init__(self, source: str, target: str) -> None:
        self.source, self.target = source, target
        self.src, self.tgt = tokens(source), tokens(target)
        self._src_ends = [e for _, e in self.src]
        self._src_starts = [s for s, _ in self.src]
        self._tgt_starts = [s for s, _ in self.tgt]
        # Source boundary b (before source token b) -> the range of target boundaries.
        size = len(self.src) + 1
        self._lo: list[int] = [-1] * size
        self._hi: list[int] = [-1] * size
        self._equal: dict[int, int] = {}  # source token -> the identical target token
        for tag, i1, i2, j1, j2 in self._opcodes():
            if tag == "equal":
                for k in range(i2 - i1):
                    self._equal[i1 + k] = j1 + k
            for b in range(i1, i2 + 1):
                if i2 > i1:  # proportionally, rounded half up
                    lo = hi = j1 + ((b - i1) * (j2 - j1) * 2 + (i2 - i1)) // (2 * (i2 - i1))
                else:  # an insertion: anywhere in it
                    lo, hi = j1, j2
                if self._lo[b] >= 0:
                    lo, hi = min(lo, self._lo[b]), max(hi, self._hi[b])
                self._lo[b], self._hi[b] = lo, hi

    def _opcodes(self) -> list[tuple[str, int, int, int, int]]:
        n, m = len(self.src), len(self.tgt)
        if n > MAX_MATCHED or m > MAX_MATCHED:
            return [("replace", 0, n, 0, m)] if n else [("insert", 0, 0, 0, m)]
        a = [_key(self.source[s:e]) for s, e in self.src]
        b = [_key(self.target[s:e]) for s, e in self.tgt]
        ops: list[tuple[str, int, int, int, int]] = list(
            SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        )
        return ops or [("equal", 0, 0, 0, 0)]

    def offset(self, p: int, lean: str) -> int:
        """Where source offset ``p`` goes in the target. A place glued to the token before
        it (``word</b>,``) stays glued to the matching token before it, one glued to the
        token after it stays glued to that one, one in a space stays in the matching space;
        one glued to both leans to the token before it (``lean="left"``: a closing edge) or
        after it (``"right"``)."""
        k = bisect_right(self._src_starts, p) - 1
        if k >= 0 and self.src[k][0] < p < self.src[k][1]:
            return self._inside(k, p, lean)
        b = bisect_right(self._src_ends, p)  # tokens wholly before p
        glued_left = b > 0 and self.src[b - 1][1] == p
        glued_right = b < len(self.src) and self.src[b][0] == p
        if not glued_left and not glued_right:
            return self._between(b, p)
        left = glued_left if glued_left != glued_right else lean == "left"
        if left:
            j = self._lo[b]
            return self.tgt[j - 1][1] if j > 0 else 0
        j = self._hi[b]
        return self.tgt[j][0] if j < len(self.tgt) else len(self.target)

    def _between(self, b: int, p: int) -> int:
        """A place in the space between tokens: as far from the token before it as in the
        source, within the matching space of the target."""
        j = self._lo[b]
        base = self.tgt[j - 1][1] if j > 0 else 0
        limit = self.tgt[j][0] if j < len(self.tgt) else len(self.target)
        return min(base + p - (self.src[b - 1][1] if b > 0 else 0), max(base, limit))

    def _inside(self, k: int, p: int, lean: str) -> int:
        """A place inside source token ``k``: the same place in the identical target
        token, else the nearer end of the token it maps to."""
        start, end = self.src[k]
        if k in self._equal:
            t_start, t_end = self.tgt[self._equal[k]]
            return min(t_start + p - start, t_end)
        return self.offset(start if p - start < end - p else end, lean)

    def word_in(self, lo: int, hi: int) -> bool:
        """Whether the target holds a word token within ``[lo, hi)``."""
        k = bisect_left(self._tgt_starts, lo)
        while k < len(self.tgt) and self.tgt[k][1] <= hi:
            if is_word(self.target[slice(*self.tgt[k])]):
                return True
            k += 1
        return False
