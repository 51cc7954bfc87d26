"""A document format registered once in :mod:`tarjama.formats` is served like the built-in
ones: announced in ``supportedFilesFormat``, translated by ``/translate_file`` and
``/v1/translate``, downloaded with its media type."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tarjama import formats

from ..batch.conftest import SENTENCES
from ..batch.ledger import LedgerFormat, ledger
from .conftest import MakeClient


@pytest.fixture
def client(make_client: MakeClient, tiny_model_dir: Path, home: Path) -> Iterator[TestClient]:
    from tarjama.engines.loader import load_engine

    fmt = formats.register(LedgerFormat())
    try:
        engine = load_engine(tiny_model_dir, device="cpu", beam_size=1)
        with make_client(engine, home=home, raise_server_exceptions=False) as c:
            yield c
    finally:
        formats.REGISTRY.unregister(fmt.kind)


def test_a_registered_format_is_announced_translated_and_downloaded(client: TestClient) -> None:
    assert ".ledger" in client.get("/frontend/settings").json()["supportedFilesFormat"]
    data = ledger(SENTENCES[:2])
    r = client.post(
        "/v1/translate", data={"source": "ar", "target": "en"}, files={"file": ("a.ledger", data)}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["format"] == "ledger" and body["file"]["name"] == "a.en.ledger"
    assert body["file"]["media_type"] == LedgerFormat.media_type
    out = base64.b64decode(body["file"]["base64"]).decode("utf-8").splitlines()
    assert out[:2] == ["LEDGER", "# entry 0"] and out[2].startswith("> ")
    assert len(body["paragraphs"]) == 2
    r = client.post(
        "/translate_file", data={"source": "ar", "target": "en"}, files={"file": ("a.ledger", data)}
    )
    assert r.status_code == 200, r.text
    got = client.get(r.json()["translatedFileUrl"])
    assert got.headers["content-type"] == LedgerFormat.media_type
    assert got.content.decode("utf-8").splitlines() == out
