"""Small checks that need no calibration: empty output, left-over script, loops, quotes,
and a low model score."""

from __future__ import annotations

import re

from wordfreq import zipf_frequency

from ..document import Issue
from ..text.fold import clitic_stems, fold_letters
from ..text.script import is_arabic_char
from .base import WARNING, Check, Context
from .names import zipf_frequency as cached_zipf
from .quoting import quoted_spans


class EmptyCheck(Check):
    """A source with words whose translation has none."""

    id = "empty"

    def check(self, source: str, translation: str, context: Context) -> list[Issue]:
        if any(ch.isalnum() for ch in source) and not any(ch.isalnum() for ch in translation):
            return [
                self.issue(
                    context,
                    "the translation is empty",
                    source=source,
                    source_span=(0, len(source)),
                    plain="This sentence has no translation.",
                )
            ]
        return []


_ARABIC_LETTERS = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
# One run per passage: words joined by spaces, joiners or a hashtag's underscores.
_ARABIC_RUN = re.compile(f"[{_ARABIC_LETTERS}]+(?:[\\s\u200c\u200d_]+[{_ARABIC_LETTERS}]+)*")
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
# Latin words, accented letters included (Taínos, Bartolomé), and runs of them.
_LATIN_WORD = re.compile(f"[{_LATIN}][{_LATIN}'’-]*")
_LATIN_RUN = re.compile(f"[{_LATIN}][{_LATIN}'’-]*(?:[ ]+[{_LATIN}][{_LATIN}'’-]*)*")
#: An English word this common (wordfreq Zipf) left in Arabic is English, not a name or a
#: foreign term: "the" 7.7, "people" 6.1, "harbour" 4.0; "cella", "safina" are below 2.
EN_WORD_ZIPF = 3.0
# A passage the source quotes or puts in brackets: a foreign phrase it cites ("cella",
# "(Tratado de las Indias)", "(also known as elk)") may stay in Latin letters.
_CITED = re.compile(r"\([^()]{0,200}\)|[\"“”«»‘’'][^\"“”«»]{0,200}[\"“”«»‘’']")


class UntranslatedCheck(Check):
    """Source-language text left in the translation.

    Into English: any Arabic letter is an error. Into Arabic: lower-case Latin words that are
    common English words (names, acronyms and foreign terms are capitalised or rare, and
    may stay in Latin), unless the source itself quotes or brackets them. Two such words in
    a row are English left over (error); a single one may be a loanword (warning).
    """

    id = "untranslated"

    def check(self, source: str, translation: str, context: Context) -> list[Issue]:
        if context.target_lang != "ar":
            return [
                self.issue(
                    context,
                    f"Arabic text left in the translation: {m.group(0)!r}",
                    translation=translation,
                    target_span=m.span(),
                    plain=f"Arabic was left untranslated: {m.group(0)}",
                )
                for m in _ARABIC_RUN.finditer(translation)
                if any(is_arabic_char(ch) for ch in m.group(0))
            ]
        cited = {w.lower() for c in _CITED.finditer(source) for w in _LATIN_WORD.findall(c[0])}
        issues: list[Issue] = []
        for run in _LATIN_RUN.finditer(translation):
            words = list(_LATIN_WORD.finditer(run.group()))
            english = [
                m
                for k, m in enumerate(words)
                if m.group().islower()
                and len(m.group()) > 2
                and m.group() not in cited
                and not _inside_name(words, k)
                and zipf_frequency(m.group(), "en") >= EN_WORD_ZIPF
            ]
            if not english:
                continue
            start, end = run.start() + english[0].start(), run.start() + english[-1].end()
            text = translation[start:end]
            issues.append(
                self.issue(
                    context,
                    f"English {'text' if len(english) > 1 else 'word'} left in the "
                    f"translation: {text!r}",
                    translation=translation,
                    target_span=(start, end),
                    severity=None if len(english) > 1 else WARNING,
                    plain=f"English was left untranslated: {text}",
                )
            )
        return issues


