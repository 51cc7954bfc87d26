"""A document's blocks already in the target language are kept as written, on both file
endpoints, unless the request says ``translate_all``."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from .conftest import MakeClient

ENGLISH = "The minister said nothing at all today."
PAGE = f"<p>قال الرئيس إن الخطة جاهزة.</p><p>{ENGLISH}</p>".encode()


@pytest.fixture
def client(make_client: MakeClient, home: Path) -> Iterator[TestClient]:
    with make_client(home=home, raise_server_exceptions=False) as c:
        yield c


def _native(client: TestClient, **fields: str) -> tuple[str, dict[str, object]]:
    form = {"source": "ar", "target": "en", **fields}
    r = client.post("/v1/translate", data=form, files={"file": ("a.html", PAGE)})
    assert r.status_code == 200, r.text
    body = r.json()
    return base64.b64decode(body["file"]["base64"]).decode(), body


@pytest.mark.parametrize("value", ["", "false", "0"])
def test_the_native_endpoint_keeps_target_language_blocks(client: TestClient, value: str) -> None:
    out, body = _native(client, **({"translate_all": value} if value else {}))
    assert f"<p>{ENGLISH}</p>" in out
    assert body["already_in_target"] == 1


@pytest.mark.parametrize("value", ["true", "1", "yes"])
def test_translate_all_sends_them_to_the_model(client: TestClient, value: str) -> None:
    out, body = _native(client, translate_all=value)
    assert f"<p>{ENGLISH}</p>" not in out  # the fake engine wrote it as <…>
    assert "already_in_target" not in body


def test_the_libretranslate_endpoint_takes_the_option_too(client: TestClient) -> None:
    def download(**fields: str) -> str:
        form = {"source": "ar", "target": "en", **fields}
        r = client.post("/translate_file", data=form, files={"file": ("a.html", PAGE)})
        assert r.status_code == 200, r.text
        url = r.json()["translatedFileUrl"]
        return client.get(url[url.index("/download_file/") :]).text

    assert f"<p>{ENGLISH}</p>" in download()
    assert f"<p>{ENGLISH}</p>" not in download(translate_all="true")


def test_a_bad_value_is_a_400(client: TestClient) -> None:
    r = client.post(
        "/v1/translate", data={"translate_all": "maybe"}, files={"file": ("a.html", PAGE)}
    )
    assert r.status_code == 400
    assert r.json() == {"error": "Invalid request: translate_all must be true or false"}
