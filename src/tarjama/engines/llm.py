"""What every LLM engine shares, whatever runs the model (a server: :mod:`.openai`; CTranslate2's
``Generator`` in-process: :mod:`.generator`): how a batch is cut into requests of consecutive
sentences with their context (:class:`Chunks`), how long an answer may be
(:func:`answer_cap`), and how the answers map back to sentences, asked again once when they
do not (:func:`answered`). The prompt itself is :mod:`.prompts`'.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..errors import EngineError
from .base import Hints, Hypothesis, Progress
from .prompts import NUMBERED, parse_lines

#: A partial answer that may still become a line's number ("1", "1.").
NUMBER_SO_FAR = re.compile(r"\s*\d{0,4}\s*[.):]?\s*")


def chunked(
    texts: list[str], hints: dict[str, Hints | None], size: int, before: int = 2
) -> tuple[list[list[str]], list[list[str]]]:
    """The requests of a batch: runs of texts of one paragraph (by their hints) cut into
    at most ``size`` lines, each with its context: the paragraph before it for a
    paragraph's first chunk (when the pipeline gave it), else the ``before`` texts
    before it."""
    chunks: list[list[str]] = []
    contexts: list[list[str]] = []
    start = 0
    for k, text in enumerate(texts):
        hint = hints.get(text)
        key = hint.paragraph if hint else -1
        prior = hints.get(texts[k - 1]) if k else None
        new_run = k == 0 or key != (prior.paragraph if prior else -1)
        if new_run or k - start >= size:
            chunks.append([])
            given = hint.context if hint and new_run else ""
            contexts.append([given] if given else texts[max(0, k - before) : k] if before else [])
            start = k
        chunks[-1].append(text)
    return chunks, contexts


@dataclass(frozen=True)
class Chunks:
    """A batch cut into requests: the distinct non-blank texts, in chunks with contexts."""

    chunks: list[list[str]]
    contexts: list[list[str]]
    hinted: dict[str, Hints | None]

    @classmethod
    def of(
        cls,
        texts: Sequence[str],
        hints: Sequence[Hints | None] | None,
        size: int,
        before: int = 2,
    ) -> Chunks:
        hinted = dict(zip(texts, hints or [], strict=False))
        unique = list(dict.fromkeys(t for t in texts if t.strip()))
        chunks, contexts = chunked(unique, hinted, size, before)
        return cls(chunks, contexts, hinted)

    def hints(self, k: int) -> list[Hints | None]:
        return [self.hinted.get(t) for t in self.chunks[k]]

    def told(self, texts: Sequence[str], progress: Progress | None) -> Told:
        """How to tell ``progress`` about this plan's chunks (the blank texts, final at
        once, are told now)."""
        where: dict[str, list[int]] = {}
        for k, text in enumerate(texts):
            where.setdefault(text, []).append(k)
        told = Told(self, where, progress)
        if progress is not None:
            for k, text in enumerate(texts):
                if not text.strip():
                    progress.final(k, Hypothesis("", 0.0))
        return told

    def hypotheses(self, texts: Sequence[str], answers: Sequence[list[str]]) -> list[Hypothesis]:
        """One hypothesis per text of the batch from each chunk's lines (blank: empty)."""
        done: dict[str, str] = {}
        for chunk, lines in zip(self.chunks, answers, strict=True):
            done.update(zip(chunk, lines, strict=True))
        return [Hypothesis(done.get(t, ""), 0.0) for t in texts]


def answer_cap(source_tokens: Sequence[int]) -> int:
    """The most tokens an answer to lines of these lengths may take: three times the
    source with each line's number, and some room, so a loop cannot run on for long."""
    return 64 + 3 * sum(n + 4 for n in source_tokens)


def answered(
    ask: Callable[[list[int], int], list[str]],
    counts: Sequence[int],
    who: str,
    *,
    attempts: int = 2,
) -> list[list[str]]:
    """The numbered lines of each request ``k`` (``counts[k]`` of them): ``ask(ks, attempt)``
    gives the answers to the requests ``ks`` (attempt 0, 1, ...); those that do not map back
    are asked again, up to ``attempts`` times in all, then EngineError (which the guard
    answers with its fallback)."""
    found: dict[int, list[str]] = {}
    todo = list(range(len(counts)))
    for attempt in range(attempts):
        if not todo:
            break
        for k, answer in zip(todo, ask(todo, attempt), strict=True):
            lines = parse_lines(answer, counts[k])
            if lines is not None:
                found[k] = lines
        todo = [k for k in todo if k not in found]
    if todo:
        raise EngineError(f"{who} did not answer {counts[todo[0]]} numbered lines, twice")
    return [found[k] for k in range(len(counts))]


@dataclass(frozen=True)
class Told:
    """A batch's :class:`~.base.Progress` seen chunk by chunk: a chunk's lines stand for
    every text of the call equal to them (a batch asks each distinct text once)."""

    plan: Chunks
    where: dict[str, list[int]]
    progress: Progress | None

    def drafts(self, k: int) -> LineDrafts | None:
        """What chunk ``k``'s answer says line by line as it streams (None: nobody asks)."""
        if self.progress is None:
            return None
        progress, where, chunk = self.progress, self.where, self.plan.chunks[k]

        def tell(line: int, text: str) -> None:
            for at in where[chunk[line]]:
                progress.draft(at, text)

        return LineDrafts(len(chunk), tell)

    def final(self, k: int, lines: list[str]) -> None:
        """Chunk ``k``'s lines, mapped back: final for the texts they translate."""
        if self.progress is None:
            return
        for text, line in zip(self.plan.chunks[k], lines, strict=True):
            for at in self.where[text]:
                self.progress.final(at, Hypothesis(line, 0.0))


class LineDrafts:
    """What each numbered line of a streamed answer says so far, told to ``tell(line,
    text)`` whenever it changes (lines counted from 0). Provisional: nothing is checked,
    and an answer that does not map back is asked again, starting its drafts over."""

    def __init__(self, count: int, tell: Callable[[int, str], None]) -> None:
        self.count = count
        self.tell = tell
        self.answer = ""
        self._said: dict[int, str] = {}

    def restart(self) -> None:
        self.answer = ""
        self._said = {}

    def feed(self, piece: str) -> None:
        self.update(self.answer + piece)

    def update(self, answer: str) -> None:
        """The answer so far is ``answer``."""
        self.answer = answer
        now: dict[int, str] = {}
        for line in self.answer.split("\n"):
            found = NUMBERED.match(line)
            if found is not None and 1 <= int(found.group(1)) <= self.count:
                now[int(found.group(1)) - 1] = found.group(2).strip()
        if not now and self.count == 1 and not NUMBER_SO_FAR.fullmatch(self.answer):
            now[0] = " ".join(self.answer.split())  # a one-line answer may be unnumbered
        for k, text in now.items():
            if text and self._said.get(k) != text:
                self._said[k] = text
                self.tell(k, text)
