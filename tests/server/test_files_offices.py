"""ODT, ODP, PPTX and EPUB over LibreTranslate's file endpoints: advertised, translated
and downloaded in their own type; PDF neither advertised nor taken, with what to convert
it to; a lying or mislabelled office file a 400 with ``{"error"}``."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tarjama import formats

from ..fakes import FakeEngine
from ..formats import offices
from ..formats.hostile import lying_zip
from .conftest import MakeClient
from .test_files import upload

BUILD: dict[str, Callable[[], bytes]] = {
    "odt": offices.odt,
    "odp": offices.odp,
    "pptx": offices.pptx,
    "epub": offices.epub,
}


@pytest.fixture
def client(make_client: MakeClient, home: Path) -> Iterator[TestClient]:
    with make_client(FakeEngine(), home=home, raise_server_exceptions=False) as c:
        yield c


def test_settings_advertise_the_office_formats_and_not_pdf(client: TestClient) -> None:
    listed = client.get("/frontend/settings").json()["supportedFilesFormat"]
    assert {".odt", ".odp", ".pptx", ".epub"} <= set(listed)
    assert ".pdf" not in listed


@pytest.mark.parametrize("kind", BUILD)
def test_upload_then_download_an_office_file(client: TestClient, kind: str) -> None:
    source = BUILD[kind]()
    r = upload(client, f"story.{kind}", source)
    assert r.status_code == 200, r.text
    got = client.get(r.json()["translatedFileUrl"])
    assert got.status_code == 200
    assert got.headers["content-type"] == formats.media_type(kind)
    assert f'filename="story.en.{kind}"' in got.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(got.content)) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == zipfile.ZipFile(io.BytesIO(source)).namelist()
    after = formats.read(got.content, kind).blocks
    before = formats.read(source, kind).blocks
    assert len(after) == len(before)
    assert [a.text for a in after] != [b.text for b in before]  # the fake engine's marks


def test_pdf_is_a_400_that_says_what_to_convert_it_to(client: TestClient) -> None:
    r = upload(client, "report.pdf", b"%PDF-1.4\n")
    assert r.status_code == 400
    assert "convert it to DOCX or ODT" in r.json()["error"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "liar.pptx",
            lying_zip("ppt/slides/slide1.xml", b"<p/>" * 2**18, 1000, 1000, b"<r>"),
            "holds more than the 1000 bytes it declares",
        ),
        ("story.pptx", offices.odt(), "its content is OpenDocument text"),
        ("story.epub", offices.pptx(), "its content is Word document or PowerPoint"),
    ],
    ids=["lying", "odt-as-pptx", "pptx-as-epub"],
)
def test_a_bad_office_file_is_a_400(
    client: TestClient, name: str, data: bytes, message: str
) -> None:
    r = upload(client, name, data)
    assert r.status_code == 400
    assert message in r.json()["error"]
