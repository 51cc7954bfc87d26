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

from ..engines.ct2 import available_cores
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
    stop = threading.Event()
    ready: queue.Queue[object] = queue.Queue()
    results: queue.Queue[object] = queue.Queue(maxsize=workers + 1)
    read_ahead = threading.Semaphore(workers)  # pools read and split, not yet taken
    per_worker = threads_per_worker(workers, threads)
    lang = translators.source
    stores: list[Checkpoints] = []

    def put(q: queue.Queue[object], item: object) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def take(slot: threading.Semaphore) -> bool:
        while not stop.is_set():
            if slot.acquire(timeout=0.1):
                return True
        return False

    def get(q: queue.Queue[object], idle: Callable[[], None] | None = None) -> object:
        while not stop.is_set():
            try:
                return q.get(timeout=0.1)
            except queue.Empty:
                if idle is not None:
                    idle()
        return _END

    told = 0

    def tell() -> None:
        nonlocal told
        rows = sum(s.rows for s in list(stores))
        if progress is not None and rows > told:
            progress(rows - told)
            told = rows

    def reader() -> None:
        try:
            for pool in pools:
                if not take(read_ahead):
                    return
                start = time.perf_counter()
                work = split_pool(read_pool(pool, fields, formats), lang)
                if not put(ready, (pool.index, work, time.perf_counter() - start)):
                    return
        except BaseException as exc:  # handed to the caller
            put(results, _Failed(exc))
        for _ in range(workers):
            put(ready, _END)

    def worker(finishing: queue.Queue[object], in_hand: threading.Semaphore) -> None:
        store = Checkpoints(checkpoints) if checkpoints is not None else None
        try:
            if store is not None:
                stores.append(store)
            translator = worker_translator(translators, per_worker, known, store)
            while take(in_hand):
                item = get(ready)
                if item is _END:
                    break
                read_ahead.release()
                index, work, spent = cast(tuple[int, list[Work], float], item)
                start = time.perf_counter()
                done = translate_pool(translator, work, formats, check=False)
                seconds = spent + time.perf_counter() - start
                keys = store.taken() if store is not None else []
                if not put(finishing, (translator, index, done, seconds, keys)):
                    return
        except BaseException as exc:  # handed to the caller
            put(results, _Failed(exc))
            return
        finally:
            if store is not None:
                store.close()
        put(finishing, _END)

    def finisher(finishing: queue.Queue[object], in_hand: threading.Semaphore) -> None:
        try:
            while (item := get(finishing)) is not _END:
                translator, index, work, spent, keys = cast(
                    tuple[Translator, int, list[Work], float, list[bytes]], item
                )
                start = time.perf_counter()
                result = render_pool(
                    index, work, fields, spent, formats=formats, check=translator.check
                )
                result.seconds += time.perf_counter() - start
                result.batches = keys
                in_hand.release()
                if not put(results, result):
                    return
        except BaseException as exc:  # handed to the caller
            put(results, _Failed(exc))
            return
        put(results, _END)

    threads_ = [threading.Thread(target=reader, name="batch-reader", daemon=True)]
    for i in range(workers):
        finishing: queue.Queue[object] = queue.Queue()
        in_hand = threading.Semaphore(2)  # the pool translated and the pool finished
        pair = (finishing, in_hand)
        threads_ += [
            threading.Thread(target=worker, args=pair, name=f"batch-worker-{i}"),
            threading.Thread(target=finisher, args=pair, name=f"batch-finisher-{i}"),
        ]
    for t in threads_:
        t.daemon = True
        t.start()
    running = workers
    try:
        while running:
            item = get(results, tell)
            tell()
            if item is _END:
                running -= 1
            elif isinstance(item, _Failed):
                raise item.exc
            else:
                accept(cast(PoolResult, item))
    finally:
        stop.set()
        for t in threads_:
            t.join(timeout=5)
