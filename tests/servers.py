"""Helpers that start `tarjama serve` and Chromium for the process, browser and load tests,
the screenshot script and the server benchmark (a helper module: it holds no tests)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

#: Debian's Chromium; Playwright never downloads a browser here (tests that need it are
#: marked ``needs_chromium``; conftest.py skips them, with the reason, where it is absent).
CHROMIUM = Path(os.environ.get("TARJAMA_CHROMIUM", "/usr/bin/chromium"))
#: Headless, and quiet: the machine's closed network refuses Chromium's background calls.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def launch_chromium(playwright: Any) -> Any:
    """Debian's Chromium through Playwright's sync API."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@contextmanager
def chromium() -> Iterator[Any]:
    """A launched Debian Chromium, closed afterwards (Playwright is imported only here: the
    server benchmark uses this module without it)."""
    from playwright import sync_api

    with sync_api.sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            yield browser
        finally:
            browser.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    model_dir: Path | None,
    home: Path,
    *extra: str,
    env: dict[str, str] | None = None,
    timeout: float = 60,
    prefix: str = "",
    address: str = "127.0.0.1",
) -> tuple[subprocess.Popen[bytes], str]:
    """`python -m tarjama serve` on a free port; returns the process and its base URL
    (with ``prefix``, the server's --url-prefix). Without ``model_dir``, the home's
    installed models are served. ``address``: where to reach it (a server started with
    ``--host`` of another interface; 0.0.0.0 is reached on 127.0.0.1)."""
    port = free_port()
    cmd = [sys.executable, "-m", "tarjama", "serve"]
    cmd += ["--model", str(model_dir)] if model_dir is not None else []
    cmd += ["--port", str(port), "--home", str(home), *extra]
    home.mkdir(parents=True, exist_ok=True)
    # A file, not a pipe: nobody reads it while it runs. One per port: servers may share a home.
    log = home / f"server-{port}.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=sink, env=env)
    reach = "127.0.0.1" if address == "0.0.0.0" else address
    url = f"http://{reach}:{port}{prefix}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = log.read_text(errors="replace")
            raise RuntimeError(f"server exited with {proc.returncode}: {err}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"server did not start within {timeout:.0f} s")


@contextmanager
def serving(model_dir: Path, home: Path, *extra: str) -> Iterator[str]:
    """`tarjama serve` for the length of a ``with``; yields its base URL."""
    proc, url = start_server(model_dir, home, *extra)
    try:
        yield url
    finally:
        stop_server(proc)


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def rss_bytes(pid: int) -> int:
    """Resident memory of a process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def server_log(home: Path, url: str) -> str:
    """What the server started by :func:`start_server` at ``url`` wrote to stderr."""
    port = url.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1]
    return (home / f"server-{port}.log").read_text(encoding="utf-8", errors="replace")
