"""The page shows the risk order in real Chromium: the sentence most likely to need fixing
is marked and listed first, the list jumps to it, and fixing it takes it off the list.

The translation is the API's own answer for an engine with one known wrong line (built
in-process, then handed to the page for its /v1/translate), so the test knows which
sentence must come first; the checks on the edit are the real server's /v1/check."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright import sync_api

from ..known_lines import ARTICLE, BAD, LINES, KnownLinesEngine
from ..servers import serving
from .conftest import MakeClient, desk_page

pytestmark = [pytest.mark.slow, pytest.mark.needs_chromium]

expect = sync_api.expect


@pytest.fixture(scope="module")
def server(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(tiny_model_dir, tmp_path_factory.mktemp("look-home")) as url:
        yield url


def answer(make_client: MakeClient, home: Path) -> dict[str, Any]:
    """/v1/translate's answer for the article, from the engine with the wrong line."""
    with make_client(KnownLinesEngine(), home=home) as client:
        r = client.post("/v1/translate", json={"text": ARTICLE, "source": "ar", "target": "en"})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_the_riskiest_sentence_is_marked_listed_and_reached(
    browser: Any, server: str, make_client: MakeClient, tmp_path: Path
) -> None:
    body = answer(make_client, tmp_path)
    assert [(f["paragraph"], f["segment"]) for f in body["look_first"]] == [(1, 1)]
    with desk_page(browser, server) as page:
        look_first_on(page, body)


def look_first_on(page: Any, body: dict[str, Any]) -> None:
    """Give the page ``body`` as its translation, then follow the wrong line through it."""
    page.route(
        "**/v1/translate",
        lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps(body)
        ),
    )
    page.locator("#source-text").fill(ARTICLE)
    page.click("#translate")
    page.wait_for_selector("#result:not([hidden]) .pair .row")

    # One sentence is marked, the wrong one; the list names it with its chance and check.
    marked = page.locator(".row").filter(has=page.locator(".badge.look"))
    expect(marked).to_have_count(1)
    expect(marked.locator(".cell.source")).to_contain_text(BAD)
    expect(page.locator("#look-first")).to_be_visible()
    entries = page.locator("#look-first-list li")
    expect(entries).to_have_count(1)
    expect(entries.first).to_contain_text("2.2")  # paragraph 2, sentence 2
    expect(entries.first).to_contain_text("99%")
    expect(entries.first).to_contain_text("numbers")

    # The entry jumps to the sentence: its translation has the focus.
    entries.first.locator("button.jump").click()
    focused = page.evaluate("document.activeElement && document.activeElement.dataset.key")
    assert focused == "1-1"

    # Fixing the number (checked again by the server) takes it off the list.
    target = marked.locator(".target-text")
    target.click()
    target.fill(LINES[BAD].replace("2.5", "3.5"))
    page.keyboard.press("Escape")
    expect(page.locator(".row .badge.look")).to_have_count(0, timeout=15_000)
    expect(page.locator("#look-first")).to_be_hidden()
