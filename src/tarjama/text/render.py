"""Rendering a model's output in the target language's punctuation and digits.

Models trained on mixed web data write « » in English, ؟ after an English question, a space
before a comma, or a doubled mark (LibreTranslate #776: ؟ came out as ``??``). :func:`render`
puts the output in the conventions of the target language. Every pattern here is a plain
character class or a bounded look-around, so rendering is linear in the output.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ._chars import (
    ARABIC_DECIMAL,
    ARABIC_PERCENT,
    ARABIC_THOUSANDS,
    ASCII_TO_ARABIC,
    DIGITS_TO_ASCII,
    is_latin_letter,
)

DIGIT_SYSTEMS = ("ascii", "arabic")

_BLANKS = re.compile(r"[^\S\n]+")
_SPACE_BEFORE_MARK = re.compile(
    r" (?=[,;:?!)\]}،؛؟])| (?=\.(?:\s|$|[\"'»”)]))|(?<=[0-9٠-٩۰-۹]) (?=[%٪])"
)
_SPACE_AFTER_OPENER = re.compile(r"(?<=[(\[{]) ")
_MISSING_SPACE = re.compile(r"(?<=[^\W\d_])([,;،؛])(?=[^\W\d_])")
_DOUBLED = {mark: re.compile(f"{re.escape(mark)}(?: ?{re.escape(mark)})+") for mark in ",;?،؛؟"}
_QUOTE = re.compile(r"[«»„“”‟]")
_AR_DIGIT_MARK = re.compile(f"(?<=[٠-٩۰-۹0-9])[{ARABIC_DECIMAL}{ARABIC_THOUSANDS}](?=[٠-٩۰-۹0-9])")
_ASCII_DIGIT_MARK = re.compile(r"(?<=[0-9])[.,](?=[0-9])")
_PERCENT_AFTER_DIGIT = re.compile(r"(?<=[0-9])%|(?<=[٠-٩])%")
_EN_MARKS = str.maketrans({"،": ",", "؛": ";", "؟": "?", ARABIC_PERCENT: "%"})
_AR_MARKS = {",": "،", ";": "؛", "?": "؟"}
_LATIN_MARK = re.compile(r"[,;?]")
_TOKEN = re.compile(r"\S+")
_LINK = re.compile(r"://|^www\.|@|/")
#: How far back a Latin-or-Arabic context is looked for before an ambiguous mark.
_REACH = 40


def render(text: str, target: str, *, digits: str | None = None) -> str:
    """Put ``text`` (a model's output) in the punctuation and digits of ``target``.

    Target ``en``: « » „ “ ” become straight double quotes hugging their text; ، ؛ ؟ ٪ become
    , ; ? %; a doubled mark is written once; no space before punctuation; digits are ASCII
    (``digits="arabic"`` overrides). Target ``ar``: ? , ; become ؟ ، ؛ where they follow
    Arabic text (not in numbers, URLs or quoted English); the same spacing and doubling rules;
    digits stay as written unless ``digits`` is ``"ascii"`` or ``"arabic"`` (٠-٩, with ٫ ٬ ٪).
    Other targets get the spacing rules and the digit option only.
    """
    if digits is not None and digits not in DIGIT_SYSTEMS:
        raise ValueError(f"digits must be one of {DIGIT_SYSTEMS}, not {digits!r}")
    if target == "en":
        text = _english_quotes(text.translate(_EN_MARKS))
    elif target == "ar":
        text = _arabic_marks(text)
    text = _BLANKS.sub(" ", text)
    for mark, pattern in _DOUBLED.items():
        text = pattern.sub(mark, text)
    text = _SPACE_BEFORE_MARK.sub("", text)
    text = _SPACE_AFTER_OPENER.sub("", text)
    text = _MISSING_SPACE.sub(r"\1 ", text)
    text = restyle_digits(text, target, digits=digits)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def restyle_digits(text: str, target: str, *, digits: str | None = None) -> str:
    """``text`` with its numbers in ``target``'s digits, and nothing else changed: ASCII
    for English, as written otherwise, unless ``digits`` is ``"ascii"`` or ``"arabic"``."""
    if target == "en":
        digits = digits or "ascii"
    if digits == "ascii":
        return _to_ascii_digits(text)
    if digits == "arabic":
        return _to_arabic_digits(text)
    return text


def _english_quotes(text: str) -> str:
    """Straight double quotes; spaces just inside a quotation are dropped."""
    if _QUOTE.search(text) is None and '"' not in text:
        return text
    parts: list[str] = []
    german_open = False  # „ is closed by “
    for piece in re.split(r"([«»„“”‟])", text):
        if piece in ("«", "„", "‟") or (piece == "“" and not german_open):
            german_open = piece == "„"
            parts.append('"')
        elif piece in ("»", "”", "“"):
            german_open = False
            parts.append('"')
        else:
            parts.append(piece)
    text = "".join(parts)
    pieces = text.split('"')
    if len(pieces) % 2 == 1:  # balanced: odd pieces are quoted text
        text = '"'.join(p.strip(" ") if i % 2 else p for i, p in enumerate(pieces))
    return text


def _arabic_marks(text: str) -> str:
    """? , ; -> ؟ ، ؛ after Arabic text; kept in numbers, URLs and quoted English."""

    def swap(m: re.Match[str]) -> str:
        i = m.start()
        mark = m.group()
        nxt = text[i + 1] if i + 1 < len(text) else ""
        prev = text[i - 1] if i else ""
        if prev.isdigit() and nxt.isdigit():
            return mark  # 1,000
        if nxt and not (nxt.isspace() or nxt in "\"'»”)]}.!:?,;؟،؛"):
            return mark  # ?q= in a URL, a,b in code
        return _AR_MARKS[mark] if _arabic_context(text, i) else mark

    return _LATIN_MARK.sub(swap, text)


def _arabic_context(text: str, i: int) -> bool:
    """True unless the nearest letter before ``i`` is Latin (English quoted in Arabic)."""
    for ch in reversed(text[max(0, i - _REACH) : i]):
        if ch.isalpha():
            return not is_latin_letter(ch)
    return True


def _map_numbers(text: str, pattern: re.Pattern[str], swap: Callable[[str], str]) -> str:
    return pattern.sub(lambda m: swap(m.group()), text)


def _to_ascii_digits(text: str) -> str:
    text = _map_numbers(text, _AR_DIGIT_MARK, lambda c: "." if c == ARABIC_DECIMAL else ",")
    return text.translate(DIGITS_TO_ASCII).replace(ARABIC_PERCENT, "%")


def _to_arabic_digits(text: str) -> str:
    return _TOKEN.sub(lambda m: _token_to_arabic_digits(m.group()), text)


def _token_to_arabic_digits(text: str) -> str:
    if _LINK.search(text):
        return text  # digits in a URL or an e-mail address are part of an address
    text = text.translate(DIGITS_TO_ASCII)
    text = _map_numbers(
        text, _ASCII_DIGIT_MARK, lambda c: ARABIC_DECIMAL if c == "." else ARABIC_THOUSANDS
    )
    text = _PERCENT_AFTER_DIGIT.sub(ARABIC_PERCENT, text)
    return text.translate(ASCII_TO_ARABIC)
