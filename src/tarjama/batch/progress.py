"""The progress bar of a running job (rich, on stderr): documents, sentences per second,
the time left and how many failed.

Documents count when the journal has them, a pool at a time; sentences count as they
come out of the engine, a batch at a time, so the rate moves while a large pool is in
flight."""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from .summary import Summary
from .work import PoolResult


class RichProgress:
    """Job events shown as a bar; use as a context manager around the job."""

    def __init__(self, console: Console | None = None) -> None:
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("documents"),
            TextColumn("{task.fields[rate]:.1f} sentences/s"),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[failed]} failed"),
            console=console or Console(stderr=True),
        )
        self.task: TaskID | None = None
        self.sentences = 0  # of the documents journalled
        self.in_flight = 0  # come out of the engine since the last pool was journalled
        self.failed = 0
        self.start = time.monotonic()

    def __enter__(self) -> RichProgress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.task is not None:
            self.progress.stop()

    def started(self, summary: Summary) -> None:
        """The bar appears once the job knows its documents (a refused job shows none)."""
        self.progress.start()
        self.failed = summary.failed
        self.start = time.monotonic()
        self.task = self.progress.add_task(
            "translating",
            total=summary.total,
            completed=summary.done + summary.failed,
            rate=0.0,
            failed=self.failed,
        )

    def pool_done(self, result: PoolResult) -> None:
        if self.task is None:
            return
        self.sentences += sum(d.sentences for d in result.docs)
        self.in_flight = 0
        self.failed += sum(d.state == "failed" for d in result.docs)
        self.progress.update(
            self.task, advance=len(result.docs), rate=self._rate(), failed=self.failed
        )

    def translated(self, sentences: int) -> None:
        if self.task is None:
            return
        self.in_flight += sentences
        self.progress.update(self.task, rate=self._rate())

    def _rate(self) -> float:
        elapsed = max(time.monotonic() - self.start, 1e-9)
        return (self.sentences + self.in_flight) / elapsed
