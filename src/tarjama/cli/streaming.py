"""`tarjama translate --stream`: a plain-text translation shown as it is made.

stdout stays the checked translation: each paragraph is written, in order, once all its
sentences are translated and checked (the bytes are those of the run without
``--stream``). A terminal on stderr shows the sentence an LLM is writing, on one line
rewritten in place and cleared before a paragraph is written; a stderr that is not a
terminal (a log, a pipe) gets no drafts: stdout arriving paragraph by paragraph is the
progress there.
"""

from __future__ import annotations

import shutil
import sys
from typing import TextIO

from ..document import TranslatedDocument
from ..pipeline.stream import Draft, Event


class StreamOut:
    """Writes the paragraphs of ``doc`` (split, being streamed) to ``out`` as they are
    done (``on_event``) and drafts to ``err`` when it is a terminal; :meth:`finish` writes
    what is left. With ``out`` None (``--output FILE``) only the drafts are shown."""

    def __init__(self, doc: TranslatedDocument, out: TextIO | None, err: TextIO) -> None:
        self.doc, self.out, self.err = doc, out, err
        self.drafts = err.isatty()
        self.done: set[int] = set()
        self.next = 0
        self.written = ""
        self._shown = False

    def on_event(self, event: Event) -> None:
        if isinstance(event, Draft):
            if self.drafts:
                self._show(f"… {event.paragraph + 1}.{event.segment + 1} {event.text}")
            return
        if event.paragraph_done:
            self.done.add(event.paragraph.index)
            self._flush(final=False)

    def finish(self) -> None:
        self._flush(final=True)
        if self.out is not None and self.written and not self.written.endswith("\n"):
            self._write("\n")

    def _flush(self, *, final: bool) -> None:
        doc = self.doc
        paragraphs = doc.paragraphs
        while self.next < len(paragraphs):
            para = paragraphs[self.next]
            if not (final or para.index in self.done or not para.segments):
                return
            self._write((doc.prefix if self.next == 0 else "") + para.translation + para.separator)
            self.next += 1
        if final and not paragraphs:
            self._write(doc.prefix)

    def _write(self, text: str) -> None:
        self._clear()
        if self.out is not None and text:
            self.out.write(text)
            self.out.flush()
        self.written += text[-1:] if text else ""

    def _show(self, line: str) -> None:
        width = max(shutil.get_terminal_size().columns - 1, 20)
        flat = " ".join(line.split())
        if len(flat) > width:  # the end of the draft: what is being written now
            flat = "…" + flat[-(width - 1) :]
        self.err.write("\r\x1b[K" + flat)
        self.err.flush()
        self._shown = True

    def _clear(self) -> None:
        if self._shown:
            self.err.write("\r\x1b[K")
            self.err.flush()
            self._shown = False


def stream_out(doc: TranslatedDocument, to_stdout: bool) -> StreamOut:
    """How ``doc`` (split, to be streamed) is shown on the standard streams."""
    return StreamOut(doc, sys.stdout if to_stdout else None, sys.stderr)
