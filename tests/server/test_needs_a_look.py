"""The risk order reaches the API: /v1/translate gives each segment its "needs a look"
score and the document a short list of the sentences to read first; /v1/check gives the
same order over what it checked. The known wrong line (a number changed) comes first."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tarjama.document import LOOK_AT, Issue
from tarjama.fidelity import needs_a_look

from ..known_lines import ALSO_GOOD, ARTICLE, BAD, GOOD, LINES, KnownLinesEngine
from .conftest import MakeClient


@pytest.fixture
def client(make_client: MakeClient, tmp_path: Path) -> Iterator[TestClient]:
    with make_client(KnownLinesEngine(), home=tmp_path) as c:
        yield c


def translated(client: TestClient) -> dict[str, Any]:
    r = client.post("/v1/translate", json={"text": ARTICLE, "source": "ar", "target": "en"})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_translate_ranks_the_wrong_line_first(client: TestClient) -> None:
    body = translated(client)
    segments = [(p["index"], s) for p in body["paragraphs"] for s in p["segments"]]
    scores = {s["source"]: s["needs_a_look"] for _, s in segments}
    assert scores[BAD] >= 0.9  # two numbers errors: 3.5 lost, 2.5 added
    assert all(v == 0.0 for k, v in scores.items() if k != BAD)  # clean, and the model sure
    for _, s in segments:  # each score is the library's, from the issues and model score
        issues = [Issue(**{k: v for k, v in i.items() if k != "plain"}) for i in s["issues"]]
        assert s["needs_a_look"] == needs_a_look(issues, s["score"])
    assert body["needs_a_look"] == scores[BAD]
    (first,) = body["look_first"]
    assert first == {
        "paragraph": 1,
        "segment": 1,
        "needs_a_look": scores[BAD],
        "checks": ["numbers"],
    }
    # The fields the API always had are still there, as they were.
    assert body["text"] == f"{LINES[GOOD]}\n{LINES[ALSO_GOOD]} {LINES[BAD]}\n{LINES[ALSO_GOOD]}\n"
    assert {"model", "source", "target", "paragraphs"} <= set(body)


def test_check_ranks_what_it_checked(client: TestClient) -> None:
    source = "\n".join(list(LINES)) + "\n"
    wrong = "\n".join(LINES.values()) + "\n"
    r = client.post("/v1/check", json={"text": source, "translation": wrong})
    assert r.status_code == 200, r.text
    report = r.json()
    (first,) = report["look_first"]
    assert (first["paragraph"], first["segment"], first["checks"]) == (1, None, ["numbers"])
    assert first["needs_a_look"] == report["needs_a_look"] >= LOOK_AT
    right = wrong.replace("2.5", "3.5")
    clean = client.post("/v1/check", json={"text": source, "translation": right}).json()
    assert (clean["needs_a_look"], clean["look_first"]) == (0.0, [])
