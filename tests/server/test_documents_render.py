"""A translated document written again with the editor's changes
(``POST /v1/documents/{id}/render``): every format, codes placed as before where nothing
changed, an edited sentence's codes by alignment or by order and flagged, XLIFF states by
review, and kept documents private to their key and expiring."""

from __future__ import annotations

import base64
import io
import os
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from fastapi.testclient import TestClient
from lxml import etree

from tarjama.engines import Engine
from tarjama.engines.loader import load_engine
from tarjama.store.keys import KeyStore

from ..formats import samples
from .conftest import MakeClient

EDITED = "President Salem Naimi opened the new port on Sunday morning."


@pytest.fixture(scope="module")
def engine(tiny_model_dir: Path) -> Engine:
    return load_engine(tiny_model_dir, device="cpu", beam_size=1)


@pytest.fixture
def client(make_client: MakeClient, engine: Engine, home: Path) -> Iterator[TestClient]:
    with make_client(engine, home=home, raise_server_exceptions=False) as c:
        yield c


def translate(client: TestClient, name: str, data: bytes, **fields: str) -> dict[str, Any]:
    form = {"source": "ar", "target": "en", **fields}
    r = client.post("/v1/translate", data=form, files={"file": (name, data)})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def render(client: TestClient, doc_id: str, segments: list[dict[str, Any]], **more: Any) -> Any:
    return client.post(f"/v1/documents/{doc_id}/render", json={"segments": segments, **more})


def file_bytes(body: dict[str, Any]) -> bytes:
    return base64.b64decode(body["file"]["base64"])


def where(body: dict[str, Any], words: str) -> tuple[int, int]:
    """(paragraph, segment) of the first sentence whose source holds ``words``."""
    for para in body["paragraphs"]:
        for seg in para["segments"]:
            if words in seg["source"]:
                return para["index"], seg["index"]
    raise AssertionError(words)


def part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name)


@pytest.mark.parametrize("key", list(samples.SAMPLES))
def test_nothing_edited_gives_the_same_document(client: TestClient, key: str) -> None:
    """Every format renders again from what was kept, codes exactly where they were."""
    name, build = samples.SAMPLES[key]
    first = translate(client, name, build())
    again = render(client, first["document"]["id"], [])
    assert again.status_code == 200, again.text
    body = again.json()
    assert body["file"]["name"] == first["file"]["name"]
    assert body["text"] == first["text"]
    if key == "docx":  # a zip's timestamps differ; its parts do not
        for inner in ("word/document.xml", "word/footnotes.xml"):
            assert part(file_bytes(body), inner) == part(file_bytes(first), inner)
    else:
        assert file_bytes(body) == file_bytes(first)


def test_an_edited_docx_sentence_lands_in_its_paragraph_with_its_runs(client: TestClient) -> None:
    first = translate(client, "port.docx", samples.docx_document())
    para, seg = where(first, "سالم النعيمي")
    r = render(
        client,
        first["document"]["id"],
        [{"paragraph": para, "index": seg, "translation": EDITED, "review": "approved"}],
    )
    assert r.status_code == 200, r.text
    body = r.json()
    edited = body["paragraphs"][para]["segments"][seg]
    assert edited["translation"] == EDITED and edited["origin"] == "editor"
    # Its bold went by the model's alignment of the edited words or, where that is unsure,
    # by order, and the report says which (test_documents_realign.py tells them apart).
    assert any(
        "placed by word order" in i["message"] or "placed by word alignment" in i["message"]
        for i in edited["issues"]
    )
    new = docx.Document(io.BytesIO(file_bytes(body)))
    old = docx.Document(io.BytesIO(file_bytes(first)))
    hit = [p for p in new.paragraphs if "President Salem Naimi opened" in p.text]
    assert len(hit) == 1
    bold = [r.text for r in hit[0].runs if r.bold]
    assert bold and all(b.strip() in EDITED for b in bold)  # the bold run holds edited words
    # The other paragraphs are what they were.
    changed = [
        (a.text, b.text)
        for a, b in zip(old.paragraphs, new.paragraphs, strict=True)
        if a.text != b.text
    ]
    assert len(changed) == 1


def _states(data: bytes) -> dict[str, tuple[str | None, str | None]]:
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    root = etree.fromstring(data)
    return {
        u.get("id"): (
            u.find("x:target", ns).get("state"),
            u.find("x:target", ns).get("state-qualifier"),
        )
        for u in root.iterfind(".//x:trans-unit", ns)
    }