def _inside_name(words: list[re.Match[str]], k: int) -> bool:
    """A lower-case word between two capitalised ones is part of a name (Bartolomé de las
    Casas, Bed Bath and Beyond)."""
    before = any(w.group()[:1].isupper() for w in words[:k])
    after = any(w.group()[:1].isupper() for w in words[k + 1 :])
    return before and after


_WORD = re.compile(r"\w+(?:['’]\w+)*")


class RepetitionCheck(Check):
    """Decoder loops: a phrase said again right after itself, or one word three times.

    A loop the source has too is an echo, not a decoder fault: a word repeated for emphasis
    ("الرؤية، رؤية" -> "a vision, a vision"), a name followed by the same name in brackets.
    A repetition in the translation is not reported when the source repeats a phrase (clitics
    and the article aside; right after itself or a word or two later) as many times, of at
    least a third of its length in words; a single word may come once more than in the
    source ("no, no" -> "لا، لا، لا يمكنك": لا is also "not").
    """

    id = "repetition"
    max_ngram = 8

    def check(self, source: str, translation: str, context: Context) -> list[Issue]:
        # Arabic diacritics are not \w: read words on a copy without them (same length).
        bare = _HARAKAT.sub("\u0640", translation)
        words = [(m.group(0).lower(), m.start(), m.end()) for m in _WORD_TATWEEL.finditer(bare)]
        tokens = [w.replace("\u0640", "") for w, _, _ in words]
        source_tokens = _comparable(source, context.source_lang)
        source_words = set(source_tokens)
        echoes = _repeats(source_tokens, self.max_ngram)
        i = 0
        issues: list[Issue] = []
        while i < len(tokens):
            found = self._loop_at(tokens, i, source_words)
            if found and _across_sentences(translation, words, i, found[0]):
                found = None  # "... the guru. The guru is": a sentence picks up the last one
            if found and _idiom(tokens, i, found):
                found = None  # "over and over", "more and more likely"
            if found and _echoed(_less_negation(translation, words, i, found), echoes):
                i += found[0] * found[1]
            elif found:
                n, times = found
                span = (words[i][1], words[i + n * times - 1][2])
                phrase = " ".join(tokens[i : i + n])
                issues.append(
                    self.issue(
                        context,
                        f"{phrase!r} repeated {times} times in a row",
                        translation=translation,
                        target_span=span,
                        plain=f"“{phrase}” comes {times} times in a row: the model may have "
                        "got stuck.",
                    )
                )
                i += n * times
            else:
                i += 1
        return issues

    def _loop_at(self, tokens: list[str], i: int, source_words: set[str]) -> tuple[int, int] | None:
        for n in range(1, self.max_ngram + 1):
            gram = tokens[i : i + n]
            if len(gram) < n:
                break
            times = 1
            while tokens[i + times * n : i + (times + 1) * n] == gram:
                times += 1
            # One word twice is English ("had had", "very very"); a digit run is a list.
            needed = 3 if n == 1 else 2
            if times >= needed and not (n == 1 and gram[0].isdigit()):
                if n == 1 and gram[0] in source_words:
                    continue  # the source repeats it too ("Bora Bora")
                return n, times
        return None


# A dash between spaces sets off an aside: "the hardware we buy -- we buy it for the system".
_SENTENCE_MARK = re.compile(r"[.!?؟:;()]|\s(?:--|—|–)\s")
_HARAKAT = re.compile("[\u064b-\u0652\u0670]")
_WORD_TATWEEL = re.compile(r"[\w\u0640]+(?:['’][\w\u0640]+)*")
_AND = frozenset({"and", "or", "و", "أو"})


def _across_sentences(text: str, words: list[tuple[str, int, int]], i: int, n: int) -> bool:
    """The second time the phrase comes is after the end of a sentence, across a bracket
    ("Lake Onega (Onega)", "the colder it is), it is necessary") or a dash."""
    return bool(_SENTENCE_MARK.search(text, words[i + n - 1][2], words[i + n][1]))


