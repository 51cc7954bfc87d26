"""The Ray backend: the same stages as a Ray Data pipeline, on one machine or a cluster.

    pools -> read (map) -> split (map) -> translate (map_batches, an actor pool) -> render (map)

Each translation actor loads its model once (the :class:`~.work.Translators` it is given
is called in its constructor) and takes a GPU when ``gpus`` is given. Ray Data restarts
an actor that dies and runs its pools again; the driver journals each pool as its result
arrives, so the journal stays the one record of what is done, and a resumed job skips
exactly what a local one would. Needs the ``ray`` extra: ``pip install 'tarjama[ray]'``.
"""

from __future__ import annotations

import itertools
import logging
import os
import pickle
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import numpy as np

from ..errors import ConfigError, EngineError, TarjamaError
from ..pipeline import Known
from .documents import JobFormats
from .formats import Fields
from .local import threads_per_worker
from .work import (
    Pool,
    PoolResult,
    Translators,
    read_pool,
    render_pool,
    split_pool,
    translate_pool,
    worker_translator,
)

#: Pools per Ray Data execution: the driver holds at most this many pool descriptions.
WAVE = 1000


def require_ray() -> Any:
    try:
        import ray
        import ray.data  # a bare ray install lacks Ray Data
    except ImportError as exc:
        raise ConfigError(
            "the ray backend needs the ray extra: pip install 'tarjama[ray]'"
        ) from exc
    return ray


def run_ray(
    pools: Iterable[Pool],
    translators: Translators,
    accept: Callable[[PoolResult], None],
    *,
    fields: Fields,
    formats: JobFormats,
    workers: int = 1,
    threads: int | None = None,
    gpus: float = 0.0,
    known: Mapping[str, Known] | None = None,
) -> None:
    """Translate ``pools`` on Ray and hand each result to ``accept`` on the driver.

    Connects to the cluster of ``RAY_ADDRESS`` (as ``ray job submit`` sets it) or starts a
    local Ray when none is running. An actor reserves ``threads`` CPUs (one when not given:
    its engine then takes this machine's cores divided by ``workers``). ``formats``
    travels to the workers with their stages: a format registered in the driver is known
    there, whatever their interpreters imported.
    """
    ray = require_ray()
    started = not ray.is_initialized()
    if started:
        address = os.environ.get("RAY_ADDRESS")
        # A local Ray started here needs no dashboard (nor its agent); it is shut down
        # when the job ends, so that none of its processes outlives it.
        local = {} if address else {"include_dashboard": False}
        ray.init(address=address, logging_level=logging.WARNING, **local)
    try:
        _run_waves(ray, pools, accept, translators, fields, formats, workers, threads, gpus, known)
    finally:
        if started:
            ray.shutdown()


def _run_waves(
    ray: Any,
    pools: Iterable[Pool],
    accept: Callable[[PoolResult], None],
    translators: Translators,
    fields: Fields,
    formats: JobFormats,
    workers: int,
    threads: int | None,
    gpus: float,
    known: Mapping[str, Known] | None,
) -> None:
    logging.getLogger("ray.data").setLevel(logging.WARNING)  # the job shows its own progress
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    engine_threads = threads_per_worker(workers, threads)
    lang = translators.source
    it = iter(pools)
    while wave := list(itertools.islice(it, WAVE)):
        ds = ray.data.from_items(
            [{"work": pickle.dumps(p)} for p in wave], override_num_blocks=len(wave)
        )
        ds = ds.map(_read, fn_kwargs={"fields": fields, "formats": formats})
        ds = ds.map(_split, fn_kwargs={"lang": lang})
        ds = ds.map_batches(
            _Translate,
            fn_constructor_kwargs={
                "translators": translators,
                "threads": engine_threads,
                "known": known,
                "formats": formats,
            },
            batch_size=1,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=workers),
            num_cpus=threads or 1,
            num_gpus=gpus or None,
        )
        ds = ds.map(_render, fn_kwargs={"fields": fields, "formats": formats})
        for row in _rows(ds):
            accept(pickle.loads(row["work"]))


def _rows(ds: Any) -> Iterator[dict[str, Any]]:
    """The dataset's rows; a failure inside Ray becomes a tarjama error."""
    try:
        yield from ds.iter_rows()
    except TarjamaError:
        raise
    except Exception as exc:  # Ray wraps what its workers raise
        cause = getattr(exc, "cause", None)
        if isinstance(cause, TarjamaError):
            raise cause from exc
        raise EngineError(f"the Ray job failed: {exc}") from exc


# -- the stages (rows carry pickled values: each stage's own types, unchanged by Arrow) --


def _read(row: dict[str, Any], fields: Fields, formats: JobFormats) -> dict[str, Any]:
    pool: Pool = pickle.loads(row["work"])
    start = time.perf_counter()
    work = read_pool(pool, fields, formats)
    return {"work": pickle.dumps((pool.index, work, time.perf_counter() - start))}


def _split(row: dict[str, Any], lang: str) -> dict[str, Any]:
    index, work, spent = pickle.loads(row["work"])
    start = time.perf_counter()
    work = split_pool(work, lang)
    return {"work": pickle.dumps((index, work, spent + time.perf_counter() - start))}


class _Translate:
    """One actor: loads its translator once, then translates a pool per call."""

    def __init__(
        self,
        translators: Translators,
        threads: int,
        known: Mapping[str, Known] | None,
        formats: JobFormats,
    ) -> None:
        self.translator = worker_translator(translators, threads, known)
        self.formats = formats

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        out = []
        for data in batch["work"]:
            index, work, spent = pickle.loads(data)
            start = time.perf_counter()
            work = translate_pool(self.translator, work, self.formats)
            out.append(pickle.dumps((index, work, spent + time.perf_counter() - start)))
        return {"work": np.array(out, dtype=object)}


def _render(row: dict[str, Any], fields: Fields, formats: JobFormats) -> dict[str, Any]:
    index, work, spent = pickle.loads(row["work"])
    start = time.perf_counter()
    seconds = spent + time.perf_counter() - start
    result = render_pool(index, work, fields, seconds, formats=formats)
    return {"work": pickle.dumps(result)}
