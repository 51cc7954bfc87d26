"""Which script a text is written in: Arabic or Latin, told apart by counting letters."""

from __future__ import annotations

import re

from ._chars import is_arabic_letter

__all__ = ["arabic_ratio", "detect_script", "is_arabic_char", "letterless", "script_of"]

#: True for letters of the Arabic script blocks (not digits, marks or punctuation).
is_arabic_char = is_arabic_letter


def arabic_ratio(text: str) -> float:
    """Share of Arabic letters among all letters (0.0 when there are no letters)."""
    arabic = letters = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            if is_arabic_letter(ch):
                arabic += 1
    return arabic / letters if letters else 0.0


def detect_script(text: str) -> tuple[str, float]:
    """Return ("ar" | "en", confidence 0..1) by the share of Arabic letters.

    The confidence is the share of letters in the chosen script; a text without letters
    (numbers, emoji) is "en" with confidence 0.0.
    """
    script = script_of(text)
    ratio = arabic_ratio(text)
    if script == "ar":
        return "ar", ratio
    return "en", (1.0 - ratio) if script else 0.0


def script_of(text: str) -> str | None:
    """ "ar" when most letters are Arabic, "en" when most are not, None without letters.

    The one rule for telling the two languages of an archive apart.
    """
    if not any(ch.isalpha() for ch in text):
        return None
    return "ar" if arabic_ratio(text) >= 0.5 else "en"


_URL = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.)\S+", re.I)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
#: A code: ASCII letters with at least one digit (A4, ISO-9001, v2.3, B2B-17).
_CODE = re.compile(r"(?=\S*\d)[A-Za-z0-9][A-Za-z0-9._/#:+-]*")
_EDGES = "()[]{}<>\"'«»“”‘’,.;:!?،؛؟"


def letterless(text: str) -> bool:
    """True when ``text`` holds nothing to translate: only digits and symbols, URLs, e-mail
    addresses and codes (``45``, ``12.5%``, ``2026-05-01``, ``https://x.org``, ``ISO-9001``).
    Such a segment is copied, as LibreTranslate and CAT tools do; a model may turn it into
    words."""
    words = text.split()
    return bool(words) and all(_inert(w.strip(_EDGES) or w) for w in words)


def _inert(word: str) -> bool:
    if not any(ch.isalpha() for ch in word):
        return True
    return any(p.fullmatch(word) for p in (_URL, _EMAIL, _CODE))
