"""Files over HTTP: LibreTranslate's upload-then-download flow, the native endpoint with the
file beside its report, results kept privately in the home, and bad uploads refused."""

from __future__ import annotations

import base64
import io
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from fastapi.testclient import TestClient
from lxml import etree

from tarjama.engines import Engine
from tarjama.engines.loader import load_engine
from tarjama.server import files

from ..formats import samples
from .conftest import MakeClient

TYPES = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xliff": "application/xliff+xml",
    "xliff2": "application/xliff+xml",
    "srt": "application/x-subrip; charset=utf-8",
    "vtt": "text/vtt; charset=utf-8",
    "markdown": "text/markdown; charset=utf-8",
}


@pytest.fixture(scope="module")
def engine(tiny_model_dir: Path) -> Engine:
    return load_engine(tiny_model_dir, device="cpu", beam_size=1)


@pytest.fixture
def client(make_client: MakeClient, engine: Engine, home: Path) -> Iterator[TestClient]:
    with make_client(engine, home=home, raise_server_exceptions=False) as c:
        yield c


def upload(client: TestClient, name: str, data: bytes, **fields: str) -> Any:
    """The client's response (an httpx or httpx2 one, by Starlette's version)."""
    form = {"source": "ar", "target": "en", **fields}
    return client.post("/translate_file", data=form, files={"file": (name, data)})


def test_settings_announce_file_translation(client: TestClient) -> None:
    body = client.get("/frontend/settings").json()
    assert body["filesTranslation"] is True
    for ext in (".html", ".docx", ".xlf", ".srt", ".vtt", ".md", ".txt"):
        assert ext in body["supportedFilesFormat"]


@pytest.mark.parametrize("key", list(samples.SAMPLES))
def test_upload_then_download_the_same_type(client: TestClient, key: str) -> None:
    name, build = samples.SAMPLES[key]
    r = upload(client, name, build())
    assert r.status_code == 200, r.text
    url = r.json()["translatedFileUrl"]
    assert url.startswith("http://testserver/download_file/")
    got = client.get(url)
    assert got.status_code == 200
    assert got.headers["content-type"] == TYPES[key]
    expected = name.replace(".", ".en.", 1)
    assert f'filename="{expected}"' in got.headers["content-disposition"]
    if key == "docx":
        assert docx.Document(io.BytesIO(got.content)).paragraphs
    elif key.startswith("xliff"):
        assert etree.QName(etree.fromstring(got.content)).localname == "xliff"
    else:
        assert got.content.strip()


def test_plain_text_files_are_translated_too(client: TestClient) -> None:
    r = upload(
        client, "story.txt", "قال الرئيس إن الخطة جاهزة.\nوأضاف أن الميناء سيفتح غدا.\n".encode()
    )
    got = client.get(r.json()["translatedFileUrl"])
    assert got.headers["content-type"] == "text/plain; charset=utf-8"
    assert 'filename="story.en.txt"' in got.headers["content-disposition"]
    assert len(got.text.splitlines()) == 2


