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

Documents have a lane of their own. A document job (:mod:`.jobs`), and any request with
more than one chunk of sentences (a long list of ``q``), sends its sentences in chunks of
at most ``chunk_tokens`` source tokens and :data:`CHUNK_TEXTS` texts, one chunk at a time,
each chunk its own engine call; small requests go first, but never twice in a row while a
chunk waits. So a small request beside a running document waits for at most the one chunk
being decoded, documents still get half of the engine under unbroken small load, and
several documents share the lane in turn (each has one chunk queued at most).

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

from ..errors import EngineError, Stopped
from ..pipeline import (
    Engine,
    Hints,
    Hypothesis,
    Progress,
    Signature,
    can_align,
    can_hint,
    can_report,
    count_tokens_many,
)
from .jobs import CURRENT, JobToken

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
    #: Told the engine's progress (a streamed request's chunk, alone in its call).
    progress: Progress | None = None

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
#: Source tokens of one document chunk by default (``TARJAMA_DOCUMENT_BATCH_TOKENS``): about
#: 40 news sentences, a second or two of an OPUS-MT-size model on a few cores.
CHUNK_TOKENS = 1024
#: The most texts of one chunk, whatever their tokens: many short texts (table cells,
#: subtitles) still decode one output each, and outputs can be longer than their sources.
CHUNK_TEXTS = 64


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
        chunk_tokens: int = CHUNK_TOKENS,
    ) -> None:
        self.name = name
        self.enabled = enabled
        self.wait = wait_ms / 1000.0
        self.max_tokens = max_tokens
        #: Longest a request thread waits for its hypotheses, queueing included.
        self.timeout = timeout
        #: Most source tokens of one document chunk (at least one text each).
        self.chunk_tokens = chunk_tokens
        self._executor: ThreadPoolExecutor | None = None
        self._queue: asyncio.Queue[_Job] | None = None
        #: Document chunks (:mod:`.jobs`), served between small requests' batches.
        self._documents: asyncio.Queue[_Job] | None = None
        self._arrived: asyncio.Event | None = None
        #: Whether the last batch was small requests' (the next goes to a waiting chunk).
        self._small_last = False
        self._worker: asyncio.Task[None] | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        #: Engine calls made and the jobs they served (the benchmark prints the ratio).
        self.calls = 0
        self.jobs = 0
        #: Told about every engine call (the server's metrics).
        self.on_batch: BatchObserver | None = None
        #: Run in the engine's thread after a batch: when the queue is empty, at most once
        #: every ``idle_every`` seconds; under unbroken load, every ``busy_every``; and once
        #: more ``idle_every`` after the last batch, when nothing came since.
        self.on_idle: IdleHook | None = None
        self.idle_every = 1.0
        self.busy_every = 30.0
        self._last_idle = 0.0
        #: A batch ran since the idle hook last did.
        self._owed = False
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
        self._documents = asyncio.Queue()
        self._arrived = asyncio.Event()
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
        for queue in (self._queue, self._documents):
            while queue is not None and not queue.empty():
                _settle(queue.get_nowait(), self._dead())

    def _dead(self) -> EngineError:
        return EngineError(f"model '{self.name}' is not serving: {self.failure}")

    @property
    def pending(self) -> int:
        """Jobs waiting for a batch (not counting the one being translated), document
        chunks included."""
        return sum(q.qsize() for q in (self._queue, self._documents) if q is not None)

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
        document: bool = False,
        hints: Sequence[Hints | None] | None = None,
        progress: Progress | None = None,
    ) -> list[Hypothesis]:
        """Queue ``texts`` for the next batch and wait for their hypotheses; a
        ``document`` chunk goes to the document lane and is its own engine call (told
        ``progress`` where the engine reports it)."""
        if not texts:
            return []
        if self._queue is None or self._documents is None or self._arrived is None:
            raise RuntimeError("Coalescer.start() was not called")
        if self.failure is not None:
            raise self._dead()
        assert self.loop is not None
        future: asyncio.Future[list[Hypothesis]] = self.loop.create_future()
        job = _Job(engine, list(texts), source, target, alternatives, max(tokens, 1), future)
        job.align = list(align) if align is not None else None
        if hints is not None:
            job.hints = [*hints, *[None] * (len(job.texts) - len(hints))][: len(job.texts)]
        job.progress = progress if document else None
        await (self._documents if document else self._queue).put(job)
        self._arrived.set()
        return await future

    async def _run(self) -> None:
        assert self._queue is not None and self._documents is not None
        while True:
            self._held = []
            await self._next(self._held)
            try:
                await self._serve(self._held)
            except Exception as exc:  # a bug here must fail this batch, not the worker
                for job in self._held:
                    _settle(job, exc)
            self._owed = True
            await self._idle(self.pending == 0)

    async def _next(self, batch: list[_Job]) -> None:
        """The next batch: small requests' (:meth:`_collect`), or one document chunk when
        no small request waits or the last batch was theirs."""
        assert self._queue is not None and self._documents is not None
        assert self._arrived is not None
        while self._queue.empty() and self._documents.empty():
            self._arrived.clear()
            if not (self._owed and self.on_idle is not None):
                await self._arrived.wait()
                continue
            try:
                await asyncio.wait_for(self._arrived.wait(), self.idle_every)
            except TimeoutError:
                # Quiet since the last batch: what its requests freed after the hook ran
                # (their checks, their answers) is handed back too, not kept until the next.
                await self._idle(True)
        if not self._documents.empty() and (self._queue.empty() or self._small_last):
            self._small_last = False
            batch.append(self._documents.get_nowait())
            return
        self._small_last = True
        await self._collect(self._queue, batch)

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
        self._owed = False
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
        if first.progress is not None and len(jobs) == 1 and can_report(first.engine):
            options["progress"] = first.progress
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
    prompt when served as they do in the CLI), token counting in bulk (the engine's own,
    which keeps what it counted for the batch: a text is tokenized once) and progress
    (:class:`~tarjama.engines.base.Reporter`, ``drafts`` the engine's): a streamed request
    goes chunk by chunk through the document lane, each chunk's texts told final when it
    is done (an LLM's drafts and finals sooner, from the engine), and a stopped or expired
    job's next word raises :class:`~tarjama.errors.Stopped` in the engine's thread.
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
    def drafts(self) -> bool:
        return can_report(self.engine) and self.engine.drafts

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
        progress: Progress | None = None,
    ) -> list[Hypothesis]:
        if self.coalescer.loop is None:
            raise RuntimeError("the coalescer is not running")
        counts = count_tokens_many(self.engine, texts, source)
        options = {"alternatives": num_alternatives}
        aligned = list(align) if align is not None and self.aligns else None
        hinted = list(hints) if hints is not None and self.hinted else None
        job = CURRENT.get()
        runs = _chunks(counts, self.coalescer.chunk_tokens)
        if job is None and len(runs) < 2 and progress is None:
            # A small request: one job, batched with its company.
            return self._wait(texts, counts, source, target, options, aligned, hinted, None)
        # A document, or a request as large as one (a long list of q), or a streamed one:
        # chunk by chunk in the document lane, so that small requests pass it.
        out: list[Hypothesis] = []
        for start, end in runs:
            if job is not None:
                job.check()  # a stopped or expired document queues nothing more
            part = aligned[start:end] if aligned is not None else None
            told = hinted[start:end] if hinted is not None else None
            shifted = _Shifted(progress, start, job) if progress is not None else None
            done = self._wait(texts[start:end], counts[start:end], source, target, options,
                              part, told, job, lane=True, progress=shifted)  # fmt: skip
            if progress is not None:
                for k, hyp in enumerate(done, start):
                    progress.final(k, hyp)
            out += done
        return out

    def _wait(
        self,
        texts: Sequence[str],
        counts: Sequence[int],
        source: str,
        target: str,
        options: dict[str, int],
        align: list[bool] | None,
        hints: list[Hints | None] | None,
        job: JobToken | None,
        *,
        lane: bool = False,
        progress: Progress | None = None,
    ) -> list[Hypothesis]:
        """Submit one job (a chunk in the document lane when ``lane``) and wait for it, at
        most ``--engine-timeout`` seconds and never past the document ``job``'s deadline."""
        coalescer = self.coalescer
        assert coalescer.loop is not None
        pending = asyncio.run_coroutine_threadsafe(
            coalescer.submit(
                self.engine,
                texts,
                source,
                target,
                alternatives=options["alternatives"],
                tokens=sum(counts),
                align=align,
                document=lane,
                hints=hints,
                progress=progress,
            ),
            coalescer.loop,
        )
        timeout = coalescer.timeout
        if job is not None:
            job.watch(pending)
            timeout = max(min(timeout, job.remaining()), 0)
        try:
            return pending.result(timeout=timeout)
        except concurrent.futures.CancelledError:
            assert job is not None  # only a document's wait is cancelled (by its token)
            job.check()
            raise
        except concurrent.futures.TimeoutError:
            pending.cancel()  # its job is skipped if still queued
            if job is not None:
                job.check()
            raise EngineError(
                f"model '{self.name}' did not answer within {timeout:g} s (--engine-timeout)"
            ) from None
        finally:
            if job is not None:
                job.unwatch(pending)


class _Shifted:
    """A chunk's progress told as the request's (its texts start at ``start``); in the
    engine's thread, a stopped or expired job's next word raises Stopped, so that a streamed
    answer nobody waits for is cut off (the LLM's server drops a request whose connection
    closes)."""

    def __init__(self, progress: Progress, start: int, job: JobToken | None) -> None:
        self.progress, self.start, self.job = progress, start, job

    def draft(self, k: int, text: str) -> None:
        self._check()
        self.progress.draft(self.start + k, text)

    def final(self, k: int, hypothesis: Hypothesis) -> None:
        self._check()
        self.progress.final(self.start + k, hypothesis)

    def _check(self) -> None:
        job = self.job
        if job is not None and (job.reason is not None or job.remaining() <= 0):
            raise Stopped(job.reason or job.expired_message)


def _chunks(counts: Sequence[int], limit: int) -> list[tuple[int, int]]:
    """``counts`` (tokens per text) cut into runs of at most ``limit`` tokens and
    :data:`CHUNK_TEXTS` texts, each run holding at least one text; as (start, end) pairs."""
    runs: list[tuple[int, int]] = []
    start = tokens = 0
    for k, count in enumerate(counts):
        if k > start and (tokens + count > limit or k - start >= CHUNK_TEXTS):
            runs.append((start, k))
            start, tokens = k, 0
        tokens += count
    if start < len(counts):
        runs.append((start, len(counts)))
    return runs