def test_xliff_states_follow_the_review(client: TestClient) -> None:
    first = translate(client, "port.xlf", samples.xliff12())
    paras = first["paragraphs"]
    approved = [
        {"paragraph": 0, "index": s["index"], "translation": s["translation"], "review": "approved"}
        for s in paras[0]["segments"]
    ]
    edited = {
        "paragraph": 3,
        "index": 0,
        "translation": "The port manager spoke.",
        "review": "edited",
    }
    r = render(client, first["document"]["id"], [*approved, edited])
    assert r.status_code == 200, r.text
    before, after = _states(file_bytes(first)), _states(file_bytes(r.json()))
    assert after["1"] == ("final", None)
    assert after["4"] == ("translated", None)
    for unit in ("2", "3", "final"):  # the rest keep their state
        assert after[unit] == before[unit]
    assert before["2"][0] == "needs-review-translation" or before["2"][1] == "leveraged-mt"


def test_a_plain_text_document_renders_too(client: TestClient) -> None:
    first = translate(client, "a.txt", "قال الرئيس. وأضاف الوزير.\n\nانتهى الاجتماع.\n".encode())
    r = render(
        client, first["document"]["id"], [{"paragraph": 1, "index": 0, "translation": "It ended."}]
    )
    assert r.status_code == 200, r.text
    text = file_bytes(r.json()).decode()
    assert text.endswith("\n\nIt ended.\n") and text.split("\n")[0] == first["text"].split("\n")[0]


@pytest.mark.parametrize(
    ("segments", "status", "says"),
    [
        ([{"paragraph": 99, "index": 0, "translation": "x"}], 400, "no sentence 100.1"),
        ([{"paragraph": 0, "index": 0, "translation": 5}], 400, "translation is text"),
        ([{"paragraph": "0", "index": 0, "translation": "x"}], 400, "integers"),
        ([{"paragraph": 0, "index": 0, "translation": "x", "review": "final"}], 400, "review"),
        ("all", 400, "must be a list"),
    ],
)
def test_bad_edits_are_refused(client: TestClient, segments: Any, status: int, says: str) -> None:
    first = translate(client, "a.md", samples.markdown())
    r = render(client, first["document"]["id"], segments)
    assert r.status_code == status and says in r.json()["error"]


def test_an_unknown_or_expired_document_is_gone(client: TestClient, home: Path) -> None:
    assert render(client, "A" * 22 + ".document.json", []).status_code == 404
    assert render(client, "../../etc/passwd", []).status_code == 404
    first = translate(client, "a.md", samples.markdown())
    (kept,) = (home / "documents").iterdir()
    assert kept.stat().st_mode & 0o077 == 0  # private to the server's user
    past = time.time() - 2 * 3600
    os.utime(kept, (past, past))
    r = render(client, first["document"]["id"], [])
    assert r.status_code == 404 and "expired" in r.json()["error"]


def test_a_kept_document_is_private_to_its_key(
    make_client: MakeClient, engine: Engine, home: Path
) -> None:
    store = KeyStore.in_home(home)
    mine, _ = store.add("desk-a")
    theirs, _ = store.add("desk-b")
    with make_client(engine, home=home, keys=store, api_keys=True) as c:
        first = translate(c, "a.md", samples.markdown(), api_key=mine)
        doc_id = first["document"]["id"]
        assert render(c, doc_id, [], api_key=theirs).status_code == 404
        assert render(c, doc_id, []).status_code == 404  # keyless neither
        assert render(c, doc_id, [], api_key=mine).status_code == 200


def test_xliff2_segments_approved_are_final(client: TestClient) -> None:
    first = translate(client, "port.xlf", samples.xliff20())
    approved = [
        {"paragraph": 0, "index": s["index"], "translation": s["translation"], "review": "approved"}
        for s in first["paragraphs"][0]["segments"]
    ]
    r = render(client, first["document"]["id"], approved)
    assert r.status_code == 200, r.text
    ns = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
    states = {
        s.get("id"): s.get("state")
        for s in etree.fromstring(file_bytes(r.json())).iterfind(".//x:segment", ns)
    }
    assert states["s1"] == "final" and states["s2"] == "translated" and states["sf"] == "final"


def test_a_damaged_kept_document_is_gone_not_a_crash(client: TestClient, home: Path) -> None:
    first = translate(client, "a.md", samples.markdown())
    (kept,) = (home / "documents").iterdir()
    kept.write_bytes(b"{not json")
    r = render(client, first["document"]["id"], [])
    assert r.status_code == 404 and "error" in r.json()
