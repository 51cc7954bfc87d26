"""`tarjama serve` as a real process: it starts on the flags and environment it is given,
answers on loopback, and stops cleanly."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import httpx
import pytest

from ..servers import start_server

pytestmark = pytest.mark.slow


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
