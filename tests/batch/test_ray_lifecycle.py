"""The Ray backend shuts down a Ray it started, so that no Ray process outlives the job,
and leaves one it found running alone."""

from __future__ import annotations

import logging
import os

import pytest

from tarjama.batch import JobFormats
from tarjama.batch.formats import Fields
from tarjama.batch.ray_backend import run_ray

from .conftest import FakeTranslators

pytestmark = [pytest.mark.slow, pytest.mark.needs_ray]


def _children() -> set[str]:
    """Names of this process's live descendants."""
    psutil = pytest.importorskip("psutil")
    return {p.name() for p in psutil.Process(os.getpid()).children(recursive=True)}


def test_a_ray_the_job_started_is_shut_down(monkeypatch: pytest.MonkeyPatch) -> None:
    import ray

    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    assert not ray.is_initialized()
    before = _children()
    run_ray([], FakeTranslators(), lambda _: None, fields=Fields(), formats=JobFormats())
    assert not ray.is_initialized()
    left = {n for n in _children() - before if "ray" in n or "gcs" in n or "dashboard" in n}
    assert left == set()


def test_a_ray_already_running_is_left_running() -> None:
    import ray

    ray.init(num_cpus=1, include_dashboard=False, logging_level=logging.WARNING)
    try:
        run_ray([], FakeTranslators(), lambda _: None, fields=Fields(), formats=JobFormats())
        assert ray.is_initialized()
    finally:
        ray.shutdown()