# Arabic لا is both "no" and the "not" of the verb after it: in "لا، لا، لا يمكنك" ("no, no,
# you can't") the last one belongs to the verb.
_NEGATIONS = frozenset({"لا"})


def _less_negation(
    text: str, words: list[tuple[str, int, int]], i: int, loop: tuple[int, int]
) -> tuple[int, int]:
    """The loop without its last word when that word is لا negating the word right after
    it (no punctuation between): "no, no" echoed as "لا، لا، لا يمكنك" is said twice."""
    n, times = loop
    last, after = i + n * times - 1, i + n * times
    if n != 1 or words[i][0] not in _NEGATIONS or after >= len(words):
        return loop
    gap = text[words[last][2] : words[after][1]]
    return (n, times - 1) if gap.strip() == "" else loop


def _idiom(tokens: list[str], i: int, loop: tuple[int, int]) -> bool:
    """ "X and X" said once ("over and over, and", "and more and more likely"), not three
    times ("grew and grew and grew")."""
    gram = tokens[i : i + 2]
    after = tokens[i + 4] if i + 4 < len(tokens) else ""
    return loop == (2, 2) and bool(_AND.intersection(gram)) and after not in gram


def _comparable(text: str, lang: str) -> list[str]:
    """The words of ``text``, lower case; Arabic words without their article and clitics
    (الرؤية، رؤية are the same word said twice)."""
    words = [m.group(0).lower() for m in _WORD.finditer(text)]
    if lang != "ar":
        return words
    return [_unsuffixed(min(clitic_stems(fold_letters(w), min_stem=2), key=len)) for w in words]


# Possessive pronouns (ours, theirs, hers), on folded letters: "والمجتمعات، مجتمعاتنا" is one
# word said twice ("communities, our communities"). Not ه or ي alone: ه is also a folded ة.
_PRONOUN_SUFFIXES = ("هما", "هم", "ها", "هن", "كم", "نا")


def _unsuffixed(word: str) -> str:
    for suffix in _PRONOUN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _repeats(tokens: list[str], max_ngram: int) -> list[tuple[int, int]]:
    """Each phrase of up to ``max_ngram`` words said again right after itself: (words, times)."""
    found = []
    for n in range(1, max_ngram + 1):
        i = 0
        while i < len(tokens) - 2 * n + 1:
            gram = tokens[i : i + n]
            if gram == tokens[i + n : i + 2 * n] and not gram[0].isdigit():
                times = 2
                while tokens[i + times * n : i + (times + 1) * n] == gram:
                    times += 1
                found.append((n, times))
                i += times * n  # past the run: a long one is read once, not once a word
                continue
            if n > 1 and (
                any(gram == tokens[i + n + g : i + 2 * n + g] for g in (1, 2))
                or (gram == tokens[i + n + 3 : i + 2 * n + 3] and _content(gram))
            ):
                # Said again a word or two later: "الخروج من المحادثة، أخرج من المحادثة";
                # three when no word of it is a function word ("a hologram appear, a very
                # realistic hologram appear", which Arabic says "صورة طيفية، صورة طيفية في
                # غاية الواقعية").
                found.append((n, 2))
            i += 1
    return found


#: Function words (of, the, في, من) are more common than this (wordfreq Zipf).
_FUNCTION_ZIPF = 6.0


def _content(gram: list[str]) -> bool:
    return all(max(cached_zipf(w, "en"), cached_zipf(w, "ar")) < _FUNCTION_ZIPF for w in gram)


def _echoed(loop: tuple[int, int], echoes: list[tuple[int, int]]) -> bool:
    """The source has this loop too: as many repeats (one fewer for a single word) of a
    phrase at least a third as long (a word of one language is one to three of the other)."""
    n, times = loop
    return any(t >= times - (n == 1) and n <= 3 * k for k, t in echoes)


