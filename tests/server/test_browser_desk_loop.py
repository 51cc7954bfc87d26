"""The editor's loop in real Chromium (Debian's /usr/bin/chromium, Playwright) against
`tarjama serve` with the tiny model: a DOCX translated on the page, edited and approved,
downloads with the edit in its run; approving over errors asks first, naming them, and
offers the clean sentences alone; a reload shows approved text as approved."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from playwright import sync_api

from ..formats import samples
from ..servers import serving
from .conftest import desk_page

pytestmark = [pytest.mark.slow, pytest.mark.needs_chromium]

expect = sync_api.expect
EDITED = "President Salem Naimi opened the new port on Sunday morning."


@pytest.fixture(scope="module")
def server(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(tiny_model_dir, tmp_path_factory.mktemp("loop-home"), "--open-memory") as url:
        yield url


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    with desk_page(browser, server) as p:
        yield p


def row(page: Any, source_words: str) -> Any:
    return page.locator(".row").filter(has=page.locator(".cell.source", has_text=source_words))


def test_an_edited_and_approved_docx_sentence_reaches_the_download(
    page: Any, tmp_path: Path
) -> None:
    source = tmp_path / "article.docx"
    source.write_bytes(samples.docx_document())
    page.set_input_files("#document-file", str(source))
    page.click("#translate-document")
    link = page.locator("#download-document")
    expect(link).to_be_visible(timeout=60_000)
    sentence = row(page, "سالم النعيمي")
    sentence.locator(".target-text").click()
    sentence.locator(".target-text").fill(EDITED)
    page.keyboard.press("Escape")
    sentence.locator(".approve-one").click()
    expect(sentence.locator(".badge.approved")).to_be_visible()
    with page.expect_download() as info:
        link.click()
    saved = tmp_path / "downloaded.docx"
    info.value.save_as(saved)
    assert info.value.suggested_filename == "article.en.docx"
    document = docx.Document(io.BytesIO(saved.read_bytes()))
    (para,) = [p for p in document.paragraphs if "President Salem Naimi opened" in p.text]
    bold = [r.text.strip() for r in para.runs if r.bold]
    # The bold run is still there, around words of the edited sentence.
    assert bold and all(b and b in EDITED for b in bold)
    assert document.tables  # the rest of the document as it was
    # After a reload the approval and the download are still there, and still agree.
    page.reload()
    expect(sentence.locator(".target-text")).to_have_text(EDITED)
    expect(sentence.locator(".badge.approved")).to_be_visible()
    with page.expect_download() as again:
        link.click()
    again.value.save_as(tmp_path / "again.docx")
    reread = docx.Document(str(tmp_path / "again.docx"))
    assert any("President Salem Naimi opened" in p.text for p in reread.paragraphs)


ERROR = {
    "check": "numbers",
    "severity": "error",
    "message": "number '3.5' is missing or changed in the translation",
    "plain": "The number 3.5 is missing or changed.",
    "paragraph": 1,
    "segment": 0,
    "source_span": None,
    "target_span": None,
    "source_text": None,
    "target_text": None,
}


def _seg(i: int, source: str, translation: str, issues: list[Any]) -> dict[str, Any]:
    return {
        "index": i, "source": source, "start": 0, "end": len(source),
        "translation": translation, "score": -0.4, "origin": "model", "issues": issues,
        "suggestions": [], "match": None, "covered_by": None,
    }  # fmt: skip


REPORT = {
    "model": {"name": "fake"},
    "source": "ar",
    "target": "en",
    "text": "It cost 2.5 billion. He spoke. They left.",
    "paragraphs": [
        {
            "index": 0,
            "source": "كلف ٣٫٥ مليار. تحدث. غادروا.",
            "translation": "It cost 2.5 billion. He spoke. They left.",
            "segments": [
                _seg(0, "كلف ٣٫٥ مليار.", "It cost 2.5 billion.", [ERROR]),
                _seg(1, "تحدث.", "He spoke.", []),
                _seg(2, "غادروا.", "They left.", []),
            ],
        }
    ],
}


def _fake_server(page: Any) -> list[dict[str, Any]]:
    """Answers /v1/translate with REPORT and records what POST /v1/memory is sent."""
    sent: list[dict[str, Any]] = []

    def memory(route: Any) -> None:
        if route.request.method == "POST":
            sent.append(json.loads(route.request.post_data))
            route.fulfill(status=200, content_type="application/json", json={"added": 1})
        else:
            route.continue_()

    page.route("**/v1/translate", lambda r: r.fulfill(status=200, json=REPORT))
    page.route("**/v1/memory", memory)
    page.locator("#source-text").fill("كلف ٣٫٥ مليار. تحدث. غادروا.")
    page.locator("#translate").click()
    expect(page.locator(".target-text")).to_have_count(3)
    return sent


def test_approving_the_article_over_errors_asks_first(page: Any) -> None:
    sent = _fake_server(page)
    page.click("#approve-all")
    dialog = page.locator("dialog.ask")
    expect(dialog).to_contain_text("1 of the 3 sentences in the whole article carry errors")
    expect(dialog).to_contain_text("The number 3.5 is missing or changed.")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    assert sent == []  # nothing written on a cancel
    page.click("#approve-all")
    page.get_by_role("button", name="Approve only the 2 clean").click()
    expect(page.locator(".badge.approved")).to_have_count(2)
    assert [p["target"] for p in sent[0]["pairs"]] == ["He spoke.", "They left."]
    assert "force" not in sent[0]
    # The sentence with the error: asked about by name, forced only when confirmed.
    flagged = page.locator('.row[data-unit="0-0"]')
    flagged.locator(".approve-one").click()
    expect(dialog).to_contain_text("Sentence 1.1 has open errors")
    dialog.get_by_role("button", name="Approve anyway").click()
    expect(flagged.locator(".badge.approved")).to_be_visible()
    assert sent[1]["force"] is True and len(sent[1]["pairs"]) == 1


def test_a_reload_shows_an_approval_as_approved(page: Any) -> None:
    sent = _fake_server(page)
    unit = page.locator('.row[data-unit="0-1"]')
    unit.locator(".target-text").click()
    unit.locator(".target-text").fill("He spoke at length.")
    page.keyboard.press("Escape")
    unit.locator(".approve-one").click()
    expect(unit.locator(".badge.approved")).to_be_visible()
    assert sent[0]["pairs"][0]["target"] == "He spoke at length."
    # An edit left as a draft elsewhere stays a draft.
    draft = page.locator('.row[data-unit="0-2"]')
    draft.locator(".target-text").click()
    draft.locator(".target-text").fill("They went away.")
    page.keyboard.press("Escape")
    page.reload()
    expect(unit.locator(".target-text")).to_have_text("He spoke at length.")
    expect(unit.locator(".badge.approved")).to_be_visible()
    expect(draft.locator(".target-text")).to_have_text("They went away.")
    expect(draft.locator(".badge.edited")).to_be_visible()
    expect(draft.locator(".badge.approved")).to_have_count(0)
    expect(page.locator("#summary")).to_contain_text("1 edited, 1 approved")
