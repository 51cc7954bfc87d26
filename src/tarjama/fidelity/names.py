"""Matching proper names across an Arabic text and its English translation.

- English names: capitalised words that do not start a sentence and are not common English
  words (``wordfreq`` Zipf frequency below :data:`EN_COMMON_ZIPF`), acronyms aside.
- Arabic names: the word after a title (الرئيس، وزير، السفير، السيد، د. ...), glossary
  terms, and words rare in Arabic (Zipf frequency below :data:`AR_RARE_ZIPF`: transliterated
  foreign names such as بيلاوسوف are rare; common Arabic words are not names).

An Arabic word, stripped of its clitics, is transliterated (by any ``transliterate``
callable, such as :class:`tarjama.engines.characters.Transliterator`) and compared with
English words on :func:`tarjama.text.phonetic.phonetic_key` (بيلاوسوف -> bellausov ->
``blsv`` = Belousov).
A name with no counterpart on the other side is reported. Without a transliterator only
Latin-script names in the Arabic text (A1GP, HK Management) are judged: they must be
copied. Glossary names are the glossary check's business. See docs/fidelity.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein
from wordfreq import zipf_frequency as _wordfreq_zipf

from ..text.fold import ARABIC_WORD, clitic_stems, fold, fold_letters
from ..text.memo import WORD_CACHE
from ..text.phonetic import Transliterate, phonetic_key
from .gazetteer import Entry, Gazetteer, cldr
from .glossary import Glossary, contains
from .quoting import quoted_spans


@lru_cache(maxsize=WORD_CACHE)
def zipf_frequency(word: str, lang: str) -> float:
    """wordfreq's Zipf frequency, remembered: names are looked up word by word, again and
    again across a document."""
    return float(_wordfreq_zipf(word, lang))


EN_COMMON_ZIPF = 3.5
AR_RARE_ZIPF = 1.0
#: Inside a short quoted span, a word less common than this is taken for a name.
QUOTED_RARE_ZIPF = 2.5
#: Words after which Arabic news puts a person's name.
_TITLE_WORDS = (
    "الرئيس", "وزير", "وزيرة", "السفير", "السفيرة", "السيد", "السيدة", "د", "الدكتور",
    "الشيخ", "الأمير", "الملك", "الجنرال", "العقيد", "القاضي", "النائب", "المستشار",
)  # fmt: skip
TITLES = frozenset(fold_letters(w) for w in _TITLE_WORDS)
_PERSON_TITLES = frozenset(fold_letters(w) for w in ("السيد", "السيدة", "د", "الدكتور", "الشيخ"))
_EN_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_LATIN_NAME = re.compile(r"(?<![\w])[A-Z][A-Za-z0-9]+(?:[ .-][A-Z0-9][A-Za-z0-9]*)*")
_SENTENCE_START = re.compile(r"[.!?:;\"“«(]\s*$")
_POSSESSIVE = re.compile(r"['’]s$")
# Capitalised adjectives and nouns of kind (Croatian, Icelandic, Meteorological, Colonists)
# are translated, not transliterated: no sound match is to be expected.
# Adjectives in -ous (Cretaceous) too.
_NOT_A_NAME = re.compile(r"(?:ians?|eses?|ic|ical|ists?|ions?|isms?|ology|ous)$")
# Parts of a name: hyphenated, with an apostrophe, snake_case or CamelCase (a hashtag:
# BlackLivesMatter is three common words, translated; BlackSkin_Heranity is not).
_PARTS = re.compile(r"[-'’_]|(?<=[a-z])(?=[A-Z])")
# An acronym in mixed case (AfCFTA, the African Continental Free Trade Area): said in words.
_MIXED_ACRONYM = re.compile(r"[A-Z]{2}.*[A-Z]|[A-Z].*[A-Z]{2}")
# A demonym is a place name with one of these endings (Rwanda-n, Zimbabwe-ans, German(y)-s,
# Iraq-i): translated (روانديًا, مواطني زمبابواي), not transliterated.
_DEMONYM_ENDINGS = ("n", "ns", "an", "ans", "ian", "ians", "ese", "i", "is", "ish", "s")


@dataclass(frozen=True)
class Name:
    text: str
    start: int
    end: int
    keys: tuple[str, ...]  # phonetic keys of its readings; empty without a transliterator
    expected: str = ""  # its known rendering on the other side, when the gazetteer has it
    titled: bool = False  # an Arabic word after a title (الرئيس، السيد): surely a name


def keys_match(a: str, b: str) -> bool:
    """Two phonetic keys sound alike: equal, or (both 4+ letters) 75% alike (Levenshtein) or one a
    prefix of the other (an ending the other language adds: lgst ~ lgstks)."""
    if not a or not b:
        return False
    if a == b:
        return True
    if a[1:] == b[1:] and {a[0], b[0]} <= {"a", "y"}:
        return True  # a leading semi-vowel is a vowel in the other script (Eunice, يونيس)
    if min(len(a), len(b)) < 4:
        return False
    return a.startswith(b) or b.startswith(a) or Levenshtein.normalized_similarity(a, b) >= 0.75


class NameMatcher:
    def __init__(
        self,
        transliterate: Transliterate | None = None,
        glossary: Glossary | None = None,
        gazetteer: Gazetteer | None = None,
    ) -> None:
        """``gazetteer`` defaults to CLDR's names; the glossary's terms are added to it.
        A caller with an archive's learned lexicon passes ``cldr().with_pairs(...)``."""
        self.transliterate = transliterate
        self.glossary = glossary
        gazetteer = gazetteer if gazetteer is not None else cldr()
        if glossary is not None:
            gazetteer = gazetteer.with_pairs(((t.ar, t.en) for t in glossary.terms), "glossary")
        self.gazetteer = gazetteer
        self._places = frozenset(
            r.lower()
            for e in gazetteer.entries.values()
            if e.kind == "territory"
            for r in e.english
            if " " not in r and len(r) >= 4
        )

    # -- finding names -----------------------------------------------------------------

    def english_names(self, text: str) -> list[Name]:

        names = []
        for m in _EN_WORD.finditer(text):
            word = _POSSESSIVE.sub("", m.group(0).strip("'’-"))
            if not word[:1].isupper() or len(word) < 3 or word.rstrip("s").isupper():
                continue
            if m.start() == 0 or _SENTENCE_START.search(text[max(0, m.start() - 4) : m.start()]):
                continue
            if _NOT_A_NAME.search(word) or _MIXED_ACRONYM.search(word) or self._demonym(word):
                continue
            parts = [p for p in _PARTS.split(word) if len(p) > 2]
            if all(zipf_frequency(p.lower(), "en") >= EN_COMMON_ZIPF for p in parts):
                continue
            start = m.start()
            keys = tuple(dict.fromkeys(phonetic_key(v) for v in _english_spellings(word)))
            names.append(Name(word, start, start + len(word), keys))
        return names

    def _demonym(self, word: str) -> bool:
        """``word`` is a place of the gazetteer with a demonym's ending (Rwandan)."""
        low = word.lower()
        stems = [low[: -len(x)] for x in _DEMONYM_ENDINGS if low.endswith(x)]
        return any(
            len(stem) >= 3
            and (stem in self._places or any(stem + x in self._places for x in "aey"))
            for stem in stems
        )

    def arabic_names(self, text: str) -> list[Name]:
        folded = fold(text, "ar")
        words = list(ARABIC_WORD.finditer(folded.text))
        # A short quoted span («سيسم ستريت») is a name or a title, not someone's words.
        short_quotes = [
            s for s in quoted_spans(folded.text) if len(folded.text[s[0] : s[1]].split()) < 5
        ]
        chosen: list[tuple[int, list[str]]] = []
        titled: set[int] = set()
        for i, m in enumerate(words):
            stems = clitic_stems(fold_letters(m.group(0)), min_stem=3)
            after = i > 0 and fold_letters(words[i - 1].group(0)) in TITLES
            after_dot = (
                i > 0
                and fold_letters(words[i - 1].group(0)) == "د"
                and folded.text[words[i - 1].end() : m.start()].startswith(".")
            )
            person = after_dot or (after and fold_letters(words[i - 1].group(0)) in _PERSON_TITLES)
            freq = _arabic_zipf(m.group(0))
            if freq < AR_RARE_ZIPF and _glued(fold_letters(m.group(0))):
                continue
            # A family name after a titled first name: د. فهد الشمري.
            after = after or ((i - 1) in titled and m.group(0).startswith("ال"))
            quoted = any(s <= m.start() < e for s, e in short_quotes)
            rare = freq < (QUOTED_RARE_ZIPF if quoted else AR_RARE_ZIPF)
            if len(stems[0]) >= 3 and (rare or person or (after and freq < 4.0)):
                chosen.append((i, stems))
                if after or after_dot:
                    titled.add(i)
        keys = self._keys(list(dict.fromkeys(s for _, stems in chosen for s in stems)))
        out = []
        for i, stems in chosen:
            start, end = folded.span(*words[i].span())
            name_keys = tuple(dict.fromkeys(k for s in stems for k in keys[s]))
            out.append(Name(text[start:end], start, end, name_keys, titled=i in titled))
        return out

    def _keys(self, arabic_words: list[str]) -> dict[str, tuple[str, ...]]:
        """Phonetic keys of each word's transliteration, also with ج read as g (Egyptian)."""
        if self.transliterate is None:
            return {w: () for w in arabic_words}

        latin = self.transliterate(arabic_words)
        return {
            w: tuple(
                dict.fromkeys(k for k in (phonetic_key(t), phonetic_key(t.replace("j", "g"))) if k)
            )
            for w, t in zip(arabic_words, latin, strict=True)
        }

    # -- comparing ---------------------------------------------------------------------

    def unmatched(self, arabic: str, english: str) -> tuple[list[Name], list[Name]]:
        """Arabic names with no English counterpart, and English names with no Arabic one."""

        if self.transliterate is None:
            return self._latin_only(arabic, english)
        ar_names = self.arabic_names(arabic)
        en_names = self.english_names(english)
        en_words = _EN_WORD.findall(english)
        en_words += [p for w in en_words for p in re.split("[-'’]", w)]
        en_keys = {phonetic_key(v) for w in en_words for v in _english_spellings(w)}
        ar_keys: set[str] = set()
        if en_names:  # transliterating every Arabic word is the costly part: only when needed
            words = [s for m in ARABIC_WORD.finditer(fold(arabic, "ar").text) for s in _stems(m)]
            ar_keys = {k for ks in self._keys(list(dict.fromkeys(words))).values() for k in ks}
        latin = {w.lower() for w in _EN_WORD.findall(arabic)}
        known = self.gazetteer.find(arabic)
        rendered = {r.lower() for _, _, e in known for r in e.english if contains(english, r, "en")}
        lost_ar = [
            n
            for n in ar_names
            if not any(keys_match(a, k) for a in n.keys for k in en_keys)
            and not self._glossed(n.text, english)
            and not any(
                s <= n.start < e and set(map(str.lower, x.english)) & rendered for s, e, x in known
            )
        ]
        lost_en = [
            n
            for n in en_names
            if n.text.lower() not in latin
            and not any(keys_match(e, k) for e in n.keys for k in ar_keys)
            and not _parts_match(n.text, ar_keys)
            and not self._glossed_en(n.text, arabic)
            and not any(r.lower() in rendered for r in _with_parts(n.text))
        ]
        garbled, near = _garbled(known, arabic, english, rendered)
        return garbled + lost_ar, [n for n in lost_en if n.text not in near]

    def _latin_only(self, arabic: str, english: str) -> tuple[list[Name], list[Name]]:
        """Without a transliterator: Latin-script names in the Arabic text must be copied."""
        lost = [
            Name(m.group(0), m.start(), m.end(), ())
            for m in _LATIN_NAME.finditer(arabic)
            if not re.search(rf"(?<!\w){re.escape(m.group(0))}(?!\w)", english, re.IGNORECASE)
        ]
        return lost, []

    def _glossed(self, arabic_name: str, english: str) -> bool:
        """The glossary translates this Arabic name, and its translation is in the English."""
        if self.glossary is None:
            return False

        return any(
            contains(english, m.term.en, "en") for m in self.glossary.find(arabic_name, "ar")
        )

    def _glossed_en(self, english_name: str, arabic: str) -> bool:
        """This English name is part of the glossary translation of a term in the Arabic."""
        if self.glossary is None:
            return False

        return any(
            contains(m.term.en, english_name, "en") for m in self.glossary.find(arabic, "ar")
        )


