"""Checks that compare named things: glossary terms and proper names."""

from __future__ import annotations

from ..document import Issue
from .base import WARNING, Check, Context
from .glossary import contains
from .names import rare_name


class GlossaryCheck(Check):
    """A glossary term in the source whose glossary translation is not in the target."""

    id = "glossary"

    def check(self, source: str, translation: str, context: Context) -> list[Issue]:
        if context.glossary is None:
            return []
        issues = []
        for m in context.glossary.find(source, context.source_lang):
            wanted = m.term.text(context.target_lang)
            if wanted and not contains(translation, wanted, context.target_lang):
                issues.append(
                    self.issue(
                        context,
                        f"glossary: {m.text!r} should be translated as {wanted!r}",
                        source=source,
                        source_span=(m.start, m.end),
                        plain=f"The glossary says {m.text} is “{wanted}” here.",
                    )
                )
        return issues


class NamesCheck(Check):
    """A proper name on one side with no counterpart on the other.

    Reported when both sides have a name the other lacks (a name garbled or swapped), or
    alone when the name follows a title or the gazetteer knows its spelling.

    Matching names across scripts is a heuristic (see :mod:`tarjama.names`), so a finding is
    a warning; a name the glossary fixes is checked, as an error, by the glossary check.
    """

    id = "names"
    severity = WARNING

    def check(self, source: str, translation: str, context: Context) -> list[Issue]:
        matcher = context.names
        if matcher is None or {context.source_lang, context.target_lang} != {"ar", "en"}:
            return []
        arabic, english = (
            (source, translation) if context.source_lang == "ar" else (translation, source)
        )
        lost_ar, lost_en = matcher.unmatched(arabic, english)
        if context.source_lang == "en":
            # A known name misspelt in an English source (Novemeber) and right in the
            # Arabic translation is the source's fault, not the translation's.
            lost_ar = [n for n in lost_ar if not n.expected]
        if not (lost_ar and lost_en):
            # A name on one side only is most often a word translated rather than spelt
            # (Thais, Hussars) or a name the transliterator spells too loosely: alone, only
            # an Arabic name after a title or known to the gazetteer, or an English word
            # rare enough to be nothing but a name (Al-Otaibi, Jizan), is reported.
            lost_ar = [n for n in lost_ar if n.titled or n.expected]
            lost_en = [n for n in lost_en if rare_name(n.text)]
        issues = []
        for name, lost_in in [(n, "English") for n in lost_ar] + [(n, "Arabic") for n in lost_en]:
            on_source = (lost_in == "English") == (context.source_lang == "ar")
            span = (name.start, name.end)
            plain = (
                f"The name {name.text} does not seem to be in the translation."
                if on_source
                else f"The name {name.text} does not seem to be in the {context.source_name}."
            )
            message = f"name {name.text!r} has no counterpart in the {lost_in} text"
            if name.expected:
                message = f"name {name.text!r} is written {name.expected!r} in {lost_in}"
                plain = f"The name {name.text} is usually written “{name.expected}” in {lost_in}."
            issues.append(
                self.issue(
                    context,
                    message,
                    source=source,
                    translation=translation,
                    source_span=span if on_source else None,
                    target_span=None if on_source else span,
                    plain=plain,
                )
            )
        return issues
