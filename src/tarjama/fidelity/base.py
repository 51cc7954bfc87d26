"""The base of every fidelity check, in the sacrebleu style.

A check is a small class: it names itself (``id``), says how grave its findings are
(``severity``) and fills one hook, :meth:`Check.check`, which compares a source text with its
translation and returns :class:`~tarjama.document.Issue` objects. Spans in an issue are
character offsets into the texts the check was given, so a report can point at them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from ..document import Issue
from .glossary import Glossary
from .names import NameMatcher

ERROR = "error"
WARNING = "warning"

_LANGUAGE_NAMES = {"ar": "Arabic", "en": "English"}


@dataclass(frozen=True)
class Context:
    """What a check may know beyond the two texts.

    ``unit`` is ``"segment"`` for one sentence translated by itself and ``"paragraph"`` for a
    whole paragraph; checks that count sentences only look at paragraphs.
    """

    source_lang: str = "ar"
    target_lang: str = "en"
    paragraph: int = 0
    segment: int | None = None
    unit: str = "paragraph"
    score: float | None = None
    glossary: Glossary | None = None
    names: NameMatcher | None = None

    @property
    def source_name(self) -> str:
        """The source language as an editor says it ("Arabic")."""
        return _LANGUAGE_NAMES.get(self.source_lang, self.source_lang)


class Check(ABC):
    """One fidelity check. Subclasses set ``id`` and ``severity`` and fill :meth:`check`."""

    id: ClassVar[str]
    severity: ClassVar[str] = ERROR

    @abstractmethod
    def check(self, source: str, translation: str, context: Context) -> list[Issue]:
        """Compare ``source`` with ``translation`` and return what is wrong."""

    def issue(
        self,
        context: Context,
        message: str,
        *,
        source: str = "",
        translation: str = "",
        source_span: tuple[int, int] | None = None,
        target_span: tuple[int, int] | None = None,
        severity: str | None = None,
        plain: str = "",
    ) -> Issue:
        """Build an issue for this check, quoting the spans it points at; ``plain`` says it
        in an editor's words."""
        return Issue(
            check=self.id,
            severity=severity or self.severity,
            message=message,
            paragraph=context.paragraph,
            segment=context.segment,
            source_span=source_span,
            target_span=target_span,
            source_text=source[source_span[0] : source_span[1]] if source_span else None,
            target_text=translation[target_span[0] : target_span[1]] if target_span else None,
            plain=plain,
        )
