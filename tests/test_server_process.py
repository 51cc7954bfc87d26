"""`tarjama serve` as a real process: it starts on the flags and environment it is given,
answers on loopback, and stops cleanly. The helpers here start it for the browser and
load tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    model_dir: Path, home: Path, *extra: str, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """`python -m tarjama serve` on a free port; returns the process and its base URL."""
    port = free_port()
    cmd = [sys.executable, "-m", "tarjama", "serve", "--model", str(model_dir)]
    cmd += ["--port", str(port), "--home", str(home), *extra]
    log = home / "server.log"  # a file, not a pipe: nobody reads it while it runs
    with log.open("wb") as sink:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=sink, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
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
    raise RuntimeError("server did not start within 60 s")


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


def test_serve_process_takes_environment_and_stops_cleanly(
    tiny_model_dir: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "TARJAMA_CHAR_LIMIT": "123", "TARJAMA_BATCH_LIMIT": "7"}
    proc, url = start_server(tiny_model_dir, tmp_path, env=env)
    try:
        settings = httpx.get(f"{url}/frontend/settings").json()
        assert (settings["charLimit"], settings["batchLimit"]) == (123, 7)
        r = httpx.post(f"{url}/translate", json={"q": "مرحبا", "source": "ar", "target": "en"})
        assert r.status_code == 200 and r.json()["translatedText"]
        assert httpx.get(f"{url}/docs").status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
