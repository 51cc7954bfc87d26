"""The review page in real Chromium (Debian's /usr/bin/chromium) driven by Playwright,
against `tarjama serve` running the tiny model on a free loopback port."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright import sync_api

from ..conftest import ARTICLE_AR, REPO
from ..servers import serving
from .conftest import desk_page

pytestmark = [pytest.mark.slow, pytest.mark.needs_chromium]

ARTIFACTS = REPO / "test-artifacts"
ARTICLE = (ARTICLE_AR).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def server(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(tiny_model_dir, tmp_path_factory.mktemp("home")) as url:
        yield url


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    with desk_page(browser, server) as p:
        yield p


def translate(page: Any, text: str) -> None:
    box = page.locator("#source-text")
    box.fill(text)
    box.press("Control+Enter")  # the keyboard path
    page.wait_for_selector("#result:not([hidden]) .pair .row")
    sync_api.expect(page.locator("#translate")).to_be_enabled()


def box(page: Any, selector: str) -> dict[str, float]:
    found: dict[str, float] = page.locator(selector).bounding_box()
    return found


def test_translate_article_side_by_side(page: Any, server: str, tmp_path: Path) -> None:
    assert page.locator("#source-text").get_attribute("dir") == "rtl"
    assert not page.locator("#key-label").is_visible()  # no keys on this server
    translate(page, ARTICLE)
    paragraphs = [line for line in ARTICLE.splitlines() if line.strip()]
    assert page.locator(".pair").count() == len(paragraphs)

    # Sentence beside sentence: same row, source then target; Arabic RTL, English LTR.
    first_source, first_target = (
        box(page, ".row >> nth=0 >> .source"),
        box(page, ".row >> nth=0 >> .target"),
    )
    assert abs(first_source["y"] - first_target["y"]) < 2
    assert first_source["x"] + first_source["width"] <= first_target["x"]
    direction = "el => getComputedStyle(el).direction"
    assert page.locator(".row >> nth=1 >> .source").evaluate(direction) == "rtl"
    assert page.locator(".row >> nth=1 >> .target").evaluate(direction) == "ltr"
    font = page.locator(".row >> nth=0 >> .source").evaluate(
        "el => getComputedStyle(el).fontFamily"
    )
    assert "Noto Naskh Arabic" in font
    assert "الأحد" in page.locator(".row >> nth=0 >> .source").inner_text()
    # Each paragraph's sentences stay together, in order.
    assert page.locator('.pair[data-paragraph="1"] .row').count() == 2

    # Hovering a sentence highlights its counterpart; so does keyboard focus.
    source_seg = page.locator('.source .seg[data-key="1-1"]')
    target_seg = page.locator('.target .seg[data-key="1-1"]')
    source_seg.hover()
    assert "active" in (target_seg.get_attribute("class") or "")
    page.mouse.move(0, 0)
    assert "active" not in (target_seg.get_attribute("class") or "")
    page.locator('.source .seg[data-key="2-0"]').focus()
    assert "active" in (page.locator('.target .seg[data-key="2-0"]').get_attribute("class") or "")
    page.keyboard.press("Enter")  # edits its translation, where it stands
    assert page.evaluate("document.activeElement.closest('.target') !== null")
    assert page.evaluate("document.activeElement.isContentEditable")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.activeElement.isContentEditable")
    # Segment origins are shown: every sentence came from the model here.
    assert page.locator(".target .seg.origin-model").count() == page.locator(".target .seg").count()

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "server-page-full.png"), full_page=True)
    page.locator("#result").scroll_into_view_if_needed()
    page.evaluate("document.querySelector('#result').scrollIntoView()")
    page.locator('.source .seg[data-key="0-0"]').hover()
    shot = ARTIFACTS / "server-page.png"
    page.screenshot(path=str(shot))

    # The downloaded JSON is the document the API returns.
    with page.expect_download() as info:
        page.click("#download-json")
    saved = tmp_path / "translation.json"
    info.value.save_as(saved)
    downloaded = json.loads(saved.read_text(encoding="utf-8"))
    body = {"text": ARTICLE, "source": "ar", "target": "en"}
    assert downloaded == httpx.post(f"{server}/v1/translate", json=body, timeout=60).json()

    with page.expect_download() as info:
        page.click("#download-txt")
    info.value.save_as(tmp_path / "translation.txt")
    assert (tmp_path / "translation.txt").read_text(encoding="utf-8") == downloaded["text"]


def test_open_a_txt_file(page: Any) -> None:
    page.set_input_files("#file", str(ARTICLE_AR))
    sync_api.expect(page.locator("#status")).to_contain_text("Loaded water-plant.ar.txt")
    assert page.locator("#source-text").input_value() == ARTICLE
    # LibreTranslate's default: no character limit, so none is shown.
    assert f"{len(ARTICLE):,} characters" == page.locator("#count").inner_text()


def test_options_reach_the_api(page: Any) -> None:
    sent: list[Any] = []

    def record(route: Any) -> None:
        sent.append(json.loads(route.request.post_data))
        route.continue_()

    page.route("**/v1/translate", record)
    page.locator("#glossary").select_option(value="none")
    page.locator("#memory").uncheck()
    translate(page, "مرحبا")
    assert sent == [
        {"text": "مرحبا", "source": "ar", "target": "en", "glossary": "none", "memory": False}
    ]


def test_user_and_model_text_is_never_markup(page: Any) -> None:
    hostile = '<img src=x onerror="window.pwned=1">مرحبا <b>بكم</b>'
    translate(page, hostile)
    assert page.locator("#pairs img, #pairs b").count() == 0
    assert "<img src=x" in page.locator(".source .seg").first.inner_text()
    assert page.evaluate("window.pwned") is None


def test_errors_are_shown(page: Any) -> None:
    page.click("#translate")
    assert page.locator("#error").is_visible()
    assert "Paste some text" in page.locator("#error").inner_text()
    page.route(
        "**/v1/translate",
        lambda route: route.fulfill(
            status=503, content_type="application/json", body='{"error": "engine down"}'
        ),
    )
    translate_button = page.locator("#translate")
    page.locator("#source-text").fill("مرحبا")
    translate_button.click()
    page.wait_for_selector("#error:not([hidden])")
    assert page.locator("#error").inner_text() == "Translation failed: engine down (HTTP 503)"
    assert page.locator("#error").get_attribute("role") == "alert"
    assert translate_button.is_enabled()


def test_issues_and_origins_are_marked_inline(page: Any) -> None:
    """A document with issues and every origin, as the API returns it, rendered inline."""
    issue = {
        "check": "numbers",
        "severity": "error",
        "message": "3.5 billion is missing from the translation",
        "paragraph": 0,
        "segment": 0,
        "source_span": [7, 10],
        "target_span": [8, 11],
        "source_text": "٣٫٥",
        "target_text": "2.5",
    }

    def seg(i: int, source: str, translation: str, origin: str, issues: list[Any]) -> Any:
        return {
            "index": i,
            "source": source,
            "start": 0,
            "end": len(source),
            "translation": translation,
            "score": -0.4,
            "origin": origin,
            "issues": issues,
            "suggestions": [],
        }

    doc = {
        "model": {"name": "fake"},
        "source": "ar",
        "target": "en",
        "text": "It costs 2.5 billion. Putin spoke. In Jeddah.",
        "paragraphs": [
            {
                "index": 0,
                "source": "بتكلفة ٣٫٥ مليار. تحدث بوتين.",
                "translation": "It costs 2.5 billion. Putin spoke.",
                "segments": [
                    seg(0, "بتكلفة ٣٫٥ مليار.", "It costs 2.5 billion.", "memory", [issue]),
                    seg(1, "تحدث بوتين.", "Putin spoke.", "glossary", []),
                    seg(2, "في جدة.", "In Jeddah.", "model+glossary", []),
                ],
            }
        ],
    }
    page.route(
        "**/v1/translate",
        lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps(doc)
        ),
    )
    translate(page, "بتكلفة ٣٫٥ مليار. تحدث بوتين. في جدة.")
    marks = page.locator(".target mark.issue")
    assert marks.count() == 1 and marks.first.inner_text() == "2.5"
    assert issue["message"] in (marks.first.get_attribute("title") or "")
    assert page.locator(".source mark.issue").first.inner_text() == "٣٫٥"
    assert issue["message"] in page.locator(".issues li.error").inner_text()
    assert page.locator(".target .badge.origin-memory").inner_text() == "memory"
    assert page.locator(".target .badge.origin-glossary").inner_text() == "glossary"
    mixed = page.locator(".target .badge.origin-model-glossary")
    assert mixed.inner_text() == "model+glossary"
    assert "1 errors" in page.locator("#summary").inner_text()
