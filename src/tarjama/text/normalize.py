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
_NUMBER_MARKS = {ARABIC_DECIMAL: ".", ARABIC_THOUSANDS: ","}
#: Characters that need more than copying (digits are translated beforehand, 1 to 1):
#: invisible marks, tatweel, joiners, ٫ ٬, presentation forms, surrogates, C0/C1 controls
#: that are not whitespace, and combining marks that compose (Latin accents, ٓ ٔ ٕ).
_SPECIALS = (
    class_body(INVISIBLE + TATWEEL + ZWJ + ZWNJ + ARABIC_DECIMAL + ARABIC_THOUSANDS)
    + "\\ufb50-\\ufdff\\ufe70-\\ufeff\\ud800-\\udfff\\x00-\\x08\\x0e-\\x1b\\x7f-\\x84\\x86-\\x9f"
    + "\\u0300-\\u036f\\u0653-\\u0655"
)
_SPECIAL = re.compile(f"[{_SPECIALS}]")
#: With strip_diacritics, runs of Arabic diacritics are one match (dropped whole).
_SPECIAL_OR_DIACRITIC = re.compile(
    f"[{class_body(''.join(sorted(ARABIC_DIACRITICS)))}]+|[{_SPECIALS}]"
)
#: Whitespace that is not a single space between two non-spaces.
_IRREGULAR_SPACE = re.compile(r"\s{2,}|[^\S ]|^ | \Z")
_ARABIC_DIGITS = re.compile("[\u0660-\u0669\u06f0-\u06f9]")


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
    special = _SPECIAL_OR_DIACRITIC if strip_diacritics else _SPECIAL
    if (
        special.search(text) is None
        and _IRREGULAR_SPACE.search(text) is None
        and _ARABIC_DIGITS.search(text) is None
    ):
        return Cleaned(text, tuple(range(len(text) + 1)))
    arabic = lang.lower().startswith("ar")
    mapped, offsets = _map_characters(text.translate(DIGITS_TO_ASCII), special, arabic)
    text_out, offsets_out = _squeeze_spaces(mapped, offsets)
    offsets_out.append(len(text))
    return Cleaned(text_out, tuple(offsets_out))


def _map_characters(text: str, special: re.Pattern[str], arabic: bool) -> tuple[str, list[int]]:
    """Drop, map or compose the special characters; copy stretches between them whole."""
    pieces: list[str] = []
    offsets: list[int] = []
    last = ""  # the last character written
    pos = 0
    n = len(text)

    def emit(piece: str, at: int) -> None:
        nonlocal last
        pieces.append(piece)
        offsets.extend([at] * len(piece))
        last = piece[-1]

    for m in special.finditer(text):
        i = m.start()
        if i > pos:
            pieces.append(text[pos:i])
            offsets.extend(range(pos, i))
            last = text[i - 1]
        pos = m.end()
        ch = text[i]
        nxt = text[i + 1] if i + 1 < n else ""
        if ch in _DROP or ch < " " or "\x7f" <= ch <= "\x9f":
            continue
        if ch in (ZWJ, ZWNJ):
            if last and nxt and _keeps_joiner(ch, last, nxt, arabic):
                emit(ch, i)
        elif ch in _NUMBER_MARKS:
            emit(_NUMBER_MARKS[ch] if last.isdigit() and nxt.isdigit() else ch, i)
        elif "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff":
            base = _base_letters(ch)
            if base:
                emit(base, i)
        elif "\ud800" <= ch <= "\udfff":
            emit("\ufffd", i)
        elif ch in ARABIC_DIACRITICS and special is _SPECIAL_OR_DIACRITIC:
            continue  # a run of diacritics, stripped
        else:  # a combining mark: compose it with the letter before where Unicode can
            composed = _compose(last, ch) if last else None
            if composed is None:
                emit(ch, i)
            else:
                pieces[-1] = pieces[-1][:-1] + composed
                last = composed
    pieces.append(text[pos:])
    offsets.extend(range(pos, n))
    return "".join(pieces), offsets


def _squeeze_spaces(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    """Whitespace runs become one space (a newline if they hold one); the ends are trimmed."""
    pieces: list[str] = []
    out: list[int] = []
    pos = 0
    n = len(text)
    for m in _IRREGULAR_SPACE.finditer(text):
        a, b = m.span()
        pieces.append(text[pos:a])
        out.extend(offsets[pos:a])
        pos = b
        if a > 0 and b < n:
            pieces.append("\n" if "\n" in m.group() else " ")
            out.append(offsets[a])
    pieces.append(text[pos:])
    out.extend(offsets[pos:])
    return "".join(pieces), out


def _keeps_joiner(joiner: str, prev: str, nxt: str, arabic: bool) -> bool:
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