def test_results_are_private_random_and_expire(
    client: TestClient, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = upload(client, "a.md", samples.markdown()).json()["translatedFileUrl"]
    second = upload(client, "a.md", samples.markdown()).json()["translatedFileUrl"]
    assert first != second
    folder = home / "results"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    stored = sorted(folder.iterdir())
    assert len(stored) == 2
    for path in stored:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert len(path.name.split(".", 1)[0]) == 22  # 128 random bits
    # An hour later the result is gone, and says so.
    old = time.time() - 2 * 3600
    os.utime(stored[0], (old, old))
    os.utime(stored[1], (old, old))
    r = client.get(first)
    assert r.status_code == 404
    assert r.json() == {"error": "Invalid request: no such file (it may have expired)"}
    assert client.get(second).status_code == 404
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("name", ["nothing.md", "..%2F..%2Fetc%2Fpasswd", "x" * 22 + ".md"])
def test_unknown_names_are_404(client: TestClient, name: str) -> None:
    r = client.get(f"/download_file/{name}")
    assert r.status_code == 404
    assert "error" in r.json()


def test_the_native_endpoint_returns_the_file_beside_its_report(client: TestClient) -> None:
    r = client.post(
        "/v1/translate",
        data={"source": "ar", "target": "en", "memory": "false"},
        files={"file": ("article.docx", samples.docx_document())},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["format"] == "docx"
    assert body["source"] == "ar" and body["target"] == "en"
    assert body["paragraphs"] and body["model"]["name"]
    assert body["file"]["name"] == "article.en.docx"
    assert body["file"]["media_type"] == TYPES["docx"]
    document = docx.Document(io.BytesIO(base64.b64decode(body["file"]["base64"])))
    assert sum(1 for p in document.paragraphs for run in p.runs if run.bold) == 1


def test_the_native_endpoint_detects_the_source_language(client: TestClient) -> None:
    r = client.post("/v1/translate", files={"file": ("a.srt", samples.srt())})
    assert r.status_code == 200, r.text
    assert (r.json()["source"], r.json()["target"]) == ("ar", "en")


def test_a_misspelt_field_with_a_file_is_an_error(client: TestClient) -> None:
    r = client.post(
        "/v1/translate", data={"glosary": "desk"}, files={"file": ("a.md", samples.markdown())}
    )
    assert r.status_code == 400
    assert r.json() == {"error": "Invalid request: unknown field 'glosary'"}


def test_json_requests_to_the_native_endpoint_are_unchanged(client: TestClient) -> None:
    r = client.post("/v1/translate", json={"text": "قال الرئيس.", "source": "ar"})
    assert r.status_code == 200
    assert "file" not in r.json() and "format" not in r.json()


BAD = [
    ("missing", None, None, 400, "Invalid request: missing file parameter"),
    ("pdf", "report.pdf", b"%PDF-1.4", 400, "files are not supported"),
    ("not-a-zip", "a.docx", b"plain words", 400, "is not a DOCX file (not a zip archive)"),
    ("xxe", "a.xlf", None, 400, "declares XML entities"),
    (
        "broken-srt",
        "a.srt",
        "1\n00:00:01,000 --> 00:00:0x,000\nنص\n".encode(),
        400,
        "broken timings",
    ),
    ("lying-html", "a.html", None, 400, "its content is Word document"),
]


@pytest.mark.parametrize(
    ("case", "name", "data", "status", "message"), BAD, ids=[b[0] for b in BAD]
)
def test_bad_uploads_are_refused_and_nothing_is_stored(
    client: TestClient,
    home: Path,
    case: str,
    name: str | None,
    data: bytes | None,
    status: int,
    message: str,
) -> None:
    if case == "xxe":
        data = (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"/>'
        )
    if case == "lying-html":
        data = samples.docx_document()
    if name is None:
        r = client.post("/translate_file", data={"source": "ar", "target": "en"})
    else:
        r = upload(client, name, data or b"")
    assert r.status_code == status
    assert message in r.json()["error"]
    assert not (home / "results").exists() or list((home / "results").iterdir()) == []


def test_an_upload_over_the_limit_is_413(
    make_client: MakeClient, engine: Engine, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "UPLOAD_LIMIT", 64 * 1024)
    with make_client(engine, home=home, raise_server_exceptions=False) as c:
        # Past the file limit: refused after reading just past it ...
        r = upload(c, "big.html", b"<p>" + b"x" * 100_000 + b"</p>")
        assert r.status_code == 413
        assert r.json()["error"] == "Invalid request: file too large (the limit is 65536 bytes)"
        # ... and a body past every limit before anything reads it.
        r = upload(c, "huge.html", b"<p>" + b"x" * 3_000_000 + b"</p>")
        assert r.status_code == 413
        assert "body too large" in r.json()["error"]
    assert not (home / "results").exists()


def test_json_bodies_keep_their_own_limit(client: TestClient) -> None:
    r = client.post(
        "/v1/translate",
        content=b"{" + b" " * 3_000_000 + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 413


def test_the_character_limit_applies_to_documents(
    make_client: MakeClient, engine: Engine, home: Path
) -> None:
    with make_client(engine, home=home, char_limit=50, raise_server_exceptions=False) as c:
        r = upload(c, "a.html", samples.html_page())
    assert r.status_code == 400
    assert "characters to translate; the limit is 50" in r.json()["error"]


def test_files_follow_the_key_rules(make_client: MakeClient, engine: Engine, home: Path) -> None:
    """As /translate: with keys on, a keyless upload passes unless a rule requires a key
    (--under-attack here: 400, LibreTranslate's answer); a wrong key is 403."""
    from tarjama.workspace import Workspace

    keys = Workspace.open(home).keys()
    for under_attack, keyless in ((False, 200), (True, 400)):
        settings = {"home": home, "api_keys": True, "under_attack": under_attack}
        with make_client(engine, keys=keys, raise_server_exceptions=False, **settings) as c:
            r = upload(c, "a.md", samples.markdown())
            assert r.status_code == keyless, r.text
            assert upload(c, "a.md", samples.markdown(), api_key="nope").status_code == 403
            key, _ = keys.add("desk")
            ok = upload(c, "a.md", samples.markdown(), api_key=key)
            assert ok.status_code == 200, ok.text


def test_files_can_be_turned_off(make_client: MakeClient, engine: Engine, home: Path) -> None:
    with make_client(engine, home=home, files_translation=False) as c:
        for path in ("/translate_file", "/v1/translate"):
            r = c.post(path, files={"file": ("a.md", samples.markdown())})
            assert r.status_code == 403
            assert r.json() == {"error": "Files translation are disabled on this server."}
        assert c.get("/frontend/settings").json()["supportedFilesFormat"] == []
