"""Coalesce concurrent requests into shared engine batches.

Every request runs the ordinary pipeline (:class:`~tarjama.pipeline.Translator`) in a
request thread, over a :class:`CoalescedEngine`. Its ``translate_batch`` does not call the
model: it puts the texts on the model's queue and waits. A worker task on the event loop
takes the first waiting job, waits a few milliseconds for more (as long again after each
arrival, up to ten times that), stops early once the batch holds ``max_tokens`` source
tokens, and runs the whole batch as one engine call in the
model's own worker thread. While that call runs, new jobs queue up and form the next
batch, so under load batches grow by themselves, and the event loop never runs a model.

With ``enabled=False`` every job is its own engine call: the one-at-a-time baseline that
the benchmark compares against.

The server degrades loudly: a batch that fails fails only its own requests (503), an
observer's exception is logged and never reaches the worker, a worker that dies anyway
fails its waiting and later requests at once (and ``/health`` names the model), and a
request thread never waits on the engine longer than ``timeout`` seconds.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ..errors import EngineError
from ..pipeline import (
    Engine,
    Hints,
    Hypothesis,
    Signature,
    can_align,
    can_hint,
    count_tokens_many,
)

log = logging.getLogger("tarjama.server")


@dataclass
class _Job:
    engine: Engine
    texts: list[str]
    source: str
    target: str
    alternatives: int
    tokens: int
    future: asyncio.Future[list[Hypothesis]] = field(repr=False)
    #: Which texts want a word alignment (None: none do).
    align: list[bool] | None = None
    #: What an LLM is told of each text (memory examples, glossary terms; None: nothing).
    hints: list[Hints | None] | None = None

    @property
    def group(self) -> tuple[Signature, str, str, int]:
        """Jobs with the same group can share one engine call: the same decoding settings
        (the engine's signature: model, beam, ...), pair and number of alternatives. Not
        the engine object: a request with its own beam gets its own engine view, and two
        such requests with the same beam must still share a batch."""
        return (self.engine.signature, self.source, self.target, self.alternatives)


#: Called after each engine call with the model's name, the jobs and the texts it served.
BatchObserver = Callable[[str, int, int], None]
#: Called in the engine's thread after a batch, now and then (the allocator's trim).
IdleHook = Callable[[], None]

#: The longest a batch's window may grow while company keeps coming, in windows.
STRETCH = 10
#: Seconds a request waits for its batch by default (``--engine-timeout``).
ENGINE_TIMEOUT = 300.0


class Coalescer:
    """One model's queue, its worker task and its worker thread."""

    def __init__(
        self,
        name: str,
        *,
        enabled: bool = True,
        wait_ms: float = 5.0,
        max_tokens: int = 4096,
        timeout: float = ENGINE_TIMEOUT,
    ) -> None:
        self.name = name
        self.enabled = enabled
        self.wait = wait_ms / 1000.0
        self.max_tokens = max_tokens
        #: Longest a request thread waits for its hypotheses, queueing included.
        self.timeout = timeout
        self._executor: ThreadPoolExecutor | None = None
        self._queue: asyncio.Queue[_Job] | None = None
        self._worker: asyncio.Task[None] | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        #: Engine calls made and the jobs they served (the benchmark prints the ratio).
        self.calls = 0
        self.jobs = 0
        #: Told about every engine call (the server's metrics).
        self.on_batch: BatchObserver | None = None
        #: Run in the engine's thread after a batch: when the queue is empty, at most once
        #: every ``idle_every`` seconds; under unbroken load, every ``busy_every``.
        self.on_idle: IdleHook | None = None
        self.idle_every = 1.0
        self.busy_every = 30.0
        self._last_idle = 0.0
        #: Why the worker stopped, when it died: requests fail at once, /health says so.
        self.failure: str | None = None
        #: The jobs taken from the queue for the batch being formed or run.
        self._held: list[_Job] = []

    def start(self) -> None:
        """Start the worker on the running event loop."""
        self.loop = asyncio.get_running_loop()
        # One thread per model: engine calls on one model never compete for the cores.
        self._executor = ThreadPoolExecutor(1, thread_name_prefix=f"engine-{self.name}")
        self._queue = asyncio.Queue()
        self.failure = None
        self._worker = self.loop.create_task(self._run(), name=f"coalescer-{self.name}")
        self._worker.add_done_callback(self._stopped)

    def _stopped(self, worker: asyncio.Task[None]) -> None:
        """The worker ended: by close() (cancelled), or by a bug, which must not go unseen."""
        if worker.cancelled():
            return
        exc = worker.exception()
        # The type only: clients read this (and /health); the log has the traceback.
        self.failure = f"its worker stopped ({type(exc).__name__}; see the server log)"
        log.error(
            "model '%s': its worker stopped; its requests fail until a restart",
            self.name,
            exc_info=exc,
        )
        for job in self._held:
            _settle(job, self._dead())
        while self._queue is not None and not self._queue.empty():
            _settle(self._queue.get_nowait(), self._dead())

    def _dead(self) -> EngineError:
        return EngineError(f"model '{self.name}' is not serving: {self.failure}")

    @property
    def pending(self) -> int:
        """Jobs waiting for a batch (not counting the one being translated)."""
        return self._queue.qsize() if self._queue is not None else 0

    async def close(self) -> None:
        if self._worker is not None:
            self._worker.remove_done_callback(self._stopped)
            self._worker.cancel()
            await asyncio.gather(self._worker, return_exceptions=True)
            self._worker = None
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    async def submit(
        self,
        engine: Engine,
        texts: Sequence[str],
        source: str,
        target: str,
        *,
        alternatives: int = 0,
        tokens: int = 1,
        align: Sequence[bool] | None = None,
        hints: Sequence[Hints | None] | None = None,
    ) -> list[Hypothesis]:
        """Queue ``texts`` for the next batch and wait for their hypotheses."""
        if not texts:
            return []
        if self._queue is None or self.loop is None:
            raise RuntimeError("Coalescer.start() was not called")
        if self.failure is not None:
            raise self._dead()
        future: asyncio.Future[list[Hypothesis]] = self.loop.create_future()
        job = _Job(engine, list(texts), source, target, alternatives, max(tokens, 1), future)
        job.align = list(align) if align is not None else None
        if hints is not None:
            job.hints = [*hints, *[None] * (len(job.texts) - len(hints))][: len(job.texts)]
        await self._queue.put(job)
        return await future

    async def _run(self) -> None:
        assert self._queue is not None
        while True:
            self._held = []
            await self._collect(self._queue, self._held)
            try:
                await self._serve(self._held)
            except Exception as exc:  # a bug here must fail this batch, not the worker
                for job in self._held:
                    _settle(job, exc)
            await self._idle(self._queue.empty())

    async def _serve(self, batch: list[_Job]) -> None:
        groups: dict[tuple[Signature, str, str, int], list[_Job]] = {}
        for job in batch:
            if not job.future.done():  # its request may have gone away
                groups.setdefault(job.group, []).append(job)
        for jobs in groups.values():
            await self._execute(jobs)

    async def _idle(self, idle: bool) -> None:
        """Run the idle hook in the engine's thread (never on the loop), now and then."""
        hook, loop = self.on_idle, asyncio.get_running_loop()
        every = self.idle_every if idle else self.busy_every
        if hook is None or loop.time() - self._last_idle < every:
            return
        self._last_idle = loop.time()
        try:
            await loop.run_in_executor(self._executor, hook)
        except Exception:
            log.exception("model '%s': the idle hook failed", self.name)

    async def _collect(self, queue: asyncio.Queue[_Job], batch: list[_Job]) -> None:
        """Take the next batch from ``queue`` into ``batch``."""
        batch.append(await queue.get())
        if not self.enabled:
            return
        tokens = batch[0].tokens
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.wait
        # A burst of requests reaches the queue over more than one window (each request
        # is parsed and segmented first): company that comes keeps the window open as long
        # again, up to STRETCH windows in all.
        closing = loop.time() + self.wait * STRETCH
        while tokens < self.max_tokens:
            if queue.empty():
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                try:
                    job = await asyncio.wait_for(queue.get(), remaining)
                except asyncio.TimeoutError:
                    break
                deadline = min(loop.time() + self.wait, closing)
            else:
                job = queue.get_nowait()
            batch.append(job)
            tokens += job.tokens

    async def _execute(self, jobs: list[_Job]) -> None:
        first = jobs[0]
        texts = [t for job in jobs for t in job.texts]
        options: dict[str, Any] = {"num_alternatives": first.alternatives}
        if any(job.align for job in jobs):
            options["align"] = [a for job in jobs for a in (job.align or [False] * len(job.texts))]
        if any(job.hints for job in jobs):
            options["hints"] = [h for job in jobs for h in (job.hints or [None] * len(job.texts))]
        assert self.loop is not None and self._executor is not None
        try:
            hyps = await self.loop.run_in_executor(
                self._executor,
                lambda: first.engine.translate_batch(texts, first.source, first.target, **options),
            )
        except EngineError as exc:
            if len(jobs) > 1:
                # One bad input must not fail its neighbours: retry each job alone.
                log.warning("batch of %d jobs failed (%s); retrying one by one", len(jobs), exc)
                for job in jobs:
                    await self._execute([job])
                return
            _settle(first, exc)
            return
        except Exception as exc:  # a bug: each waiting request logs it and answers 503
            for job in jobs:
                _settle(job, exc)
            return
        self.calls += 1
        self.jobs += len(jobs)
        if len(hyps) != len(texts):
            failed = EngineError(
                f"model '{self.name}' gave {len(hyps)} translations for {len(texts)} texts"
            )
            for job in jobs:
                _settle(job, failed)
            return
        start = 0
        for job in jobs:
            end = start + len(job.texts)
            if not job.future.done():
                job.future.set_result(hyps[start:end])
            start = end
        self._observe(len(jobs), len(texts))

    def _observe(self, jobs: int, texts: int) -> None:
        """Tell the observer, whose failure is logged and never reaches the worker."""
        if self.on_batch is None:
            return
        try:
            self.on_batch(self.name, jobs, texts)
        except Exception:
            log.exception("model '%s': the batch observer failed", self.name)


def _settle(job: _Job, exc: BaseException) -> None:
    if not job.future.done():
        job.future.set_exception(exc)


class CoalescedEngine:
    """An :class:`~tarjama.engines.base.Engine` whose batches go through a coalescer.

    ``translate_batch`` must be called from a thread other than the event loop's (the
    server's request threads); it blocks that thread until the shared batch is done.
    It offers the abilities that pass through a shared batch, as their protocols say the
    engine it wraps has them: word alignment (:class:`~tarjama.engines.base.Aligner`,
    ``aligns`` is the engine's), an LLM's hints (:class:`~tarjama.engines.base.Hinted`,
    ``hinted`` is the engine's: the memory's examples and the glossary's terms reach its
    prompt when served as they do in the CLI) and token counting in bulk (the engine's own,
    which keeps what it counted for the batch: a text is tokenized once).
    """

    def __init__(self, engine: Engine, coalescer: Coalescer) -> None:
        self.engine = engine
        self.coalescer = coalescer
        self.name = engine.name
        self.pairs = engine.pairs
        self.max_input_tokens = engine.max_input_tokens

    @property
    def aligns(self) -> bool:
        return can_align(self.engine)

    @property
    def hinted(self) -> bool:
        return can_hint(self.engine)

    @property
    def signature(self) -> Signature:
        return self.engine.signature

    def count_tokens(self, text: str, source: str) -> int:
        return count_tokens_many(self.engine, [text], source)[0]

    def count_tokens_many(self, texts: Sequence[str], source: str) -> list[int]:
        return count_tokens_many(self.engine, texts, source)

    def translate_batch(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        *,
        num_alternatives: int = 0,
        align: Sequence[bool] | None = None,
        hints: Sequence[Hints | None] | None = None,
    ) -> list[Hypothesis]:
        loop = self.coalescer.loop
        if loop is None:
            raise RuntimeError("the coalescer is not running")
        tokens = sum(count_tokens_many(self.engine, texts, source))
        pending = asyncio.run_coroutine_threadsafe(
            self.coalescer.submit(
                self.engine,
                texts,
                source,
                target,
                alternatives=num_alternatives,
                tokens=tokens,
                align=align if self.aligns else None,
                hints=hints if self.hinted else None,
            ),
            loop,
        )
        timeout = self.coalescer.timeout
        try:
            return pending.result(timeout=timeout)
        except concurrent.futures.TimeoutError:
            pending.cancel()  # its job is skipped if still queued
            raise EngineError(
                f"model '{self.name}' did not answer within {timeout:g} s (--engine-timeout)"
            ) from None
