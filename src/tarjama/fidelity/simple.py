"""Small checks that need no calibration: empty output, left-over script, loops, quotes,
and a low model score."""

from __future__ import annotations

import re

from ..document import Issue
from ..text.script import is_arabic_char
from .base import WARNING, Check, Context


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


_ARABIC_RUN = re.compile(
    "[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]+"
    "(?:[\\s\u200c\u200d]+[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]+)*"
)
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


class UntranslatedCheck(Check):
    """Source-language script left in the translation.

    Into English: any Arabic letter is an error. Into Arabic: a lower-case Latin word of three
    letters or more (names and acronyms are capitalised, and those may stay in Latin).
    """

    id = "untranslated"

    def check(self, source: str, translation: str, context: Context) -> list[Issue]:
        issues: list[Issue] = []
        if context.target_lang != "ar":
            for m in _ARABIC_RUN.finditer(translation):
                if any(is_arabic_char(ch) for ch in m.group(0)):
                    issues.append(
                        self.issue(
                            context,
                            f"Arabic text left in the translation: {m.group(0)!r}",
                            translation=translation,
                            target_span=m.span(),
                            plain=f"Arabic was left untranslated: {m.group(0)}",
                        )
                    )
            return issues
        for m in _LATIN_WORD.finditer(translation):
            word = m.group(0)
            if word.islower() and len(word) > 2:
                issues.append(
                    self.issue(
                        context,
                        f"English word left in the translation: {word!r}",
                        translation=translation,
                        target_span=m.span(),
                        plain=f"An English word was left untranslated: {word}",
                    )
                )
        return issues


_WORD = re.compile(r"\w+(?:['’]\w+)*")


class RepetitionCheck(Check):
    """Decoder loops: a phrase said again right after itself, or one word three times."""

    id = "repetition"
    max_ngram = 8

    def check(self, source: str, translation: str, context: Context) -> list[Issue]:
        words = [(m.group(0).lower(), m.start(), m.end()) for m in _WORD.finditer(translation)]
        tokens = [w for w, _, _ in words]
        source_words = {m.group(0).lower() for m in _WORD.finditer(source)}
        i = 0
        issues: list[Issue] = []
        while i < len(tokens):
            found = self._loop_at(tokens, i, source_words)
            if found:
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


# Opening and closing marks of quoted spans in either language.
_QUOTE_PAIRS = (("«", "»"), ("“", "”"), ("„", "“"))
_LONG_QUOTE_WORDS = 5
_MARKS = re.compile('["“”«»„]')


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the quoted passages in ``text`` (the marks included)."""
    spans: list[tuple[int, int]] = []
    for opening, closing in _QUOTE_PAIRS:
        spans += [m.span() for m in re.finditer(f"{opening}[^{opening}{closing}]*{closing}", text)]
    spans += [m.span() for m in re.finditer(r'"[^"]*"', text)]
    return sorted(spans)


class QuotesCheck(Check):
    """The translation has fewer quoted passages than the source.

    Losing a quotation of five words or more (someone's words: titles and names are shorter)
    with no quotation mark left in the translation is an error; otherwise a warning, since
    translators often drop the marks around names and titles on purpose.
    """

    id = "quotes"

    def check(self, source: str, translation: str, context: Context) -> list[Issue]:
        src = quoted_spans(source)
        tgt = quoted_spans(translation)
        if len(tgt) >= len(src):
            return []
        longest = max(src, key=lambda s: s[1] - s[0])
        long_quote = len(source[longest[0] : longest[1]].split()) >= _LONG_QUOTE_WORDS
        lost = sum(1 for s in src if len(source[s[0] : s[1]].split()) >= _LONG_QUOTE_WORDS)
        kept = sum(1 for s in tgt if len(translation[s[0] : s[1]].split()) >= _LONG_QUOTE_WORDS)
        error = long_quote and kept < lost and not _MARKS.search(translation)
        return [
            self.issue(
                context,
                f"{len(src)} quoted passage(s) in the source, {len(tgt)} in the translation",
                source=source,
                source_span=longest,
                severity=None if error else WARNING,
                plain=f"The {context.source_name} quotes someone; the translation has lost "
                "the quotation marks, or the quotation.",
            )
        ]


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
