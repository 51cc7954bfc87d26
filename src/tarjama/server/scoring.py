"""Scoring for /v1/evaluate, away from translation.

TER is quadratic (and worse) in the length of a line, and pure Python: on the request
threads it would hold the interpreter lock for seconds and starve every translation. So:

- each line is capped (:data:`MAX_LINE_CHARS`) and so is the whole request
  (:data:`MAX_TOTAL_CHARS`): the largest allowed request takes seconds, not minutes, and
  its memory is bounded;
- scoring runs in separate processes (``--evaluate-workers``, one by default), started
  on first use, at the lowest CPU priority, so a translation always gets the cores first;
- at most two requests per process run or wait; more get 429 at once instead of piling up.
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from .errors import ApiError

T = TypeVar("T")

#: Characters in one line of hypotheses, references or sources (a long news sentence).
MAX_LINE_CHARS = 1000
#: Characters in all lines of one request together.
MAX_TOTAL_CHARS = 100_000
#: Requests running or waiting per scoring process.
PER_WORKER = 2
BUSY = "Slowdown: every scoring worker is busy; try again shortly"


def check_lines(named: dict[str, list[str]]) -> None:
    """400 for a line or a request over the caps (named like the request's fields)."""
    total = 0
    for name, lines in named.items():
        for number, line in enumerate(lines, start=1):
            if len(line) > MAX_LINE_CHARS:
                raise ApiError(
                    400,
                    f"Invalid request: line {number} of {name} has {len(line)} characters "
                    f"(the limit is {MAX_LINE_CHARS})",
                )
            total += len(line)
    if total > MAX_TOTAL_CHARS:
        raise ApiError(
            400, f"Invalid request: request ({total}) exceeds text limit ({MAX_TOTAL_CHARS})"
        )


def _low_priority() -> None:
    os.nice(19)


class ScoringPool:
    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None
        #: Requests running or waiting (touched on the event loop only).
        self.pending = 0

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # A fresh interpreter, not a fork of one with threads and a loaded model.
            context = multiprocessing.get_context("spawn")
            self._executor = ProcessPoolExecutor(
                self.workers, mp_context=context, initializer=_low_priority
            )
        return self._executor

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if self.pending >= self.workers * PER_WORKER:
            raise ApiError(429, BUSY)
        self.pending += 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._pool(), functools.partial(fn, *args, **kwargs))
        except BrokenProcessPool:
            # A worker died (killed, out of memory): the next request gets a new pool.
            self._executor = None
            raise ApiError(503, "the scoring worker stopped; try again") from None
        finally:
            self.pending -= 1

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
