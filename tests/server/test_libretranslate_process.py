"""`tarjama serve` as a real process, started the way operators start LibreTranslate:
with its flags and LT_* variables. Each flag is exercised against the running server."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from .. import commands
from ..servers import server_log, start_server, stop_server

pytestmark = pytest.mark.slow

FLAGS = [
    "--load-only", "ar,en", "--char-limit", "5000", "--req-limit", "100", "--api-keys",
    "--suggestions", "--disable-files-translation", "--url-prefix", "/lt", "--metrics",
    "--translation-cache", "all", "--update-models", "--shared-storage", "memory://",
]  # fmt: skip
KEY = "8d0a5e1c-brought-from-libretranslate"
BODY = {"q": "مرحبا", "source": "ar", "target": "en"}
#: The tiny model decodes to its length limit; on a busy machine that takes seconds.
http = httpx.Client(timeout=120)


def tarjama(home: Path, *args: str) -> None:
    """Set the home up in-process: the server's process is what this module tests."""
    r = commands.tarjama(*args, home=home)
    assert r.returncode == 0, r.stderr


@pytest.fixture(scope="module")
def served(
    tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    home = tmp_path_factory.mktemp("home")
    # Two installed models: ar->en, and the same weights declared en->ar.
    tarjama(home, "models", "add", str(tiny_model_dir), "--name", "ar-en")
    args = ["--name", "en-ar", "--source", "en", "--target", "ar"]
    tarjama(home, "models", "add", str(tiny_model_dir), *args)
    tarjama(home, "keys", "add", "--key", KEY, "--char-limit", "20")
    env = {**os.environ, "LT_FRONTEND_TIMEOUT": "750", "LT_BATCH_LIMIT": "4"}
    proc, url = start_server(None, home, *FLAGS, env=env, prefix="/lt")
    try:
        yield url, home
    finally:
        stop_server(proc)


def test_load_only(served: tuple[str, Path]) -> None:
    url, home = served
    assert http.get(f"{url}/languages").json() == [
        {"code": "ar", "name": "Arabic", "targets": ["ar", "en"]},
        {"code": "en", "name": "English", "targets": ["ar", "en"]},
    ]
    assert [m["name"] for m in http.get(f"{url}/v1/models").json()] == ["ar-en", "en-ar"]
    # A code no model serves stops the server before it listens, as in LibreTranslate.
    cmd = [sys.executable, "-m", "tarjama", "serve", "--home", str(home), "--load-only", "ar,de"]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "unavailable language codes de" in r.stderr


def test_url_prefix(served: tuple[str, Path]) -> None:
    url, _ = served
    root = url.removesuffix("/lt")
    r = http.get(f"{root}/translate")
    assert (r.status_code, r.headers["location"]) == (301, "/lt/")
    assert http.get(f"{url}/health").json() == {"status": "ok"}


def test_settings_from_flags_and_variables(served: tuple[str, Path]) -> None:
    url, _ = served
    s = http.get(f"{url}/frontend/settings").json()
    assert (s["charLimit"], s["batchLimit"], s["frontendTimeout"]) == (5000, 4, 750)
    assert (s["suggestions"], s["filesTranslation"], s["apiKeys"]) == (True, False, True)


def test_suggestions_and_no_files(served: tuple[str, Path]) -> None:
    """--suggestions: /suggest writes into the home's memory under the key's name;
    --disable-files-translation: /translate_file is refused with LibreTranslate's words."""
    url, home = served
    body = {"q": "وقال الوزير إن الميناء سيفتح", "s": "The minister said the port would open",
            "source": "ar", "target": "en"}  # fmt: skip
    r = http.post(f"{url}/suggest", json={**body, "api_key": KEY})
    assert (r.status_code, r.json()) == (200, {"success": True})
    # Keys are on: reading the memory needs one too.
    search = {"q": body["q"], "api_key": KEY}
    assert http.get(f"{url}/v1/memory/search", params={"q": body["q"]}).status_code == 403
    found = http.get(f"{url}/v1/memory/search", params=search).json()
    # Offered to editors, never used unseen: a suggestion, not an exact match.
    assert found["exact"] is None
    (match,) = found["suggestions"]
    assert (match["target"], match["origin"], match["score"]) == (body["s"], "suggestion", 1.0)
    assert match["author"] == "key#1"  # brought in by --key, without a name
    r = http.post(f"{url}/translate_file", files={"file": ("a.txt", "مرحبا".encode())},
                  data={"source": "ar", "target": "en"})  # fmt: skip
    assert (r.status_code, r.json()) == (
        403,
        {"error": "Files translation are disabled on this server."},
    )
    assert (home / "memory.sqlite").is_file()


def test_char_and_batch_limits(served: tuple[str, Path]) -> None:
    url, _ = served
    r = http.post(f"{url}/translate", json={**BODY, "q": "ب" * 5001})
    assert r.json() == {"error": "Invalid request: request (5001) exceeds text limit (5000)"}
    # Each item is under the limit, both together are not. (Digits: nothing to decode.)
    ok = http.post(f"{url}/translate", json={**BODY, "q": ["٢" * 4000, "٣" * 4000]})
    assert ok.json() == {"translatedText": ["٢" * 4000, "٣" * 4000]}
    r = http.post(f"{url}/translate", json={**BODY, "q": ["a"] * 5})
    assert r.json() == {"error": "Invalid request: request (5) exceeds text limit (4)"}


def test_api_keys(served: tuple[str, Path]) -> None:
    url, home = served
    assert http.post(f"{url}/translate", json=BODY).status_code == 200  # keyless: allowed
    r = http.post(f"{url}/translate", json={**BODY, "api_key": "not-a-key"})
    assert (r.status_code, r.json()) == (403, {"error": "Invalid API key"})
    r = http.post(f"{url}/translate", json={**BODY, "api_key": KEY, "q": "ب" * 21})
    assert r.json() == {"error": "Invalid request: request (21) exceeds text limit (20)"}
    assert http.post(f"{url}/translate", json={**BODY, "api_key": KEY}).status_code == 200
    assert (home / "keys.sqlite3").stat().st_mode & 0o777 == 0o600


def test_req_limit_per_route(served: tuple[str, Path]) -> None:
    url, _ = served
    with httpx.Client(base_url=url, timeout=120) as c:
        codes = [c.post("/detect", data={"q": "x", "api_key": KEY}).status_code for _ in range(101)]
    assert codes == [200] * 100 + [429]


def test_translation_cache(served: tuple[str, Path]) -> None:
    url, _ = served
    body = {**BODY, "q": "وقال الوزير إن الميناء سيفتح"}
    first = http.post(f"{url}/translate", json=body).json()
    assert http.post(f"{url}/translate", json=body).json() == first
    metrics = http.get(f"{url}/metrics").text
    hits = next(
        s.value
        for f in text_string_to_metric_families(metrics)
        for s in f.samples
        if s.name == "tarjama_translation_cache_hits_total"
    )
    assert hits >= 1


def test_metrics(served: tuple[str, Path]) -> None:
    url, _ = served
    http.post(f"{url}/translate", json=BODY)
    families = {f.name: f for f in text_string_to_metric_families(http.get(f"{url}/metrics").text)}
    requests = families["tarjama_http_requests"].samples
    assert any(
        s.labels == {"route": "/translate", "method": "POST", "status": "200"} and s.value >= 1
        for s in requests
    )
    assert {"tarjama_engine_batch_sentences", "tarjama_engine_queue_depth"} <= set(families)


def test_unknown_meaning_is_one_warning_line(served: tuple[str, Path]) -> None:
    url, home = served
    log = server_log(home, url)
    assert log.count("--update-models is ignored") == 1
    assert "shared-storage" not in log  # memory:// is what tarjama does anyway
    assert "Traceback" not in log


@pytest.mark.needs_chromium
def test_the_page_works_under_the_prefix(served: tuple[str, Path]) -> None:
    """The page asks the API relative to itself: under /lt it must reach /lt/..."""
    from playwright import sync_api

    from ..servers import launch_chromium

    url, _ = served
    with sync_api.sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{url}/")
            page.wait_for_selector("#source option", state="attached")
            box = page.locator("#source-text")
            box.fill("مرحبا بكم")
            box.press("Control+Enter")
            page.wait_for_selector("#result:not([hidden]) .pair", timeout=120_000)
            assert errors == []
        finally:
            browser.close()
