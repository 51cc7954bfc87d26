"""The README's first hour works as written, offline: its "model on disk" quickstart (the
``sh`` block) run line by line against a tiny model, the server it starts answering with
the page, and its Python example (the ``python`` block) run as it stands."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from .servers import free_port, stop_server

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", README, flags=re.MULTILINE | re.DOTALL)


@pytest.fixture
def user(tmp_path: Path, tiny_model_dir: Path) -> tuple[Path, dict[str, str]]:
    """A clone's folder and a shell environment: an empty home, the tiny model on disk."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    bindir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "TARJAMA_HOME": str(tmp_path / "home"),
        "MODEL_DIR": str(tiny_model_dir),
        "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}",
        "HF_HUB_OFFLINE": "1",
    }
    return tmp_path, env


def test_the_quickstart_works_offline(user: tuple[Path, dict[str, str]]) -> None:
    cwd, env = user
    (block,) = blocks("sh")
    lines = [line for line in block.splitlines() if line.strip()]
    *commands, serve = lines
    assert serve.startswith("tarjama serve ")
    for line in commands:
        ran = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", line],
            cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert ran.returncode == 0, f"{line}\n{ran.stderr}"
    assert (cwd / "home" / "models" / "my-model").is_dir()
    assert '"paragraphs"' in (cwd / "report.json").read_text(encoding="utf-8")
    port = free_port()
    proc = subprocess.Popen(
        ["bash", "-c", "exec " + serve.replace("--port 5000", f"--port {port}")],
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        _wait(proc, url)
        page = httpx.get(f"{url}/", timeout=10)
        assert page.status_code == 200 and "translate-document" in page.text
        assert "http://127.0.0.1:5000/" in README  # what the README says to open
    finally:
        stop_server(proc)


def _wait(proc: subprocess.Popen[bytes], url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"tarjama serve exited with {proc.returncode}"
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"tarjama serve did not start within {timeout:.0f} s")


def test_the_python_example_runs_as_written(user: tuple[Path, dict[str, str]]) -> None:
    cwd, env = user
    setup = subprocess.run(
        ["bash", "-c", blocks("sh")[0].splitlines()[0]], cwd=cwd, env=env, capture_output=True
    )
    assert setup.returncode == 0, setup.stderr
    (example,) = [b for b in blocks("python") if "Translator.load" in b]
    ran = subprocess.run(
        [sys.executable, "-c", example], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