#: An English name reported alone must be rarer than this (wordfreq Zipf) in every part.
EN_RARE_ZIPF = 2.0


def rare_name(name: str) -> bool:
    """Every part of ``name`` (Al-Otaibi: al, otaibi) is rare in English, and it is not a
    plural or a derived form (Hussars, Thais, Arawak-speaking)."""
    parts = [p for p in re.split(r"[-'’]", name) if len(p) > 2]
    return bool(parts) and all(
        zipf_frequency(p.lower(), "en") < EN_RARE_ZIPF and not p.endswith(("s", "ing", "ed"))
        for p in parts
    )


def _parts_match(name: str, keys: set[str]) -> bool:
    """Each part of a hyphenated name sounds like a word on the other side (Saffir-Simpson,
    سايفر-سيمبسون: the Arabic words are found apart)."""
    parts = [p for p in re.split(r"[-'’]", name) if len(p) > 2]
    return len(parts) > 1 and all(any(keys_match(phonetic_key(p), k) for k in keys) for p in parts)


def _with_parts(name: str) -> list[str]:
    return [name, *re.split(r"[-'’]", name)]


def _garbled(
    known: list[tuple[int, int, Entry]], arabic: str, english: str, rendered: set[str]
) -> tuple[list[Name], set[str]]:
    """Gazetteer names whose known rendering is not in the English but a near miss is
    (Luxemborg for لوكسمبورغ): a misspelt name, reported with its expected spelling; and
    the misspellings found."""
    words = {w for w in _EN_WORD.findall(english) if w[:1].isupper()}
    out: list[Name] = []
    misspelt: set[str] = set()
    for start, end, entry in known:
        if {r.lower() for r in entry.english} & rendered:
            continue
        for r in (r for r in entry.english if " " not in r):
            near = [
                w
                for w in words
                if not w.startswith(r[:-1])  # Rwandan, Germans: a derived form, not a misspelling
                and zipf_frequency(w.lower(), "en") < EN_RARE_ZIPF + 1  # Columbia is a word
                and Levenshtein.normalized_similarity(w, r) >= 0.75
            ]
            if near:
                out.append(Name(arabic[start:end], start, end, (), expected=r))
                misspelt.update(near)
                break
    return out, misspelt


