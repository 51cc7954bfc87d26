"""An edited sentence's inline codes when a document is written again
(``POST /v1/documents/{id}/render``): placed by the model's alignment of the source with
the editor's words where the model can align a given translation (a
:class:`~tarjama.engines.TargetAligner`), by word order otherwise; flagged either way."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from tarjama.engines import Alignment, Engine, can_align_targets
from tarjama.engines.loader import load_engine

from ..fakes import AligningFakeEngine
from .conftest import MakeClient

SOURCE = "قال <b>الرئيس</b> إن الخطة جاهزة."
PAGE = (
    "<!DOCTYPE html>\n<html><body>\n"
    f"<p>{SOURCE}</p>\n<p>وأضاف أن <i>الميناء</i> سيفتح غدا.</p>\n<p>هطلت الأمطار.</p>\n"
    "</body></html>\n"
).encode()
#: The editor's words, in another order than the source's: "president" comes late.
EDITED = "Ready is the plan, the president said."
#: The source's words (قال الرئيس إن الخطة جاهزة.) to the edited translation's.
LINKS: Alignment = ((0, 6), (1, 5), (3, 3), (4, 0))


class TargetAligningFake(AligningFakeEngine):
    """The aligning fake that also aligns given translations, by :data:`LINKS` for the
    edited sentence (none for any other), and records what it was asked."""

    aligns_targets = True

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.target_calls: list[tuple[list[str], list[str], str, str]] = []

    def align_targets(
        self, sources: Sequence[str], targets: Sequence[str], source: str, target: str
    ) -> list[Alignment | None]:
        self.target_calls.append((list(sources), list(targets), source, target))
        return [LINKS if t == EDITED else None for t in targets]


def _render(client: TestClient, edits: list[tuple[int, str]]) -> tuple[str, list[Any]]:
    """Translate :data:`PAGE`, render it with ``edits`` (paragraph, translation of its
    first sentence); the HTML written and the paragraphs of the report."""
    first = client.post(
        "/v1/translate",
        data={"source": "ar", "target": "en"},
        files={"file": ("page.html", PAGE)},
    )
    assert first.status_code == 200, first.text
    segments = [
        {"paragraph": p, "index": 0, "translation": t, "review": "edited"} for p, t in edits
    ]
    r = client.post(
        f"/v1/documents/{first.json()['document']['id']}/render", json={"segments": segments}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    return base64.b64decode(body["file"]["base64"]).decode(), body["paragraphs"]


def _markup_notes(paragraph: dict[str, Any]) -> list[str]:
    return [i["message"] for i in paragraph["segments"][0]["issues"] if i["check"] == "markup"]


def test_an_edited_sentence_codes_go_by_the_models_alignment(
    make_client: MakeClient, home: Path
) -> None:
    engine = TargetAligningFake()
    with make_client(engine, home=home) as client:
        html, paragraphs = _render(client, [(0, EDITED), (2, "Rain fell.")])
    # The bold goes around the word the source's bold word is linked to, wherever the
    # editor put it (by order it would fall on the third word, "the").
    assert "<p>Ready is the plan, the <b>president</b> said.</p>" in html
    assert _markup_notes(paragraphs[0]) == [
        "inline code <b> placed by word alignment with the edited translation: check the markup"
    ]
    # Only the edited sentence with a code inside was aligned (not the one without).
    assert engine.target_calls == [(["قال الرئيس إن الخطة جاهزة."], [EDITED], "ar", "en")]
    assert _markup_notes(paragraphs[2]) == []


def test_without_an_alignment_an_edited_sentence_codes_go_by_order(
    make_client: MakeClient, home: Path
) -> None:
    # An engine that cannot align a given translation, and one that cannot for this one.
    for engine in (AligningFakeEngine(), TargetAligningFake()):
        assert can_align_targets(engine) == isinstance(engine, TargetAligningFake)
        with make_client(engine, home=home) as client:
            html, paragraphs = _render(client, [(1, "He added that the port opens tomorrow.")])
        assert _markup_notes(paragraphs[1]) == [
            "inline code <i> placed by word order (no word alignment): check the markup"
        ]
        # By its relative position: the source's third word of five, here the fourth of seven.
        assert "<p>He added that <i>the</i> port opens tomorrow.</p>" in html


def _copy_engine(copy_model_dir: Path) -> Engine:
    return load_engine(copy_model_dir, device="cpu", beam_size=1, threads=1)


def test_a_ctranslate2_model_aligns_an_edited_sentence(
    make_client: MakeClient, home: Path, copy_model_dir: Path
) -> None:
    """The copy model reads the editor's words as its output, position by position: an
    edit that keeps the words around the bold keeps the bold on them, by alignment."""
    engine = _copy_engine(copy_model_dir)
    assert can_align_targets(engine)
    edited = "قال الرئيس إن الخطة جاهزة تماما."
    with make_client(engine, home=home) as client:
        html, paragraphs = _render(client, [(0, edited)])
    assert "<p>قال <b>الرئيس</b> إن الخطة جاهزة تماما.</p>" in html
    assert _markup_notes(paragraphs[0]) == [
        "inline code <b> placed by word alignment with the edited translation: check the markup"
    ]
