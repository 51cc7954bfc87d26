"""Character classes shared by clean-up, splitting and rendering.

Kept as plain strings (for ``str`` membership and ``translate``) and as regex class bodies,
so that every module agrees on what is a bidi mark, a closing quote or an Arabic digit.
"""

from __future__ import annotations

#: Invisible format characters that never carry meaning in news text: bidi controls
#: (LRM, RLM, ALM, embeddings, overrides, isolates), zero width space, word joiner,
#: invisible operators, BOM / zero width no-break space and the soft hyphen.
INVISIBLE = (
    "\u00ad\u061c\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
ZWNJ = "\u200c"
ZWJ = "\u200d"
#: Everything a splitter looks through when it inspects the neighbours of a mark.
TRANSPARENT = INVISIBLE + ZWNJ + ZWJ

TATWEEL = "\u0640"

#: Arabic-Indic (U+0660...) and Eastern Arabic-Indic (U+06F0...) digits to ASCII.
DIGITS_TO_ASCII = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
ASCII_TO_ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
ARABIC_DECIMAL = "\u066b"  # ٫
ARABIC_THOUSANDS = "\u066c"  # ٬
ARABIC_PERCENT = "\u066a"  # ٪

#: Arabic harakat, tanween, shadda, sukun, dagger alef and Quranic annotation marks; not the
#: combining madda and hamza (U+0653-U+0655), which belong to the letter (ا + ٔ = أ).
ARABIC_DIACRITICS = frozenset(
    [chr(c) for c in range(0x064B, 0x0653)]
    + [chr(c) for c in range(0x0656, 0x0660)]
    + ["\u0670"]
    + [chr(c) for c in range(0x06D6, 0x06DD)]
    + [chr(c) for c in range(0x06DF, 0x06E9)]
    + [chr(c) for c in range(0x06EA, 0x06EE)]
)

#: Marks that can end a sentence. ۔ is the Urdu full stop, found in Arabic-script text.
TERMINALS = ".!?؟…‼⁇⁈⁉۔"
#: The subset that ends a sentence whatever word precedes it.
QUESTION_EXCLAMATION = "!?؟‼⁇⁈⁉"
#: Closing quotes and brackets: after a terminal mark they stay with the sentence.
CLOSERS = "»\"”’')]}›"
#: Opening quotes and brackets: before a sentence they belong to it.
OPENERS = "«\"“„‟‘'([{‹"
#: Punctuation that neither ends a sentence nor makes one (a chunk of only these is empty).
INNER_PUNCT = ",;:،؛-–—/\\*•·"


def is_arabic_letter(ch: str) -> bool:
    """True for letters of the Arabic script blocks (not digits, marks or punctuation)."""
    o = ord(ch)
    return (
        0x0600 <= o <= 0x06FF
        or 0x0750 <= o <= 0x077F
        or 0x08A0 <= o <= 0x08FF
        or 0xFB50 <= o <= 0xFDFF
        or 0xFE70 <= o <= 0xFEFF
    ) and ch.isalpha()


def is_latin_letter(ch: str) -> bool:
    return ch.isalpha() and ord(ch) < 0x0250


def class_body(chars: str) -> str:
    """Escape ``chars`` for use inside a regex character class."""
    return "".join("\\" + c if c in "\\]^-[" else c for c in chars)
