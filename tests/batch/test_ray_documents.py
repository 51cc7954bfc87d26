"""Formatted documents on the Ray backend (a local Ray, two CPUs, the tiny model): an HTML
page and a DOCX come out as the local backend makes them, a job cut short is resumed on
Ray without translating anything twice, and a format registered only in the driver is
read by the workers, since the job hands them its formats."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tarjama import formats
from tarjama.batch import JobOptions, run_job
from tarjama.workspace import TranslatorFactory

from ..formats import samples
from . import ledger, test_ray_backend
from .conftest import SENTENCES, journal_rows
from .test_documents import contents
from .test_job import _Crash, _CrashAfter

pytestmark = [pytest.mark.needs_ray, pytest.mark.slow]

POOL = 600


@pytest.fixture(scope="module")
def ray_local() -> Iterator[Any]:
    import ray
    import ray.data
    from ray import cloudpickle as untyped

    cloudpickle: Any = untyped

    # The ledger format lives in the tests, which Ray workers cannot import: it travels by
    # value, inside the job's formats, and nowhere else.
    cloudpickle.register_pickle_by_value(ledger)
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    ray.init(num_cpus=2, include_dashboard=False, logging_level=logging.WARNING)
    yield ray
    ray.shutdown()
    cloudpickle.unregister_pickle_by_value(ledger)
    cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


#: The workspace's translators over the tiny model: the Ray backend tests' own fixture.
translators = test_ray_backend.translators


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ray-docs") / "desk"
    for i in range(2):
        for key in ("html", "docx"):
            name, build = samples.SAMPLES[key]
            (folder / str(i)).mkdir(parents=True, exist_ok=True)
            (folder / str(i) / name).write_bytes(build())
    return folder


def ray_options(**kw: Any) -> JobOptions:
    return JobOptions(pool_chars=POOL, backend="ray", threads=1, **kw)


def test_html_and_docx_on_ray_as_on_the_local_backend_and_resumed(
    ray_local: Any, desk: Path, translators: TranslatorFactory, tmp_path: Path
) -> None:
    run_job([desk], tmp_path / "local", translators, JobOptions(pool_chars=POOL))
    summary = run_job([desk], tmp_path / "ray", translators, ray_options())
    assert summary.done == summary.total == 4 and summary.failed == 0
    assert contents(tmp_path / "ray") == contents(tmp_path / "local")
    cut = tmp_path / "cut"
    with pytest.raises(_Crash):  # a kill once the first pool is journalled
        run_job([desk], cut, translators, ray_options(), _CrashAfter(1))
    before = {r["name"]: r["finished"] for r in journal_rows(cut) if r["state"] == "done"}
    assert 0 < len(before) < 4
    run_job([desk], cut, translators, ray_options(resume=True))
    rows = journal_rows(cut)
    assert [r["done_count"] for r in rows] == [1, 1, 1, 1]  # none lost, none twice
    for r in rows:  # what the journal had was not touched again
        if r["name"] in before:
            assert r["finished"] == before[r["name"]]
    assert contents(cut) == contents(tmp_path / "local")


def test_a_format_registered_in_the_driver_is_read_by_ray_workers(
    ray_local: Any, translators: TranslatorFactory, tmp_path: Path
) -> None:
    source = tmp_path / "in" / "port.ledger"
    source.parent.mkdir()
    source.write_bytes(ledger.ledger(SENTENCES[:3]))
    fmt = formats.register(ledger.LedgerFormat())
    try:
        local = run_job([source], tmp_path / "local", translators, JobOptions())
        on_ray = run_job([source], tmp_path / "ray", translators, ray_options())
    finally:
        formats.REGISTRY.unregister(fmt.kind)
    assert local.done == on_ray.done == 1 and on_ray.failed == 0
    assert [r["error"] for r in journal_rows(tmp_path / "ray")] == [None]
    out = (tmp_path / "ray/port.ledger").read_bytes()
    assert out == (tmp_path / "local/port.ledger").read_bytes()
    assert out.startswith(b"LEDGER\n# entry 0\n> ") and SENTENCES[0].encode() not in out
