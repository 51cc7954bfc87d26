"""The names among a learned lexicon's pairs, for the gazetteer.

An archive import learns which English word each Arabic word is linked to
(:mod:`tarjama.archive.lexicon`): mostly translations (مستشفى / hospital), and, for the
names of the newsroom's own stories, the spelling its editors use (نعيمي / naimi). A pair
is taken as a name when the English word is not among the commonest English words and
sounds like the Arabic spelt in Latin letters: a translation does not sound like its
source. Fidelity reads no archive itself: the workspace hands the pairs in
(:meth:`Gazetteer.with_pairs`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from rapidfuzz.distance import Levenshtein
from wordfreq import top_n_list

from ..text.phonetic import Transliterate, phonetic_key
from .names import keys_match

#: The English words this many of the commonest (wordfreq) are words, not names to learn:
#: down to a Zipf frequency of about 4 (Baghdad 3.6, Hezbollah 3.3, Naimi 1.5 are rarer;
#: port 4.7, minister 5.0 are not). A set: a lexicon of 100,000 words is read in a blink.
COMMON_WORDS = 7_000
#: The most pairs looked at (the caller's strongest first), so that a huge archive's
#: lexicon costs a bounded number of transliterations.
MAX_CANDIDATES = 20_000
#: The lexicon keeps a word without its proclitic (بنغازي is stored as نغازي): the letter
#: put back in front when the bare form does not sound like the English, tried only where
#: the English starts with its sound.
_PROCLITICS = {"ل": "l", "ب": "b", "ك": "k", "و": "w", "ف": "v"}
_NAME = re.compile(r"[a-z]{3,}")


@cache
def _common() -> frozenset[str]:
    return frozenset(top_n_list("en", COMMON_WORDS))


def learned_names(
    pairs: Iterable[tuple[str, str]], transliterate: Transliterate | None
) -> list[tuple[str, str]]:
    """The (Arabic, English) pairs of a learned lexicon that are names, the English
    capitalised (the lexicon lower-cases it); none without a transliterator."""
    if transliterate is None:
        return []
    common = _common()
    candidates = [
        (ar, en) for ar, en in pairs if len(ar) >= 2 and _NAME.fullmatch(en) and en not in common
    ][:MAX_CANDIDATES]
    english = [phonetic_key(en) for _, en in candidates]
    readings = [
        [ar, *(p + ar for p, sound in _PROCLITICS.items() if key.startswith(sound))]
        for (ar, _), key in zip(candidates, english, strict=True)
    ]
    flat = list(dict.fromkeys(r for rs in readings for r in rs))
    keys = dict(zip(flat, (phonetic_key(t) for t in transliterate(flat)), strict=True))
    out = []
    for (_, en), key, rs in zip(candidates, english, readings, strict=True):
        # The reading that sounds most like the English (بنغازي for Benghazi), the bare
        # one on a tie.
        found = max(
            (r for r in rs if keys_match(keys[r], key)),
            key=lambda r: Levenshtein.normalized_similarity(keys[r], key) - rs.index(r) / 100,
            default=None,
        )
        if found is not None:
            out.append((found, en.capitalize()))
    return out
