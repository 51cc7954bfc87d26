"""Which script a text is written in: Arabic or Latin, told apart by counting letters."""

from __future__ import annotations

from ._chars import is_arabic_letter

__all__ = ["arabic_ratio", "detect_script", "is_arabic_char", "script_of"]

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
