"""``tarjama serve --llm-post-edit LLM``: the NMT models the LLM's pairs cover are served
post-edited (the workspace's serving plan assembles it), so ``/v1/translate`` and
LibreTranslate's ``/translate`` answer with the edits that pass the checks, the report
counts them, and a request may ask for the draft alone. The loopback stub plays the LLM."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tarjama.cli import main
from tarjama.workspace import Workspace

from ..llm_stub import Stub, romanized, serve_stub

AR = ["قال الرئيس إن الخطة جاهزة للتنفيذ.", "وصلت 7 سفن إلى الميناء أمس."]
TEXT = " ".join(AR)


@pytest.fixture
def stub() -> Iterator[Stub]:
    yield from serve_stub()


@pytest.fixture
def installed(stub: Stub, home: Path, copy_model_dir: Path) -> Workspace:
    """The copy model as ``nmt`` (ar->en) and ``nmt-en-ar``, the stub as ``llm`` (ar->en)."""
    ws = Workspace.open(home)
    ws.add_model(copy_model_dir, "nmt")
    ws.add_model(copy_model_dir, "nmt-en-ar", source="en", target="ar")
    ws.add_endpoint("llm", url=stub.url, model="m")
    return ws


def serve(home: Path, *args: str) -> int:
    return main(["serve", "--home", str(home), "--port", "0", *args])


def drafts(ws: Workspace, texts: list[str]) -> list[str]:
    """What the NMT model alone says (the copy model: its source back)."""
    return [h.text for h in ws.engine("nmt").translate_batch(texts, "ar", "en")]


def test_the_served_model_answers_with_the_edits_and_counts_them(
    stub: Stub, installed: Workspace, home: Path, served: dict[str, Any]
) -> None:
    served_models = ("--model", "nmt", "--model", "nmt-en-ar", "--model", "llm")
    assert serve(home, *served_models, "--llm-post-edit", "llm") == 0
    with TestClient(served["app"], base_url="http://127.0.0.1") as client:
        body = client.post("/v1/translate", json={"text": TEXT}).json()
        libre = client.post("/translate", json={"q": AR, "source": "ar", "target": "en"}).json()
        models = {m["name"]: m for m in client.get("/v1/models").json()}
    assert body["text"] == romanized(TEXT)
    segments = body["paragraphs"][0]["segments"]
    assert [s["origin"] for s in segments] == ["llm-edit", "llm-edit"]
    assert body["post_edit"] == {"edits_kept": 2}
    assert body["model"]["name"] == "nmt" and body["model"]["signature"]["post_edit"] == "llm:m"
    # The LLM was shown the NMT model's draft to edit.
    user = stub.requests[0][1]["messages"][-1]["content"]
    assert "<draft>\n1. " + drafts(installed, AR)[0] in user
    assert libre["translatedText"] == [romanized(t) for t in AR]
    assert models["nmt"]["post_edit"] == {"model": "llm", "pairs": [["ar", "en"]]}
    assert models["nmt"]["signature"]["post_edit"] == "llm:m"
    assert "post_edit" not in models["nmt-en-ar"]  # the LLM does not translate en->ar
    assert "post_edit" not in models["llm"]  # served as a model too: never its own editor


def test_an_edit_that_fails_a_check_is_not_kept(
    stub: Stub, installed: Workspace, home: Path, served: dict[str, Any]
) -> None:
    assert serve(home, "--model", "nmt", "--llm-post-edit", "llm") == 0
    stub.script = [("replace", ("7", ""))]  # the edit of the second sentence drops its number
    with TestClient(served["app"], base_url="http://127.0.0.1") as client:
        body = client.post("/v1/translate", json={"text": TEXT}).json()
    first, second = body["paragraphs"][0]["segments"]
    assert first["origin"] == "llm-edit" and first["translation"] == romanized(AR[0])
    assert second["origin"] == "model" and second["translation"] == drafts(installed, AR)[1]
    assert "7" in second["translation"]
    assert body["post_edit"] == {"edits_kept": 1}


def test_a_request_may_ask_for_the_draft_alone_but_not_for_an_edit_the_server_lacks(
    stub: Stub,
    installed: Workspace,
    home: Path,
    served: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TARJAMA_LLM_POST_EDIT", "llm")  # the variable, as a container sets it
    assert serve(home, "--model", "nmt", "--model", "nmt-en-ar") == 0
    with TestClient(served["app"], base_url="http://127.0.0.1") as client:
        plain = client.post("/v1/translate", json={"text": TEXT, "post_edit": False})
        asked = client.post("/v1/translate", json={"text": TEXT, "post_edit": True})
        other = client.post(
            "/v1/translate",
            json={"text": "The plan is ready.", "source": "en", "target": "ar", "post_edit": True},
        )
        typo = client.post("/v1/translate", json={"text": TEXT, "post_edit": "yes"})
    assert plain.status_code == 200
    assert plain.json()["text"] == " ".join(drafts(installed, AR))
    assert "post_edit" not in plain.json()
    assert "post_edit" not in plain.json()["model"]["signature"]
    assert len(stub.requests) == 1  # only the request that asked for the edit reached the LLM
    assert asked.json()["post_edit"] == {"edits_kept": 2}
    assert other.status_code == 400
    assert "not post-edited" in other.json()["error"]
    assert typo.status_code == 400 and "post_edit must be true or false" in typo.json()["error"]


def test_a_bad_post_editor_stops_the_server_at_start_with_one_line(
    installed: Workspace,
    home: Path,
    served: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    cases = [
        (["--model", "nmt", "--llm-post-edit", "nmt"], "takes an endpoint model"),
        (["--model", "nmt", "--llm-post-edit", "missing"], "unknown model 'missing'"),
        (["--model", "nmt-en-ar", "--llm-post-edit", "llm"], "no served NMT model translates"),
    ]
    for args, says in cases:
        assert serve(home, *args) == 2
        err = capsys.readouterr().err
        assert says in err and len(err.strip().splitlines()) == 1, err
    assert not served  # nothing was served
