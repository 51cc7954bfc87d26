"""Sentence splitting for Arabic and English news text, linear in the input.

A sentence may end at a *run*: terminal marks (. ! ? ؟ …) mixed with the closing quotes and
brackets around them, e.g. ``.`` ``؟»`` ``».`` ``."``. Whether it does is decided from the
run itself, the word before it and the word after it (see docs/text.md for the rules):
abbreviations and initials, ellipses that continue, lower-case continuations and marks with
no space after them do not end a sentence. A newline always does.

The scanner only ever looks a bounded distance back or ahead of a run, and every regex is a
single character class repeated, so the work is linear whatever the input (1 MB without a
mark, 100k dots in a row).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._abbrev import (
    AbbrevKind,
    abbrev_kind,
    is_enumerator,
    is_letter_name,
    is_speech_verb,
    is_starter,
)
from ._chars import (
    CLOSERS,
    INNER_PUNCT,
    OPENERS,
    QUESTION_EXCLAMATION,
    TERMINALS,
    TRANSPARENT,
    class_body,
    is_arabic_letter,
    is_latin_letter,
)


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text and ``[start, end)`` offsets into the text that was split."""

    text: str
    start: int
    end: int


_LINE = re.compile(r"[^\n\r\u2028\u2029]+")
_RUN = re.compile(f"[{class_body(TERMINALS + CLOSERS + TRANSPARENT)}]+")
_TERMINAL = re.compile(f"[{class_body(TERMINALS)}]")
_SPACE = re.compile(f"[\\s{class_body(TRANSPARENT)}]*")
_CONTENT = re.compile(
    f"[^\\s{class_body(TERMINALS + CLOSERS + OPENERS + INNER_PUNCT + TRANSPARENT)}]"
)
_WORD = re.compile(r"\w+")
_DROP = str.maketrans("", "", TRANSPARENT)

#: How far back or ahead of a mark the splitter reads a word: abbreviations are short.
_REACH = 40


def split_sentences(text: str, lang: str = "ar") -> list[Sentence]:
    """Split one paragraph into sentences with ``[start, end)`` offsets into ``text``.

    ``text`` is taken as the user wrote it (bidi marks, Arabic-Indic digits, tatweel...).
    Each line is split on its own: a sentence never spans a newline. ``lang`` is ``"ar"``
    for Arabic rules; any other value gets the English (cased script) rules. Sentences are
    stripped of surrounding whitespace; text that holds nothing but whitespace or invisible
    marks gives no sentence.
    """
    arabic = lang.lower().startswith("ar")
    out: list[Sentence] = []
    for line in _LINE.finditer(text):
        _split_line(text, line.start(), line.end(), arabic, out)
    return out


def _split_line(text: str, lo: int, hi: int, arabic: bool, out: list[Sentence]) -> None:
    first_of_line = len(out)
    start = lo  # start of the sentence being built
    seen = lo  # text[start:seen] holds no content (letters, digits, symbols)
    has_content = False
    for run in _RUN.finditer(text, lo, hi):
        rs, rend = run.span()
        glued = rend < hi and not text[rend].isspace()
        if glued and not (arabic and is_arabic_letter(text[rend])):
            continue  # glued to what follows (4.8, U.S, a URL): only Arabic web text ends there
        terminal = _TERMINAL.search(text, rs, rend)
        if terminal is None:
            continue
        if not has_content:
            has_content = _CONTENT.search(text, seen, rs) is not None
            seen = rend
            if not has_content:
                continue  # a mark before any word ("... and so") ends nothing
        if _ends_sentence(text, rs, terminal.start(), rend, start, hi, arabic):
            _emit(text, start, rend, out, first_of_line)
            start = seen = rend
            has_content = False
    _emit(text, start, hi, out, first_of_line)


