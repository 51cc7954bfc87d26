"""The local backend: N engine workers in threads on one machine.

One thread reads and splits pools ahead of the engine; each worker loads its own
translator (its engine gets the cores divided between the workers) and translates one
pool at a time; the calling thread gets every result in turn and journals it. The queues
between them are short, so only a few pools are ever in memory, however long the job.
CTranslate2 releases the GIL while it decodes, so threads keep every core busy.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import cast

from ..engines.ct2 import available_cores
from ..pipeline import Known
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
    workers: int = 1,
    threads: int | None = None,
    known: Mapping[str, Known] | None = None,
) -> None:
    """Translate ``pools`` and hand each result to ``accept`` in the calling thread."""
    stop = threading.Event()
    ready: queue.Queue[object] = queue.Queue(maxsize=workers + 1)
    results: queue.Queue[object] = queue.Queue(maxsize=workers + 1)
    per_worker = threads_per_worker(workers, threads)
    lang = translators.source

    def put(q: queue.Queue[object], item: object) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def get(q: queue.Queue[object]) -> object:
        while not stop.is_set():
            try:
                return q.get(timeout=0.1)
            except queue.Empty:
                continue
        return _END

    def reader() -> None:
        try:
            for pool in pools:
                start = time.perf_counter()
                work = split_pool(read_pool(pool, fields), lang)
                if not put(ready, (pool.index, work, time.perf_counter() - start)):
                    return
        except BaseException as exc:  # handed to the caller
            put(results, _Failed(exc))
        for _ in range(workers):
            put(ready, _END)

    def worker() -> None:
        try:
            translator = worker_translator(translators, per_worker, known)
            while not stop.is_set():
                item = get(ready)
                if item is _END:
                    break
                index, work, spent = cast(tuple[int, list[Work], float], item)
                start = time.perf_counter()
                done = translate_pool(translator, work)
                seconds = spent + time.perf_counter() - start
                if not put(results, render_pool(index, done, fields, seconds)):
                    return
        except BaseException as exc:  # handed to the caller
            put(results, _Failed(exc))
            return
        put(results, _END)

    threads_ = [threading.Thread(target=reader, name="batch-reader", daemon=True)]
    threads_ += [
        threading.Thread(target=worker, name=f"batch-worker-{i}", daemon=True)
        for i in range(workers)
    ]
    for t in threads_:
        t.start()
    running = workers
    try:
        while running:
            item = get(results)
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
