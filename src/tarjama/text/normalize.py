"""Source-side clean-up with offsets back to the original text.

What the model should see: one digit system, no invisible marks, base letters instead of
presentation forms, single spaces. What the user should get back in reports: positions in
the text they gave. :func:`clean` does the first and keeps, for every character it outputs,
the index of the original character it came from.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ._chars import (
    ARABIC_DECIMAL,
    ARABIC_DIACRITICS,
    ARABIC_THOUSANDS,
    DIGITS_TO_ASCII,
    INVISIBLE,
    TATWEEL,
    ZWJ,
    ZWNJ,
    class_body,
)

_DROP = frozenset(INVISIBLE + TATWEEL)
_DIGITS = {chr(k): chr(v) for k, v in DIGITS_TO_ASCII.items()}
_NUMBER_MARKS = {ARABIC_DECIMAL: ".", ARABIC_THOUSANDS: ","}
#: Anything that makes the slow path necessary; text without it is returned as is.
_SPECIAL = re.compile(
    "[^\\S ]|  |^ | $|[\\x00-\\x1f\\x7f-\\x9f\\ud800-\\udfff"
    + class_body(INVISIBLE + TATWEEL + ZWJ + ZWNJ + ARABIC_DECIMAL + ARABIC_THOUSANDS)
    + "\\u0660-\\u0669\\u06f0-\\u06f9\\ufb50-\\ufdff\\ufe70-\\ufeff\\u0300-\\u036f"
    + "\\u064b-\\u065f\\u0670\\u06d6-\\u06ed]"
)


@dataclass(frozen=True)
class Cleaned:
    """Cleaned text and, for each of its characters, the index in the original.

    ``offsets`` has ``len(text) + 1`` entries; the last one is the original's length, so a
    span ``[a, b)`` of the cleaned text maps to ``[offsets[a], offsets[b])``.
    """

    text: str
    offsets: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets[start], self.offsets[end]


def clean(text: str, lang: str = "ar", *, strip_diacritics: bool = False) -> Cleaned:
    """Clean ``text`` for a translation model, keeping offsets into the original.

    - bidi controls, zero width space, word joiner, BOM, soft hyphen, tatweel and control
      characters are removed; ZWJ is kept only inside emoji sequences, ZWNJ only between two
      letters of a non-Arabic paragraph (Persian-style joining; Arabic orthography has no use
      for it);
    - Arabic presentation forms (U+FB50-U+FDFF, U+FE70-U+FEFF) become base letters (NFKC on
      that range only: ﻻ -> لا, ﷲ -> الله);
    - a base letter followed by a combining mark that composes with it (ا + ٔ -> أ) becomes
      the composed letter; other diacritics stay unless ``strip_diacritics``;
    - Arabic-Indic and Eastern Arabic-Indic digits become ASCII, and ٫ / ٬ between digits
      become ``.`` / ``,``;
    - whitespace runs become one space (one newline if they hold a newline) and the ends are
      trimmed; lone surrogates become U+FFFD so that the text can be encoded.
    """
    if _SPECIAL.search(text) is None and not strip_diacritics:
        return Cleaned(text, tuple(range(len(text) + 1)))
    arabic = lang.lower().startswith("ar")
    out: list[str] = []
    offsets: list[int] = []
    space = ""  # pending whitespace: " " or "\n"
    space_at = 0
    n = len(text)
    for i, ch in enumerate(text):
        if ch in _DROP:
            continue
        if ch.isspace():
            if out:
                if not space:
                    space_at = i
                space = "\n" if ch == "\n" or space == "\n" else " "
            continue
        if ch in (ZWJ, ZWNJ):
            nxt = text[i + 1] if i + 1 < n else ""
            if not (out and not space and _keeps_joiner(ch, out[-1], nxt, arabic)):
                continue
        if space:
            out.append(space)
            offsets.append(space_at)
            space = ""
        if ch in _DIGITS:
            ch = _DIGITS[ch]
        elif ch in _NUMBER_MARKS:
            nxt = text[i + 1] if i + 1 < n else ""
            if out and out[-1].isdigit() and nxt.isdigit():
                ch = _NUMBER_MARKS[ch]
        elif "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff":
            for c in _base_letters(ch):
                out.append(c)
                offsets.append(i)
            continue
        elif "\ud800" <= ch <= "\udfff":
            ch = "\ufffd"
        elif unicodedata.combining(ch):
            if strip_diacritics and ch in ARABIC_DIACRITICS:
                continue
            if out:
                composed = _compose(out[-1], ch)
                if composed is not None:
                    out[-1] = composed
                    continue
        elif unicodedata.category(ch) == "Cc":
            continue
        out.append(ch)
        offsets.append(i)
    offsets.append(n)
    return Cleaned("".join(out), tuple(offsets))


def _keeps_joiner(joiner: str, prev: str, nxt: str, arabic: bool) -> bool:
    if not nxt:
        return False
    if joiner == ZWJ:  # 👨‍👩‍👧: the joiner makes one emoji of several
        return _is_symbol(prev) and _is_symbol(nxt)
    return not arabic and prev.isalpha() and nxt.isalpha()


def _is_symbol(ch: str) -> bool:
    return unicodedata.category(ch) in ("So", "Sk") or ch == "\ufe0f"


@lru_cache(maxsize=1024)
def _base_letters(ch: str) -> str:
    """NFKC of one presentation form; the spacing forms of harakat lose their space/tatweel."""
    base = unicodedata.normalize("NFKC", ch)
    if "\ufe70" <= ch <= "\ufe7f":
        base = base.replace(" ", "").replace(TATWEEL, "")
    return base


@lru_cache(maxsize=1024)
def _compose(base: str, mark: str) -> str | None:
    composed = unicodedata.normalize("NFC", base + mark)
    return composed if len(composed) == 1 else None