def _emit(text: str, start: int, end: int, out: list[Sentence], first_of_line: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    chunk = text[start:end]
    if not chunk.translate(_DROP).strip():
        return
    if _CONTENT.search(chunk) is None and len(out) > first_of_line:
        # Trailing marks with no words ("Done. ...") join the sentence before them.
        last = out.pop()
        out.append(Sentence(text[last.start : end], last.start, end))
        return
    out.append(Sentence(chunk, start, end))


def _ends_sentence(
    text: str, rs: int, t: int, rend: int, sent_start: int, hi: int, arabic: bool
) -> bool:
    """Decide whether the run ``text[rs:rend]`` (first terminal at ``t``) ends a sentence."""
    marks = text[t:rend].translate(_DROP)
    closed = marks[-1] in CLOSERS  # a quote or bracket closes right after the mark
    question = any(c in QUESTION_EXCLAMATION for c in marks)
    ellipsis = "…" in marks or ".." in marks
    before = text[rs - 1] if rs > sent_start else ""
    if before in "([":
        return False  # an aside mark: (!) (?) (...) [...]
    if rend >= hi:
        return True
    if not text[rend].isspace():
        return arabic and _glued_arabic_end(text, rs, rend, sent_start, hi, question, marks)
    j = _SPACE.match(text, rend, hi).end()  # type: ignore[union-attr]
    if j >= hi:
        return True
    k = j
    while k < hi and k < j + 4 and text[k] in OPENERS:
        k += 1
    opened = k > j
    word_m = _WORD.match(text, k, min(hi, k + _REACH))
    next_word = word_m.group() if word_m else ""
    lower_next = not arabic and k < hi and text[k].islower()

    if question:
        if lower_next:
            return False  # "Why?" he asked.
        return not (arabic and closed and is_speech_verb(next_word))
    if ellipsis:
        if arabic:
            return closed  # an Arabic ellipsis ends a sentence only when a quote closes it
        return not lower_next
    if any(c in CLOSERS for c in text[rs:t]):
        return not lower_next  # ")." or "».": a bracket or quote closed before the mark
    word, wstart = _word_before(text, rs, sent_start)
    if closed:
        # '."' ends the quotation and the sentence, unless Arabic text goes on after a
        # quoted Latin name ending in an abbreviation: "HK Management Inc." سبب...
        if arabic and word and is_latin_letter(word[-1:]):
            return abbrev_kind(word) is AbbrevKind.NONE
        return not lower_next
    if word is None:
        return not lower_next
    return _ends_after_word(text, word, wstart, sent_start, k, opened, next_word, lower_next)


def _ends_after_word(
    text: str,
    word: str,
    wstart: int,
    sent_start: int,
    k: int,
    opened: bool,
    next_word: str,
    lower_next: bool,
) -> bool:
    """A full stop right after ``word``: an abbreviation, an initial, a list number, or the
    end of a sentence (``k`` is where the next word starts)."""
    kind = abbrev_kind(word)
    # A letter name after an undotted one ends a spelled-out acronym (سي إن إن.), which
    # can end a sentence; دي. كي. أريا are initials.
    spelled = is_letter_name(word) and is_letter_name(_previous_word(text, wstart, sent_start))
    if kind is AbbrevKind.NEVER_ENDS and not spelled:
        return False
    if kind is AbbrevKind.MAY_END:
        # "U.S. officials" goes on, "in the U.S. The president" ends; initials likewise.
        # An Arabic word after a Latin abbreviation (من A إلى B. ثم) cannot continue it.
        if opened or (next_word and is_arabic_letter(next_word[0])):
            return True
        return is_starter(next_word) and not _is_initial_at(text, k, next_word)
    if wstart - sent_start <= 8 and is_enumerator(word, text[sent_start:wstart]):
        return False  # "1. The first point" is a list item, not a sentence "1."
    return not lower_next


def _word_before(text: str, rs: int, sent_start: int) -> tuple[str | None, int]:
    """The whitespace-delimited word ending at ``rs``; ``None`` if it is too long to matter."""
    i = rs
    lo = max(sent_start, rs - _REACH)
    while i > lo and not text[i - 1].isspace():
        i -= 1
    if i == lo and lo > sent_start and not text[lo - 1].isspace():
        return None, i
    return text[i:rs], i


def _previous_word(text: str, wstart: int, sent_start: int) -> str:
    """The word before the one starting at ``wstart`` (empty at the start of the sentence)."""
    i = wstart
    while i > sent_start and wstart - i < _REACH and text[i - 1].isspace():
        i -= 1
    word, _ = _word_before(text, i, sent_start)
    return word or ""


def _is_initial_at(text: str, k: int, word: str) -> bool:
    """``A.`` or ``J.`` after an initial is another initial, not the article ``A``."""
    end = k + len(word)
    return len(word) == 1 and end < len(text) and text[end] == "."


def _glued_arabic_end(
    text: str, rs: int, rend: int, sent_start: int, hi: int, question: bool, marks: str
) -> bool:
    """Arabic web text often drops the space: ``الأمر.وقال`` or ``لماذا؟قال``."""
    if not is_arabic_letter(text[rend]) or rs <= sent_start or not is_arabic_letter(text[rs - 1]):
        return False
    if question:
        return True
    if marks != ".":
        return False
    word, _ = _word_before(text, rs, sent_start)
    after = _WORD.match(text, rend, min(hi, rend + _REACH))
    return (
        word is not None
        and len(word) >= 2
        and abbrev_kind(word) is AbbrevKind.NONE
        and after is not None
        and len(after.group()) >= 2
        and abbrev_kind(after.group()) is AbbrevKind.NONE
    )