_LONG_QUOTE_WORDS = 5
_ANY_MARK = re.compile('["“”«»„]')
# A name in English: three or more capitalised words, "of", "the", "and" or a dash between
# them (East Bay Community Law Center, White Sea–Baltic Canal), not after a sentence's end.
_TITLE_RUN = re.compile(
    r"(?<![.!?]\s)(?<!^)\b[A-Z][\w'’]*(?:(?:\s+(?:of|the|and|for|de|al)|\s*[-–])?\s+[A-Z][\w'’]*){2,}"
)


class QuotesCheck(Check):
    """The translation has lost a quotation of five words or more (someone's words): fewer
    quoted passages, and fewer quotation marks than two per quotation.

    Shorter quoted spans are names and titles, which Arabic quotes and English rightly does
    not: they are the names check's candidates, not quotations. So are longer ones that the
    English writes as a name («مركز إيست باي القانوني المجتمعي», East Bay Community Law
    Center). A quotation opened and never closed is malformed, not lost (judged: the three
    such warnings were false). Whether
    marks were dropped on purpose cannot be told from the text, so this is always a warning.
    """

    id = "quotes"
    severity = WARNING

    def check(self, source: str, translation: str, context: Context) -> list[Issue]:
        src = [s for s in quoted_spans(source) if _words(source, s) >= _LONG_QUOTE_WORDS]
        if context.source_lang == "en":
            src = [s for s in src if not _TITLE_RUN.fullmatch(source[s[0] + 1 : s[1] - 1])]
        if not src:
            return []
        if len(_ANY_MARK.findall(translation)) >= 2 * len(src):
            return []  # as many marks kept, perhaps of mixed styles: not lost
        tgt = quoted_spans(translation)
        named = len(_TITLE_RUN.findall(translation)) if context.target_lang == "en" else 0
        if len(tgt) + _unclosed(translation, tgt) + named >= len(src):
            return []
        longest = max(src, key=lambda s: s[1] - s[0])
        return [
            self.issue(
                context,
                f"{len(src)} quotation(s) of {_LONG_QUOTE_WORDS}+ words in the source, "
                f"{len(tgt)} in the translation",
                source=source,
                source_span=longest,
                plain=f"The {context.source_name} quotes someone; the translation has lost "
                "the quotation marks, or the quotation.",
            )
        ]


_OPENING = re.compile(r'[“«„]|(?:^|(?<=[\s:,(\[]))"')


def _unclosed(text: str, spans: list[tuple[int, int]]) -> int:
    """Opening marks outside the quoted spans: a quotation opened and never closed, as MT
    output often ends one (a malformed quotation, not a lost one)."""
    rest = "".join(
        text[a:b]
        for a, b in zip(
            [0] + [e for _, e in spans], [s for s, _ in spans] + [len(text)], strict=True
        )
    )
    return len(_OPENING.findall(rest))


def _words(text: str, span: tuple[int, int]) -> int:
    return len(text[span[0] : span[1]].split())


class ConfidenceCheck(Check):
    """The model's own score is low: worth a human look, never an error.

    The score is the engine's mean log-probability per output token; below
    ``threshold`` (default -1.5, about one token in 4.5 chosen against the model's doubt)
    the output is often a guess.
    """

    id = "confidence"
    severity = WARNING

    def __init__(self, threshold: float = -1.5) -> None:
        self.threshold = threshold

    def check(self, source: str, translation: str, context: Context) -> list[Issue]:
        if context.score is None or context.score >= self.threshold:
            return []
        return [
            self.issue(
                context,
                f"low model confidence ({context.score:.2f} < {self.threshold})",
                source=source,
                translation=translation,
                plain="The model was unsure of this sentence: read it closely.",
                source_span=(0, len(source)),
                target_span=(0, len(translation)),
            )
        ]
