"""The names among a learned lexicon's pairs, for the gazetteer.

An archive import learns which English word each Arabic word is linked to
(:mod:`tarjama.archive.lexicon`): mostly translations (مستشفى / hospital), and, for the
names of the newsroom's own stories, the spelling its editors use (نعيمي / naimi). A pair
is taken as a name when the English word is rare enough to be one and sounds like the
Arabic spelt in Latin letters: a translation does not sound like its source. Fidelity
reads no archive itself: the workspace hands the pairs in (:meth:`Gazetteer.with_pairs`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz.distance import Levenshtein
from wordfreq import zipf_frequency

from ..text.phonetic import Transliterate, phonetic_key
from .names import EN_RARE_ZIPF, keys_match

#: An English word this common (wordfreq Zipf) is a word, not a name to learn: the names of
#: the news are rarer (Baghdad 3.6, Hezbollah 3.3, Naimi 1.5; port 4.7, minister 5.0).
LEARNED_MAX_ZIPF = EN_RARE_ZIPF + 2.0
#: The most pairs looked at (the rarest English first), so that a huge archive's lexicon
#: costs a bounded number of transliterations.
MAX_CANDIDATES = 20_000
#: The lexicon keeps a word without its proclitic (لندن is stored as ندن): the letters put
#: back in front when the bare form does not sound like the English.
_PROCLITICS = ("ل", "ب", "ك", "و", "ف")
_NAME = re.compile(r"[a-z]{3,}")


def learned_names(
    pairs: Iterable[tuple[str, str]], transliterate: Transliterate | None
) -> list[tuple[str, str]]:
    """The (Arabic, English) pairs of a learned lexicon that are names, the English
    capitalised (the lexicon lower-cases it); none without a transliterator."""
    if transliterate is None:
        return []
    candidates = sorted(
        (
            (zipf_frequency(en, "en"), ar, en)
            for ar, en in pairs
            if _NAME.fullmatch(en) and len(ar) >= 2
        ),
        key=lambda c: c[0],
    )
    candidates = [c for c in candidates[:MAX_CANDIDATES] if c[0] < LEARNED_MAX_ZIPF]
    readings = [[ar, *(p + ar for p in _PROCLITICS)] for _, ar, _ in candidates]
    flat = list(dict.fromkeys(r for rs in readings for r in rs))
    keys = dict(zip(flat, (phonetic_key(t) for t in transliterate(flat)), strict=True))
    out = []
    for (_, _, en), rs in zip(candidates, readings, strict=True):
        english = phonetic_key(en)
        # The reading that sounds most like the English (بنغازي, not لنغازي, for Benghazi),
        # the bare one on a tie.
        found = max(
            (r for r in rs if keys_match(keys[r], english)),
            key=lambda r: Levenshtein.normalized_similarity(keys[r], english) - rs.index(r) / 100,
            default=None,
        )
        if found is not None:
            out.append((found, en.capitalize()))
    return out
