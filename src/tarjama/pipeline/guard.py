"""The guard around an LLM engine: every answer goes through the fidelity checks' errors
(a number missing, a dropped sentence, Arabic left over, a loop, empty output) and the
LLM's own failures (a glossary term not written as required, a refusal or commentary such
as "Here is the translation:"). A text whose answer fails is asked again once; if it
fails again, the NMT model for the pair translates it, when one is installed, and its
hypothesis says so (origin ``llm→model``). A failed request (EngineError: the server
down, lines that never map back) falls back the same way.

Streamed (``progress=``, :class:`~tarjama.engines.Reporter`): the LLM's drafts pass
through as they come, and a text is told final only once its answer passed the checks,
or when its retry or the fallback has written it; a failing draft is replaced, never
taken back after it was called final.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Callable, Sequence
from typing import Any

from ..document import Signature
from ..engines import (
    BatchStore,
    Engine,
    Hints,
    Hypothesis,
    Progress,
    can_hint,
    can_report,
    can_store,
    count_tokens_many,
)
from ..errors import EngineError
from ..fidelity import ERROR, check_pair
from ..fidelity.length import OmissionCheck
from ..fidelity.numbers import NumbersCheck
from ..fidelity.simple import EmptyCheck, RepetitionCheck, UntranslatedCheck

FALLBACK = "llm→model"
RETRIED = "model+retry"
#: A segment an LLM post-edited (``--llm-post-edit``) whose edit passed the checks.
EDITED = "llm-edit"
_CHATTER = re.compile(
    r"^\W*(here is|here's|sure\b|certainly\b|of course\b|translation\s*:|i'm sorry|"
    r"i am sorry|i cannot|i can't|as an ai\b)|here is the translation",
    re.IGNORECASE,
)
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z .'-]*[A-Za-z]")


def commentary(answer: str) -> bool:
    """Whether an answer talks about translating (a preamble, a refusal) instead of being one."""
    return bool(_CHATTER.search(answer))


def glossary_miss(source: str, answer: str, hint: Hints | None) -> bool:
    """A required rendering not in the answer: the hinted terms, and the target terms the
    glossary stage wrote inline into an Arabic source (its Latin runs)."""
    wanted = [t for _, t in hint.terms] if hint else []
    if not source.isascii():
        wanted += _LATIN_RUN.findall(source)
    low = answer.casefold()
    return any(w.casefold() not in low for w in wanted if w.strip())


class Guard:
    """The checks one answer must pass (see the module's doc)."""

    def __init__(self, source: str, target: str) -> None:
        self.source, self.target = source, target
        self.checks = [
            EmptyCheck(),
            NumbersCheck(),
            UntranslatedCheck(),
            OmissionCheck(),
            RepetitionCheck(),
        ]

    def fails(self, text: str, answer: str, hint: Hints | None) -> bool:
        if not text.strip():
            return False
        if not answer.strip() or commentary(answer) or glossary_miss(text, answer, hint):
            return True
        issues = check_pair(
            text,
            answer,
            source_lang=self.source,
            target_lang=self.target,
            unit="segment",
            checks=self.checks,
        )
        return any(i.severity == ERROR for i in issues)


class Judged:
    """The guard's :class:`~tarjama.engines.Progress` over one call to the LLM, for the
    caller's ``progress``: the call's text ``n`` is the caller's ``ks[n]``; drafts pass
    through, and a final answer only once it passes the checks (``origin`` set on it)."""

    def __init__(
        self,
        progress: Progress,
        guard: Guard,
        texts: Sequence[str],
        hints: Sequence[Hints | None],
        ks: Sequence[int],
        origin: str = "",
    ) -> None:
        self.progress, self.guard = progress, guard
        self.texts, self.hints, self.ks, self.origin = texts, hints, list(ks), origin
        #: The caller's texts told final, with what they were told.
        self.told: dict[int, Hypothesis] = {}
        self._lock = threading.Lock()

    def draft(self, k: int, text: str) -> None:
        self.progress.draft(self.ks[k], text)

    def final(self, k: int, hypothesis: Hypothesis) -> None:
        at = self.ks[k]
        with self._lock:  # the LLM's threads tell at once; the checks are judged one by one
            if at in self.told or self.guard.fails(self.texts[at], hypothesis.text, self.hints[at]):
                return
            if self.origin:
                hypothesis = dataclasses.replace(hypothesis, origin=self.origin)
            self.told[at] = hypothesis
        self.progress.final(at, hypothesis)


class GuardedEngine:
    """An LLM engine behind the guard, with the pair's NMT model as the fallback
    (``fallback`` opens it the first time it is needed; None: there is none)."""

    def __init__(self, llm: Engine, fallback: Callable[[], Engine | None] | None = None) -> None:
        self.llm = llm
        self.name = llm.name
        self.pairs = llm.pairs
        self.max_input_tokens = llm.max_input_tokens
        self._open_fallback = fallback
        self._fallback: Engine | None = None
        self._lock = threading.Lock()
        self.retries = 0
        self.fallbacks = 0

    @property
    def hinted(self) -> bool:
        return can_hint(self.llm)

    @property
    def drafts(self) -> bool:
        return can_report(self.llm) and self.llm.drafts

    @property
    def signature(self) -> Signature:
        sig = self.llm.signature
        return dataclasses.replace(sig, decoding=(*sig.decoding, ("guard", 1)))

    def count_tokens(self, text: str, source: str) -> int:
        return self.llm.count_tokens(text, source)

    def fallback(self) -> Engine | None:
        with self._lock:
            if self._fallback is None and self._open_fallback is not None:
                self._fallback, self._open_fallback = self._open_fallback(), None
            return self._fallback

    def translate_batch(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        *,
        num_alternatives: int = 0,
        hints: Sequence[Hints | None] | None = None,
        progress: Progress | None = None,
    ) -> list[Hypothesis]:
        guard = Guard(source, target)
        hint = list(hints or []) + [None] * (len(texts) - len(hints or []))
        every = range(len(texts))
        first = Judged(progress, guard, texts, hint, every) if progress else None
        out = self._ask(list(texts), source, target, hint, first)
        if out is None:  # failed outright: what was already told final stands
            told = first.told if first else {}
            out = [told.get(k, Hypothesis("", 0.0)) for k in every]
            bad = [k for k in every if k not in told]
        else:
            bad = [k for k, t in enumerate(texts) if guard.fails(t, out[k].text, hint[k])]
        if progress is not None and not can_report(self.llm):  # final now, not after the retry
            for k in sorted(set(every) - set(bad)):
                progress.final(k, out[k])
        if bad:
            again_told = Judged(progress, guard, texts, hint, bad, RETRIED) if progress else None
            again = self._ask(
                [texts[k] for k in bad], source, target, [hint[k] for k in bad], again_told
            )
            with self._lock:
                self.retries += len(bad)
            still = []
            for n, k in enumerate(bad):
                if again is not None and not guard.fails(texts[k], again[n].text, hint[k]):
                    out[k] = dataclasses.replace(again[n], origin=RETRIED)
                elif again_told is not None and k in again_told.told:
                    out[k] = again_told.told[k]
                else:
                    still.append(k)
            self._fall_back(texts, source, target, out, still)
            if progress is not None:
                for k in still:
                    progress.final(k, out[k])
        return out

    def _ask(
        self,
        texts: list[str],
        source: str,
        target: str,
        hints: list[Hints | None],
        progress: Progress | None,
    ) -> list[Hypothesis] | None:
        options: dict[str, Any] = {}
        if can_hint(self.llm):
            options["hints"] = hints
        if progress is not None and can_report(self.llm):
            options["progress"] = progress
        try:
            return self.llm.translate_batch(texts, source, target, **options)
        except EngineError:
            return None

    def _fall_back(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        out: list[Hypothesis],
        still: list[int],
    ) -> None:
        """The NMT model's translations for the texts at ``still``; without one, the LLM's
        answers stay (the document's checks then flag them), or EngineError if it gave none."""
        model = self.fallback() if still else None
        if model is None or (source, target) not in model.pairs:
            if any(not out[k].text and texts[k].strip() for k in still):
                raise EngineError(f"LLM '{self.name}' failed and no model for the pair backs it")
            return
        done = model.translate_batch([texts[k] for k in still], source, target)
        with self._lock:
            self.fallbacks += len(still)
        for k, hyp in zip(still, done, strict=True):
            out[k] = dataclasses.replace(hyp, origin=FALLBACK)


class PostEditEngine:
    """``--llm-post-edit``: the NMT ``model`` translates, then the ``llm`` edits its drafts,
    reading the memory's matches and the glossary's terms as it does when it translates.
    The checks judge both: an edit is kept (origin ``llm-edit``) only when it passes them;
    otherwise, or when the LLM fails outright, the draft stays (origin ``model``). A pair
    the LLM does not translate is left as drafted."""

    def __init__(self, model: Engine, llm: Engine) -> None:
        self.model = model
        self.llm = llm
        self.name = model.name
        self.pairs = model.pairs
        self.max_input_tokens = model.max_input_tokens
        self.edits = 0
        self.kept = 0
        self._lock = threading.Lock()

    @property
    def hinted(self) -> bool:
        return True

    @property
    def signature(self) -> Signature:
        sig = self.model.signature
        edit = self.llm.signature
        return dataclasses.replace(
            sig, decoding=(*sig.decoding, ("post_edit", f"{edit.model}:{edit.model_id}"))
        )

    def count_tokens(self, text: str, source: str) -> int:
        return self.model.count_tokens(text, source)

    def count_tokens_many(self, texts: Sequence[str], source: str) -> list[int]:
        # The drafting model's (the server's coalescer counts a batch in one call).
        return count_tokens_many(self.model, texts, source)

    def with_batch_store(self, store: BatchStore | None) -> PostEditEngine:
        """The drafts kept in a batch job's store (a resumed job decodes them no more);
        the edits are asked again, at temperature 0."""
        if not can_store(self.model):
            return self
        return PostEditEngine(self.model.with_batch_store(store), self.llm)

    def translate_batch(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        *,
        num_alternatives: int = 0,
        hints: Sequence[Hints | None] | None = None,
    ) -> list[Hypothesis]:
        drafts = self.model.translate_batch(
            texts, source, target, num_alternatives=num_alternatives
        )
        if (source, target) not in self.llm.pairs:
            return drafts
        given = list(hints or []) + [None] * (len(texts) - len(hints or []))
        told = [
            dataclasses.replace(h or Hints(), draft=d.text)
            for h, d in zip(given, drafts, strict=True)
        ]
        try:
            if can_hint(self.llm):
                edits = self.llm.translate_batch(texts, source, target, hints=told)
            else:
                edits = self.llm.translate_batch(texts, source, target)
        except EngineError:
            return drafts
        guard = Guard(source, target)
        out = []
        for text, draft, edit, hint in zip(texts, drafts, edits, given, strict=True):
            good = bool(text.strip()) and not guard.fails(text, edit.text, hint)
            with self._lock:
                self.edits += good
                self.kept += not good and bool(text.strip())
            out.append(dataclasses.replace(edit, origin=EDITED) if good else draft)
        return out