def _stems(m: re.Match[str]) -> list[str]:
    """The word and its reading without its longest proclitic (وبالرياض -> رياض)."""
    return clitic_stems(fold_letters(m.group(0)), min_stem=3)[:2]


_SUFFIXES = ("ها", "هم", "هما", "هن", "كم", "نا", "ه", "ك", "ي", "ات", "ين", "ون", "ان", "تا", "ة",
             "تان", "تين", "ني", "وا")  # fmt: skip


@lru_cache(maxsize=WORD_CACHE)
def _arabic_zipf(word: str) -> float:
    """The frequency of the word's most common reading, remembered: a document says the same
    words again and again."""
    return max(zipf_frequency(s, "ar") for s in _readings(word))


def _readings(word: str) -> list[str]:
    """The word without clitics and without a pronoun, dual or plural ending, and a verb
    without its future prefix: a rare form of a common word is not a name (تستكشفه, it
    explores it; حكومتها, her government, is حكومة with ة written ت before the suffix;
    مدينتان, two cities; سيكتشف, he will discover)."""
    out = []
    for stem in clitic_stems(word, min_stem=3):
        out.append(stem)
        bare = _bare(stem, _SUFFIXES)
        # A verb with a pronoun after its ending: يزورونني, they visit me.
        bare += [b for x in _bare(stem, _PRONOUNS) for b in _bare(x, _ENDINGS)]
        out += bare
        out += [b[:-1] + "ة" for b in bare if b.endswith("ت")]
        if stem[:2] in _FUTURE and len(stem) >= 5:
            out.append(stem[1:])
    return out


