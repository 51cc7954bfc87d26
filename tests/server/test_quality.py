"""The fidelity side of the native API: glossaries and the translation memory on
/v1/translate, and /v1/check and /v1/evaluate agreeing with the library calls behind
`tarjama check` and `tarjama evaluate`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tarjama.archive import Entry, TranslationMemory
from tarjama.evaluate import evaluate
from tarjama.fidelity import check_paragraphs
from tarjama.fidelity.glossary import Glossary
from tarjama.fidelity.names import NameMatcher
from tarjama.fidelity.risk import ranked
from tarjama.pipeline import Translator
from tarjama.text import romanize

from ..conftest import ARTICLE_AR, ARTICLE_EN
from ..fakes import FakeEngine
from .conftest import MakeClient

TEXT = "قال الرئيس بوتين إن المحادثات كانت مفيدة.\nوصل بوتين إلى جدة."
GLOSSARY = "بوتين,Putin\nجدة,Jeddah\n"


@pytest.fixture
def client(make_client: MakeClient, tmp_path: Path) -> Iterator[TestClient]:
    with make_client(home=tmp_path) as c:
        yield c


def library(text: str, glossary: Glossary | None) -> object:
    translator = Translator(FakeEngine(), source="ar", target="en", glossary=glossary)
    return translator.translate_document(text).to_json()


def test_named_glossary(client: TestClient, tmp_path: Path) -> None:
    (tmp_path / "glossaries").mkdir()
    path = tmp_path / "glossaries" / "desk.csv"
    path.write_text(GLOSSARY, encoding="utf-8")
    assert client.get("/v1/glossaries").json() == {"glossaries": ["desk"], "default": False}
    body = client.post("/v1/translate", json={"text": TEXT, "glossary": "desk"}).json()
    assert body == library(TEXT, Glossary.load(path))
    origins = {s["origin"] for p in body["paragraphs"] for s in p["segments"]}
    assert origins != {"model"}  # the glossary took part
    plain = client.post("/v1/translate", json={"text": TEXT}).json()
    assert plain == library(TEXT, None)


def test_default_glossary_and_opting_out(client: TestClient, tmp_path: Path) -> None:
    assert client.get("/v1/glossaries").json() == {"glossaries": [], "default": False}
    (tmp_path / "glossary.csv").write_text(GLOSSARY, encoding="utf-8")
    assert client.get("/v1/glossaries").json() == {"glossaries": [], "default": True}
    used = client.post("/v1/translate", json={"text": TEXT}).json()
    assert used == library(TEXT, Glossary.load(tmp_path / "glossary.csv"))
    none = client.post("/v1/translate", json={"text": TEXT, "glossary": "none"}).json()
    assert none == library(TEXT, None)


def test_glossary_is_reread_when_edited(client: TestClient, tmp_path: Path) -> None:
    import os

    (tmp_path / "glossaries").mkdir()
    path = tmp_path / "glossaries" / "desk.tsv"
    path.write_text("بوتين\tPutin\n", encoding="utf-8")
    client.post("/v1/translate", json={"text": TEXT, "glossary": "desk"})
    path.write_text("بوتين\tPoutine\n", encoding="utf-8")
    os.utime(path, (1, 1))  # a different modification time, whatever the clock's resolution
    body = client.post("/v1/translate", json={"text": TEXT, "glossary": "desk"}).json()
    assert "Poutine" in body["text"]


def test_translation_memory(client: TestClient, tmp_path: Path) -> None:
    first = "قال الرئيس بوتين إن المحادثات كانت مفيدة."
    with TranslationMemory.open(tmp_path / "memory.sqlite", create=True) as memory:
        memory.add(Entry(first, "President Putin said the talks were useful."))
    used = client.post("/v1/translate", json={"text": TEXT}).json()
    with TranslationMemory.open(tmp_path / "memory.sqlite") as memory:
        translator = Translator(FakeEngine(), source="ar", target="en", memory=memory)
        assert used == translator.translate_document(TEXT).to_json()
    assert used["paragraphs"][0]["segments"][0]["origin"] == "memory"
    off = client.post("/v1/translate", json={"text": TEXT, "memory": False}).json()
    assert off == library(TEXT, None)


def test_memory_asked_for_but_absent(client: TestClient, tmp_path: Path) -> None:
    r = client.post("/v1/translate", json={"text": TEXT, "memory": True})
    assert r.status_code == 400
    # The message names no server path (hardening #10): that is the server's business.
    assert r.json() == {"error": 'this server has no translation memory ("memory": true was asked)'}
    assert str(tmp_path) not in r.text
    assert not (tmp_path / "memory.sqlite").exists()  # asking did not create one
    r = client.post("/v1/translate", json={"text": TEXT, "memory": "yes"})
    assert r.json() == {"error": "Invalid request: memory must be true or false"}


@pytest.mark.parametrize("name", ["nope", "../glossary", ".hidden", "a/b"])
def test_unknown_glossary(client: TestClient, tmp_path: Path, name: str) -> None:
    (tmp_path / "glossaries").mkdir()
    (tmp_path / "glossaries" / "desk.csv").write_text(GLOSSARY, encoding="utf-8")
    r = client.post("/v1/translate", json={"text": TEXT, "glossary": name})
    assert (r.status_code, r.json()) == (
        400,
        {"error": f"unknown glossary '{name}' (available: desk)"},
    )


@pytest.mark.parametrize(
    "english",
    [
        (ARTICLE_EN).read_text(encoding="utf-8"),
        (ARTICLE_EN).read_text(encoding="utf-8").replace("30%", "45%"),
    ],
    ids=["faithful", "changed-number"],
)
def test_check_matches_the_library(client: TestClient, english: str) -> None:
    arabic = (ARTICLE_AR).read_text(encoding="utf-8")
    r = client.post("/v1/check", json={"text": arabic, "translation": english})
    # The server's home holds no character model: names are spelled by the romaniser.
    issues = check_paragraphs(arabic, english, names=NameMatcher(romanize.transliterate))
    errors = sum(i.severity == "error" for i in issues)
    worst, first = ranked(issues)  # the risk order, the same as the library's too
    assert r.json() == {
        "issues": [i.to_json() for i in issues],
        "errors": errors,
        "warnings": len(issues) - errors,
        "needs_a_look": worst,
        "look_first": first,
    }


def test_check_flags_a_changed_number(client: TestClient) -> None:
    arabic = (ARTICLE_AR).read_text(encoding="utf-8")
    english = (ARTICLE_EN).read_text(encoding="utf-8")
    faithful = client.post("/v1/check", json={"text": arabic, "translation": english}).json()
    changed = english.replace("30%", "45%")
    wrong = client.post("/v1/check", json={"text": arabic, "translation": changed}).json()
    assert wrong["errors"] > faithful["errors"]
    new = [i for i in wrong["issues"] if i not in faithful["issues"]]
    assert new and all(i["check"] == "numbers" for i in new)
    assert any("45" in (i["target_text"] or "") for i in new)


@pytest.mark.parametrize("as_text", [False, True])
def test_evaluate_matches_the_library(client: TestClient, as_text: bool) -> None:
    hyps = ["The port will grow.", "Twelve thousand jobs."]
    refs = ["The port will expand.", "About 12,000 jobs."]
    body = (
        {"hypotheses": "\n".join(hyps), "references": "\n".join(refs)}
        if as_text
        else {
            "hypotheses": hyps,
            "references": refs,
        }
    )
    r = client.post("/v1/evaluate", json=body)
    assert r.json() == evaluate(hyps, refs).to_json()


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("/v1/check", {"text": "x"}, "Invalid request: missing translation parameter"),
        (
            "/v1/check",
            {"text": "x", "translation": 3},
            "Invalid request: translation must be a string",
        ),
        (
            "/v1/check",
            {"text": "x", "translation": "y", "source": "en"},
            "Invalid request: source and target must differ",
        ),
        ("/v1/check", {"text": "x", "translation": "y", "target": "fr"}, "fr is not supported"),
        (
            "/v1/check",
            {"text": "x", "translation": "y", "glossary": "nope"},
            "unknown glossary 'nope' (available: none)",
        ),
        (
            "/v1/check",
            {"text": "x", "translation": "y", "extra": 1},
            "Invalid request: unknown field 'extra'",
        ),
        ("/v1/evaluate", {"references": ["a"]}, "Invalid request: missing hypotheses parameter"),
        (
            "/v1/evaluate",
            {"hypotheses": [], "references": ["a"]},
            "Invalid request: missing hypotheses parameter",
        ),
        (
            "/v1/evaluate",
            {"hypotheses": [1], "references": ["a"]},
            "Invalid request: hypotheses must be a string or a list of strings",
        ),
        (
            "/v1/evaluate",
            {"hypotheses": ["a", "b"], "references": ["a"]},
            "2 hypothesis lines but 1 reference lines",
        ),
        (
            "/v1/evaluate",
            {"hypotheses": ["a"], "references": ["a"], "sources": 5},
            "Invalid request: sources must be a string or a list of strings",
        ),
    ],
)
def test_bad_quality_requests(
    client: TestClient, path: str, body: dict[str, object], message: str
) -> None:
    r = client.post(path, json=body)
    assert (r.status_code, r.json()) == (400, {"error": message})
