"""The local backend: N engine workers in threads on one machine.

    reader -> worker (the engine) -> finisher (checks, outputs) -> the calling thread

One thread reads and splits pools ahead of the engine; each worker loads its own
translator (its engine gets the cores divided between the workers) and translates one
pool at a time, keeping each engine batch in the journal as it finishes
(:mod:`.checkpoints`); the worker's finisher checks the pool and renders its outputs
while the engine goes on with the next one; the calling thread gets every result in turn
and journals it. Each worker holds two pools at most (the one it translates, the one its
finisher renders) and one more is read ahead for it, so memory does not grow with the
job. CTranslate2 releases the GIL while it decodes, so the other threads' work fits in
beside the engine's.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import cast

from ..engines import available_cores
from ..pipeline import Known, Translator
from .checkpoints import Checkpoints
from .documents import JobFormats
from .formats import Fields
from .work import (
    Pool,
    PoolResult,
    Translators,
    Work,
    read_pool,
    render_pool,
    split_pool,
    translate_pool,
    worker_translator,
)

_END = object()


class _Failed:
    """An exception raised in a thread, to raise again in the caller."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


def threads_per_worker(workers: int, threads: int | None) -> int:
    return threads or max(1, available_cores() // workers)


def run_local(
    pools: Iterable[Pool],
    translators: Translators,
    accept: Callable[[PoolResult], None],
    *,
    fields: Fields,
    formats: JobFormats,
    workers: int = 1,
    threads: int | None = None,
    known: Mapping[str, Known] | None = None,
    checkpoints: Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Translate ``pools`` and hand each result to ``accept`` in the calling thread.

    With ``checkpoints`` (the job's directory), the workers keep their engine batches in
    its journal; ``progress`` then hears, in the calling thread, how many more sentences
    (engine rows) have come out, a batch at a time.
    """
    run = _LocalRun(
        translators,
        fields=fields,
        formats=formats,
        workers=workers,
        per_worker=threads_per_worker(workers, threads),
        known=known,
        checkpoints=checkpoints,
        progress=progress,
    )
    run.run(pools, accept)


class _LocalRun:
    """One run of :func:`run_local`: its queues, its threads, and the stop they all heed."""

    def __init__(
        self,
        translators: Translators,
        *,
        fields: Fields,
        formats: JobFormats,
        workers: int,
        per_worker: int,
        known: Mapping[str, Known] | None,
        checkpoints: Path | None,
        progress: Callable[[int], None] | None,
    ) -> None:
        self.translators = translators
        self.fields = fields
        self.formats = formats
        self.workers = workers
        self.per_worker = per_worker
        self.known = known
        self.checkpoints = checkpoints
        self.progress = progress
        self.stop = threading.Event()
        self.ready: queue.Queue[object] = queue.Queue()
        self.results: queue.Queue[object] = queue.Queue(maxsize=workers + 1)
        self.read_ahead = threading.Semaphore(workers)  # pools read and split, not yet taken
        self.stores: list[Checkpoints] = []
        self.told = 0

    # -- waits that give up when the run stops ------------------------------------------

    def put(self, q: queue.Queue[object], item: object) -> bool:
        while not self.stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def take(self, slot: threading.Semaphore) -> bool:
        while not self.stop.is_set():
            if slot.acquire(timeout=0.1):
                return True
        return False

    def get(self, q: queue.Queue[object], idle: Callable[[], None] | None = None) -> object:
        while not self.stop.is_set():
            try:
                return q.get(timeout=0.1)
            except queue.Empty:
                if idle is not None:
                    idle()
        return _END

    def tell(self) -> None:
        rows = sum(s.rows for s in list(self.stores))
        if self.progress is not None and rows > self.told:
            self.progress(rows - self.told)
            self.told = rows

    # -- the threads --------------------------------------------------------------------

    def reader(self, pools: Iterable[Pool]) -> None:
        try:
            for pool in pools:
                if not self.take(self.read_ahead):
                    return
                start = time.perf_counter()
                work = split_pool(
                    read_pool(pool, self.fields, self.formats), self.translators.source
                )
                if not self.put(self.ready, (pool.index, work, time.perf_counter() - start)):
                    return
        except BaseException as exc:  # handed to the caller
            self.put(self.results, _Failed(exc))
        for _ in range(self.workers):
            self.put(self.ready, _END)

    def worker(self, finishing: queue.Queue[object], in_hand: threading.Semaphore) -> None:
        store = Checkpoints(self.checkpoints) if self.checkpoints is not None else None
        try:
            if store is not None:
                self.stores.append(store)
            translator = worker_translator(self.translators, self.per_worker, self.known, store)
            if not self._translate_pools(translator, store, finishing, in_hand):
                return
        except BaseException as exc:  # handed to the caller
            self.put(self.results, _Failed(exc))
            return
        finally:
            if store is not None:
                store.close()
        self.put(finishing, _END)

    def _translate_pools(
        self,
        translator: Translator,
        store: Checkpoints | None,
        finishing: queue.Queue[object],
        in_hand: threading.Semaphore,
    ) -> bool:
        """Translate pools until there are no more (True) or the run stops (False)."""
        while self.take(in_hand):
            item = self.get(self.ready)
            if item is _END:
                break
            self.read_ahead.release()
            index, work, spent = cast(tuple[int, list[Work], float], item)
            start = time.perf_counter()
            done = translate_pool(translator, work, self.formats, check=False)
            seconds = spent + time.perf_counter() - start
            keys = store.taken() if store is not None else []
            if not self.put(finishing, (translator, index, done, seconds, keys)):
                return False
        return True

    def finisher(self, finishing: queue.Queue[object], in_hand: threading.Semaphore) -> None:
        try:
            while (item := self.get(finishing)) is not _END:
                translator, index, work, spent, keys = cast(
                    tuple[Translator, int, list[Work], float, list[bytes]], item
                )
                start = time.perf_counter()
                result = render_pool(
                    index, work, self.fields, spent, formats=self.formats, check=translator.check
                )
                result.seconds += time.perf_counter() - start
                result.batches = keys
                in_hand.release()
                if not self.put(self.results, result):
                    return
        except BaseException as exc:  # handed to the caller
            self.put(self.results, _Failed(exc))
            return
        self.put(self.results, _END)

    # -- the calling thread ---------------------------------------------------------------

    def run(self, pools: Iterable[Pool], accept: Callable[[PoolResult], None]) -> None:
        threads_ = [
            threading.Thread(target=self.reader, args=(pools,), name="batch-reader", daemon=True)
        ]
        for i in range(self.workers):
            finishing: queue.Queue[object] = queue.Queue()
            in_hand = threading.Semaphore(2)  # the pool translated and the pool finished
            pair = (finishing, in_hand)
            threads_ += [
                threading.Thread(target=self.worker, args=pair, name=f"batch-worker-{i}"),
                threading.Thread(target=self.finisher, args=pair, name=f"batch-finisher-{i}"),
            ]
        for t in threads_:
            t.daemon = True
            t.start()
        try:
            self._collect(accept)
        finally:
            self.stop.set()
            for t in threads_:
                t.join(timeout=5)

    def _collect(self, accept: Callable[[PoolResult], None]) -> None:
        """Hand every result to ``accept`` until each finisher has ended."""
        running = self.workers
        while running:
            item = self.get(self.results, self.tell)
            self.tell()
            if item is _END:
                running -= 1
            elif isinstance(item, _Failed):
                raise item.exc
            else:
                accept(cast(PoolResult, item))
