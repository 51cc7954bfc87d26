"""A document translated as a stream: what the pipeline tells a face while it works.

:meth:`Translator.stream_document <tarjama.pipeline.Translator.stream_document>` is
:meth:`~tarjama.pipeline.Translator.translate_document` that also tells ``on_event``:

- :class:`Draft`: a segment's translation so far, as an LLM writes it (the engine's raw
  answer, unchecked, before the stages mend it; a later draft replaces it, and an answer
  asked again starts over). Engines that do not draft (an NMT model) give none.
- :class:`Final`: a unit (a segment, or the segments one memory match fills) translated,
  mended and checked: what the finished document will say of it. Units come in the order
  they are ready, not the document's; ``paragraph_done`` marks the unit that completes its
  paragraph.

Its result is the document ``translate_document`` gives (the same engine calls, the same
checks, each unit checked once). The engine is called in a helper thread, told through a
:class:`QueueProgress`, and everything else (the stages, the checks, ``on_event``) runs in
the calling thread, which drains the queue: the memory's connection and the face's output
stay in the thread that owns them.
"""

from __future__ import annotations

import contextvars
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ..document import Paragraph, Segment, TranslatedDocument
from ..engines import Hypothesis
from ..errors import Stopped
from ..fidelity import Glossary, NameMatcher, check_unit, default_checks


@dataclass(frozen=True)
class Draft:
    """Segment ``segment`` of paragraph ``paragraph`` so far (``text``: the whole draft)."""

    paragraph: int
    segment: int
    text: str


@dataclass(frozen=True)
class Final:
    """A unit translated and checked (its segments carry their translation, origin and
    issues); ``paragraph_done``: its paragraph is complete with it."""

    segments: tuple[Segment, ...]
    paragraph: Paragraph
    paragraph_done: bool


Event = Draft | Final
OnEvent = Callable[[Event], None]


class SegmentWatch:
    """What :meth:`Translator.translate_segments` tells while it fills segments: drafts of
    the segments the engine writes, and every segment once filled (by a stage or the
    engine). This one checks each unit of ``doc`` once its segments are filled and tells
    ``on_event``."""

    def __init__(
        self,
        doc: TranslatedDocument,
        on_event: OnEvent,
        *,
        glossary: Glossary | None,
        names: NameMatcher | None,
    ) -> None:
        self.doc, self.on_event = doc, on_event
        self.glossary, self.names = glossary, names
        self.checks = default_checks()
        self._filled: set[int] = set()
        self._checked: set[int] = set()
        self._paragraphs = {p.index: p for p in doc.paragraphs}

    def draft(self, segment: Segment, text: str) -> None:
        self.on_event(Draft(segment.paragraph, segment.index, text))

    def filled(self, segments: Sequence[Segment]) -> None:
        self._filled.update(id(s) for s in segments)
        for index in dict.fromkeys(s.paragraph for s in segments):
            self._check(self._paragraphs[index])

    def _check(self, paragraph: Paragraph) -> None:
        for unit in paragraph.units():
            if id(unit[0]) in self._checked or any(id(s) not in self._filled for s in unit):
                continue
            self._checked.add(id(unit[0]))
            check_unit(unit, self.doc, glossary=self.glossary, names=self.names,
                       checks=self.checks)  # fmt: skip
            done = all(id(s) in self._filled for s in paragraph.segments) and all(
                id(u[0]) in self._checked for u in paragraph.units()
            )
            self.on_event(Final(tuple(unit), paragraph, done))


class TextWatch(Protocol):
    """What :meth:`Translator.translate_units` tells of the texts it translates: a text's
    draft (its pieces' drafts joined) and its hypothesis once final (joined and rendered,
    what the call returns for it). Called in the calling thread."""

    def draft(self, text: str, draft: str) -> None: ...

    def final(self, text: str, hypothesis: Hypothesis) -> None: ...


class QueueProgress:
    """The engine's :class:`~tarjama.engines.Progress`: what it tells, queued for the
    calling thread; once :meth:`stop` is called, telling raises :class:`Stopped`."""

    def __init__(self) -> None:
        self.events: queue.SimpleQueue[tuple[str, int, Any] | None] = queue.SimpleQueue()
        self.stopped: str | None = None

    def draft(self, k: int, text: str) -> None:
        self._put(("draft", k, text))

    def final(self, k: int, hypothesis: Hypothesis) -> None:
        self._put(("final", k, hypothesis))

    def stop(self, reason: str) -> None:
        self.stopped = reason

    def _put(self, item: tuple[str, int, Any]) -> None:
        if self.stopped is not None:
            raise Stopped(self.stopped)
        self.events.put(item)


def drained(
    call: Callable[[QueueProgress], list[Hypothesis]],
    handle: Callable[[str, int, Any], None],
) -> list[Hypothesis]:
    """``call(progress)`` in a helper thread (in a copy of this thread's context: a server
    job's token goes with it), each thing it tells handled here as it comes. If handling
    fails, the engine is stopped (its next word raises), awaited, and the failure raised."""
    progress = QueueProgress()
    result: list[list[Hypothesis]] = []
    failure: list[BaseException] = []
    context = contextvars.copy_context()

    def run() -> None:
        try:
            result.append(context.run(call, progress))
        except BaseException as exc:  # handed to the calling thread, which raises it
            failure.append(exc)
        finally:
            progress.events.put(None)

    thread = threading.Thread(target=run, name="tarjama-stream", daemon=True)
    thread.start()
    try:
        while (item := progress.events.get()) is not None:
            handle(*item)
    except BaseException:
        progress.stop("the stream's reader failed")
        while progress.events.get() is not None:
            pass
        thread.join()
        raise
    thread.join()
    if failure:
        raise failure[0]
    return result[0]