_FUTURE = ("سي", "ست", "سن", "سأ", "سا")


_PRONOUNS = ("ني", "ه", "ها", "هم", "هما", "هن", "كم", "نا", "ك")
_ENDINGS = ("ون", "وا", "ين", "ات", "ان")


def _bare(stem: str, suffixes: tuple[str, ...]) -> list[str]:
    return [stem[: -len(x)] for x in suffixes if stem.endswith(x) and len(stem) - len(x) >= 3]


def _english_spellings(word: str) -> list[str]:
    """The word, its soft-c and cedilla readings (Triceratops sounds tri-s-eratops), the
    word without a plural s (Tainos, the Taino people: تاينو) and with a final -ng as the
    one sound Arabic may write ن + ج (Sejong, سيجونج)."""
    soft = re.sub(r"[cC](?=[eiyEIY])", "s", word).replace("ç", "s")
    out = [word, soft] if soft != word else [word]
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        out.append(word[:-1])
    if len(word) > 4 and word.endswith("ng"):
        out.append(word[:-1])
    return out


#: A rare Arabic "word" that is two common words of three letters or more glued by a
#: missing space (السفرهذه).
_GLUED_ZIPF = 3.5


def _glued(word: str) -> bool:
    return any(
        zipf_frequency(word[:i], "ar") >= _GLUED_ZIPF
        and zipf_frequency(word[i:], "ar") >= _GLUED_ZIPF
        for i in range(3, len(word) - 2)
    )
