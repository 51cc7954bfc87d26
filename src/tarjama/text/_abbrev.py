"""Abbreviations, initials and sentence starters: the word lists behind the splitter.

A word followed by a dot is looked up here with the dot removed (``U.S`` for ``U.S.``).
Arabic and English lists are both consulted whatever the paragraph's language, because news
text mixes scripts (an English name in an Arabic report, an Arabic title in a transliteration).
"""

from __future__ import annotations

import enum
from functools import lru_cache

from ._chars import ARABIC_DIACRITICS, OPENERS, TATWEEL, TRANSPARENT, is_arabic_letter


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


class AbbrevKind(enum.Enum):
    NONE = "none"  # an ordinary word: the dot ends the sentence
    NEVER_ENDS = "never"  # a title or initial that always has a name or number after it
    MAY_END = "may"  # ends the sentence only if a typical sentence opener follows


#: Removed before lookup: invisible marks, tatweel (هـ.) and diacritics (دُ.).
_NOISE = str.maketrans("", "", TRANSPARENT + TATWEEL + "".join(ARABIC_DIACRITICS))

#: English titles and Latin abbreviations that a name, number or phrase always follows.
_EN_NEVER = _words(
    "Mr Mrs Ms Mx Messrs Mmes Mme Mlle Dr Drs Prof Profs Gen Col Lt Sgt Capt Cpt Maj Cmdr"
    " Cdr Adm Gov Sen Rep Reps Rev Hon Pres Supt Insp Det Brig Cpl Pvt Fr Atty Amb Sra Sgto"
    " vs v e.g i.e cf viz"
)

#: English abbreviations that can also be the last word of a sentence.
_EN_MAY = _words(
    "etc approx est Inc Ltd Co Corp Bros Jr Sr St Ave Blvd Rd Mt Ft Dept Univ Assn Intl"
    " Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Tues Wed Thu Thur Thurs Fri"
    " Sat No Nos Art Fig Figs Vol Vols Ch ch pp p al ca ed eds Ph.D a.m p.m"
    # AP-style US state abbreviations, common in wire datelines.
    " Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Ky La Md Mass Mich Minn Miss Mo"
    " Mont Neb Nev Okla Ore Pa Tenn Vt Va Wash Wis Wyo"
)

#: Arabic spellings of Latin letter names, used for initials: دي. كي. أريا (D. K. Arya).
_AR_LETTER_NAMES = _words(
    "اي ايه إيه أيه آي بي سي دي إي اي إف اف جي إتش اتش إيتش جاي جيه كي كيه إل إم ام إن"
    " أو كيو آر ار إس اس تي يو في فى دبليو إكس اكس واي زد زي"
)

#: Words that typically open an English sentence; after "U.S." or an initial they mean the
#: sentence ended ("...in the U.S. The talks..."), any other capitalised word means it did not.
_EN_STARTERS = _words(
    "A An The This That These Those There Here It Its He She They We I You His Her Their"
    " Our My Your But And Or So Yet Nor For In On At As By From With Without After Before"
    " During Since Until When While Where Why How What Who Which If Although Though Because"
    " However Meanwhile Moreover Furthermore Also Still Then Now Today Yesterday Tomorrow"
    " Last Next Some Many Most All Both Each Every No Not One Two Three Four Five Police"
    " Officials Authorities"
)

#: Arabic verbs that name the speaker after a quotation: «...؟» تساءل الوزير.
_AR_SPEECH_VERBS = _words(
    "قال قالت يقول تقول أضاف أضافت يضيف تضيف تساءل تساءلت يتساءل تتساءل سأل سألت يسأل"
    " تسأل أجاب أجابت رد ردت صرح صرحت هتف هتفت صاح صاحت علق علقت أكد أكدت"
)

_ROMAN = _words("I II III IV V VI VII VIII IX X XI XII")


def _normalise(word: str) -> str:
    return word.lstrip(OPENERS).translate(_NOISE)


def _is_arabic_initial(part: str) -> bool:
    return (len(part) == 1 and is_arabic_letter(part)) or part in _AR_LETTER_NAMES


def _is_latin_initial(part: str) -> bool:
    return len(part) == 1 and part.isalpha() and part.isascii()


@lru_cache(maxsize=4096)
def abbrev_kind(word: str) -> AbbrevKind:
    """Classify the word before a dot (``word`` excludes that dot)."""
    w = _normalise(word)
    if not w:
        return AbbrevKind.NONE
    if w in _EN_NEVER:
        return AbbrevKind.NEVER_ENDS
    parts = w.split(".")
    # د. م. هـ. ن. أ.د. ص.ب. دي. كي. بي.بي.سي: Arabic titles, eras and initials.
    if all(_is_arabic_initial(p) for p in parts):
        return AbbrevKind.NEVER_ENDS
    if w in _EN_MAY:
        return AbbrevKind.MAY_END
    # J. K. Rowling, U.S., U.N., a.m.: initials and dotted acronyms.
    if all(_is_latin_initial(p) for p in parts) and (len(parts) > 1 or w.isupper()):
        return AbbrevKind.MAY_END
    return AbbrevKind.NONE


def is_letter_name(word: str) -> bool:
    """True for the Arabic spelling of a Latin letter's name (دي، كي، إكس) without a dot."""
    return _normalise(word) in _AR_LETTER_NAMES


def is_starter(word: str) -> bool:
    """True if ``word`` is one that typically opens an English sentence."""
    return word in _EN_STARTERS or word.split("'")[0] in _EN_STARTERS


def is_enumerator(word: str, before: str) -> bool:
    """True for a list number like ``1.`` or ``IV.`` at the very start of a sentence."""
    if before.strip().strip(OPENERS):
        return False
    w = _normalise(word)
    return (w.isdigit() and len(w) <= 3) or w in _ROMAN


def is_speech_verb(word: str) -> bool:
    """True for an Arabic verb of saying (قال، تساءل...), diacritics and tatweel ignored."""
    return _normalise(word) in _AR_SPEECH_VERBS
