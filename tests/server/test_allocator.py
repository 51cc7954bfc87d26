"""`tarjama serve` runs on jemalloc where the system has it, the same process started again
with it preloaded, and on glibc's tuned allocator when told not to."""

from __future__ import annotations

import ctypes.util
import os
from pathlib import Path

import httpx
import pytest

from tarjama.server import serving

from ..servers import start_server, stop_server


def _maps(pid: int) -> str:
    return Path(f"/proc/{pid}/maps").read_text(encoding="utf-8", errors="replace")


def _log(home: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in home.glob("server-*.log"))


@pytest.mark.slow
@pytest.mark.needs_jemalloc
@pytest.mark.parametrize("jemalloc", [True, False])
def test_serve_runs_on_jemalloc_unless_told_not_to(
    tiny_model_dir: Path, tmp_path: Path, jemalloc: bool
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "MALLOC_CONF")}
    env["TARJAMA_JEMALLOC"] = "1" if jemalloc else "0"
    proc, url = start_server(tiny_model_dir, tmp_path, env=env)
    try:
        r = httpx.post(f"{url}/translate", json={"q": "مرحبا", "source": "ar", "target": "en"})
        assert r.status_code == 200 and r.json()["translatedText"]
        # The same pid answers: the re-run replaced the process, it did not fork.
        assert ("libjemalloc" in _maps(proc.pid)) is jemalloc
        expected = "allocator: jemalloc" if jemalloc else "allocator: glibc, MALLOC_ARENA_MAX=2"
        assert expected in _log(tmp_path)
    finally:
        stop_server(proc)
    assert proc.returncode == 0


def test_the_environment_preloads_jemalloc_once_and_keeps_what_was_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: f"lib{name}.so.2")
    monkeypatch.setattr(serving, "jemalloc_active", lambda: False)
    env = serving.jemalloc_environ({"LD_PRELOAD": "libother.so", "PATH": "/bin"})
    assert env is not None
    assert env["LD_PRELOAD"] == "libother.so libjemalloc.so.2"
    assert env["MALLOC_CONF"] == serving.JEMALLOC_CONF and env["PATH"] == "/bin"
    # A MALLOC_CONF of the operator's wins; a re-run never runs again.
    assert serving.jemalloc_environ({"MALLOC_CONF": "narenas:1"}) == {
        "MALLOC_CONF": "narenas:1",
        "LD_PRELOAD": "libjemalloc.so.2",
        "TARJAMA_JEMALLOC_RERUN": "1",
    }
    assert serving.jemalloc_environ(env) is None
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    assert serving.jemalloc_environ({}) is None
