"""Documents in real Chromium: a translated HTML page renders left to right in English, and
the review page uploads a document and offers its translation for download."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from playwright import sync_api

from tarjama import Translator

from ..formats import samples
from ..servers import start_server, stop_server

pytestmark = [pytest.mark.slow, pytest.mark.needs_chromium]


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:  # conftest's Chromium
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda exc: errors.append(str(exc)))
    yield p
    context.close()
    assert errors == []


def test_the_translated_page_renders_in_english_left_to_right(
    page: Any, tiny_model_dir: Path, tmp_path: Path
) -> None:
    source = tmp_path / "article.html"
    source.write_bytes(samples.html_page())
    out = tmp_path / "article.en.html"
    translator = Translator.load(tiny_model_dir, device="cpu", beam_size=1)
    out.write_bytes(translator.translate_file(source.read_bytes(), "html").data)

    page.goto(source.as_uri())
    assert page.evaluate("getComputedStyle(document.querySelector('p')).direction") == "rtl"
    page.goto(out.as_uri())
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
        "en",
        "ltr",
    ]
    assert page.evaluate("getComputedStyle(document.querySelector('p')).direction") == "ltr"
    title = page.title()
    assert title and title != samples.TITLE
    # The inline tags render around words: each has a visible box.
    for selector in ("p b", "p a", "p i"):
        box = page.locator(selector).first.bounding_box()
        assert box is not None and box["width"] > 0, selector
    assert page.locator("p a").first.get_attribute("href") == samples.LINK
    assert page.locator("span.notranslate").inner_text() == samples.KEPT


@pytest.fixture(scope="module")
def server(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    proc, url = start_server(tiny_model_dir, tmp_path_factory.mktemp("home"))
    try:
        yield url
    finally:
        stop_server(proc)


def test_the_page_translates_a_document_and_offers_it(
    page: Any, server: str, tmp_path: Path
) -> None:
    source = tmp_path / "article.docx"
    source.write_bytes(samples.docx_document())
    page.goto(server)
    page.wait_for_selector("#source option", state="attached")
    page.set_input_files("#document-file", str(source))
    page.click("#translate-document")
    link = page.locator("#download-document")
    sync_api.expect(link).to_be_visible(timeout=60_000)
    assert link.inner_text() == "Download article.en.docx"
    # The report is shown like a text's: one row per block.
    assert page.locator("#result:not([hidden]) .pair").count() > 5
    with page.expect_download() as info:
        link.click()
    saved = tmp_path / "downloaded.docx"
    info.value.save_as(saved)
    assert info.value.suggested_filename == "article.en.docx"
    document = docx.Document(io.BytesIO(saved.read_bytes()))
    assert sum(1 for p in document.paragraphs for r in p.runs if r.bold) == 1
    assert document.tables


def test_a_bad_document_is_one_message_on_the_page(page: Any, server: str, tmp_path: Path) -> None:
    bad = tmp_path / "broken.srt"
    bad.write_text("1\n00:00:01,000 --> 00:00:xx,000\nنص\n", encoding="utf-8")
    page.goto(server)
    page.wait_for_selector("#source option", state="attached")
    page.set_input_files("#document-file", str(bad))
    page.click("#translate-document")
    error = page.locator("#document-error")
    sync_api.expect(error).to_be_visible()
    assert "broken timings" in error.inner_text()
    assert "HTTP 400" in error.inner_text()
    assert page.locator("#download-document").is_hidden()
