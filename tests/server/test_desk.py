"""The editor's desk in real Chromium (Debian's /usr/bin/chromium, Playwright) against
`tarjama serve` with the tiny models and a memory of the test article: suggestions
accepted, checks re-run as the editor types, approvals that the next translation reuses,
drafts that survive a reload, the language offer, text never markup, the keyboard."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright import sync_api

from tarjama.testing import build_marian_model

from ..conftest import ARTICLE_AR, ARTICLE_BILINGUAL, ARTICLE_EN, corpus, run_tarjama
from ..servers import serving

pytestmark = [pytest.mark.slow, pytest.mark.needs_chromium]

expect = sync_api.expect
ARABIC = ARTICLE_AR.read_text(encoding="utf-8").splitlines()
ENGLISH = ARTICLE_EN.read_text(encoding="utf-8").splitlines()
#: The sample with one number changed: its last sentence has a close match, not an exact one.
CHANGED = [*ARABIC[:4], ARABIC[4].replace("850", "950")]
ARTICLE = "\n".join(CHANGED) + "\n"
#: Another sentence changed (the flow above approves the first one).
OTHER = "\n".join([*ARABIC[:3], ARABIC[3].replace("2035", "2036"), *ARABIC[4:]]) + "\n"


@pytest.fixture(scope="module")
def server(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("desk-home")
    r = run_tarjama("memory", "import", str(ARTICLE_BILINGUAL), "-q", home=home)
    assert r.returncode == 0, r.stderr
    en_ar = build_marian_model(
        tmp_path_factory.mktemp("models") / "en-ar",
        corpus("en"),
        corpus("ar"),
        language_tokens=[">>ara<<"],
    )
    with serving(tiny_model_dir, home, "--model", str(en_ar), "--open-memory") as url:
        yield url


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    ctx.on("weberror", lambda e: errors.append(str(e.error)))
    yield ctx
    ctx.close()
    assert errors == []  # no script error on any page


def _answer(body: Any) -> Any:
    return lambda route: route.fulfill(status=200, content_type="application/json", json=body)


def open_page(context: Any, server: str, **answers: Any) -> Any:
    """The page, with some routes answered by the test instead of the server
    (``languages=[...]`` for /languages, ``memory={...}`` for /v1/memory, ...)."""
    page = context.new_page()
    for route, body in answers.items():
        path = {"languages": "**/languages", "memory": "**/v1/memory"}.get(route, route)
        page.route(path, _answer(body))
    page.goto(server)
    page.wait_for_selector("#source option", state="attached")
    return page


def translate(page: Any, text: str) -> None:
    page.locator("#source-text").fill(text)
    page.locator("#translate").click()
    expect(page.locator("#translate")).to_be_enabled()
    expect(page.locator("#status")).to_contain_text("Translated")


def target(page: Any, key: str) -> Any:
    return page.locator(f'.target-text[data-unit="{key}"]')


def notes(page: Any, key: str) -> Any:
    return page.locator(f'.row[data-unit="{key}"] .notes')


def test_suggest_edit_check_approve_and_reuse(context: Any, server: str) -> None:
    page = open_page(context, server)
    translate(page, ARTICLE)
    # The changed sentence went to the model; the memory's close match is shown under it.
    suggestion = notes(page, "4-0").locator(".suggestion").first
    expect(suggestion).to_be_visible()
    assert re.fullmatch(r"9\d%", suggestion.locator(".score").inner_text())
    assert suggestion.locator("mark.diff").inner_text() == "850"  # the word that differs
    assert suggestion.locator(".memory-target").inner_text() == ENGLISH[4]
    assert "water-plant.bilingual.txt#1" in suggestion.locator(".memory-origin").inner_text()

    # Alt+1 accepts it into the sentence; its number is the memory's, and the check says so.
    target(page, "4-0").focus()
    page.keyboard.press("Alt+1")
    expect(target(page, "4-0")).to_have_text(ENGLISH[4])
    expect(page.locator('.row[data-unit="4-0"] .badge.edited')).to_be_visible()
    expect(notes(page, "4-0").locator("li.error").first).to_contain_text("The number 950")
    # Fixed where it stands: the check clears as the editor types.
    fixed = ENGLISH[4].replace("850", "950")
    page.keyboard.press("Enter")
    target(page, "4-0").fill(fixed)
    expect(notes(page, "4-0").locator("li.error")).to_have_count(0)
    page.keyboard.press("Enter")

    # Another sentence, from the memory: a changed number fires the check...
    edited = "She added that the whole project cost 3.8 billion riyals."
    target(page, "1-1").click()
    target(page, "1-1").fill(edited)
    error = notes(page, "1-1").locator("li.error")
    expect(error.first).to_contain_text("The number ٢٫٨ مليار is missing or changed")
    # The check's own wording stays, in the tooltip.
    assert error.first.get_attribute("title") == (
        "numbers: number '٢٫٨ مليار' is missing or changed in the translation"
    )
    # ... and clears when it is fixed.
    edited = edited.replace("3.8", "2.8")
    target(page, "1-1").fill(edited)
    expect(error).to_have_count(0)
    page.keyboard.press("Escape")
    expect(page.locator("#summary")).to_contain_text("2 edited")

    # Approve: the sentence with Ctrl+Enter, the other with its paragraph's button.
    target(page, "4-0").focus()
    page.keyboard.press("Control+Enter")
    expect(page.locator('.row[data-unit="4-0"] .badge.approved')).to_be_visible()
    page.get_by_role("button", name="Approve paragraph 2").click()
    expect(page.locator('.row[data-unit="1-1"] .badge.approved')).to_be_visible()
    expect(page.locator("#summary")).to_contain_text("0 edited")

    # Translate again: both come from the memory now, approved by an editor.
    translate(page, ARTICLE)
    for key, text in (("4-0", fixed), ("1-1", edited)):
        expect(target(page, key)).to_have_text(text)
        expect(page.locator(f'.row[data-unit="{key}"] .badge.origin-editor')).to_be_visible()
    doc = httpx.post(f"{server}/v1/translate", json={"text": ARTICLE}, timeout=60).json()
    last = doc["paragraphs"][4]["segments"][0]
    assert (last["origin"], last["translation"]) == ("memory", fixed)
    assert (last["match"]["origin"], last["match"]["author"]) == ("editor", "anonymous")
    assert last["match"]["context"] == CHANGED[0][:80]  # the article, by its first line


def test_a_draft_survives_a_reload_and_nothing_is_written(context: Any, server: str) -> None:
    page = open_page(context, server)
    translate(page, ARTICLE)
    draft = "The plant employs 950 people, many of them young engineers."
    target(page, "4-0").click()
    target(page, "4-0").fill(draft)
    page.reload()
    expect(target(page, "4-0")).to_have_text(draft)
    expect(page.locator('.row[data-unit="4-0"] .badge.edited')).to_be_visible()
    expect(page.locator("#status")).to_contain_text("1 unapproved edit")
    assert page.locator("#source-text").input_value() == ARTICLE
    # A draft is the browser's alone: the memory knows nothing of it.
    found = httpx.get(f"{server}/v1/memory/search", params={"q": CHANGED[4]}).json()
    assert draft not in {s["target"] for s in found["suggestions"]}


def test_the_editors_text_is_never_markup(context: Any, server: str) -> None:
    page = open_page(context, server)
    translate(page, ARTICLE)
    hostile = '<img src=x onerror="window.pwned=1"><b>bold</b>'
    target(page, "0-0").click()
    page.keyboard.press("Control+A")
    page.keyboard.type(hostile)
    page.keyboard.press("Enter")
    expect(target(page, "0-0")).to_have_text(hostile)
    page.evaluate(
        "text => { const n = document.querySelector('.target-text[data-unit=\"2-1\"]');"
        " n.focus(); n.click(); document.execCommand('insertHTML', false, text); }",
        hostile,
    )
    assert page.locator("#pairs img, #pairs b").count() == 0
    assert page.evaluate("window.pwned") is None


def test_keyboard_and_the_accessibility_tree(context: Any, server: str) -> None:
    page = open_page(context, server)
    translate(page, OTHER)
    tree = page.locator("#pairs").aria_snapshot()
    for line in (
        'heading "Paragraph 1"',
        'textbox "Translation of sentence 1.1"',
        'button "Approve sentence 4.1"',
        'button "Approve paragraph 5"',
    ):
        assert line in tree, tree
    assert re.search(r'button "Use suggestion 1 \(9\d%, from [^"]+\)"', tree), tree
    # Up and down move between sentences, on the side the focus is on.
    target(page, "0-0").focus()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.dataset.unit") == "1-0"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.dataset.unit") == "1-0"
    # Focus is visible, and every control is reached with Tab.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "Approve sentence 2.1"
    )
    # The swap button works both ways here: a model for each direction.
    expect(page.locator("#swap")).to_be_enabled()


def test_english_in_arabic_mode_is_offered_a_swap(context: Any, server: str) -> None:
    page = open_page(context, server)
    page.locator("#source-text").fill(ENGLISH[0])
    offer = page.locator("#sense")
    expect(offer).to_contain_text("This text looks English, not Arabic.")
    offer.get_by_role("button", name="Translate from English to Arabic").click()
    assert page.locator("#source").input_value() == "en"
    assert page.locator("#target").input_value() == "ar"
    assert page.locator("#source-text").get_attribute("dir") == "ltr"
    expect(offer).to_be_hidden()


def test_no_swap_without_a_model_for_the_other_direction(context: Any, server: str) -> None:
    page = open_page(
        context, server, languages=[{"code": "ar", "name": "Arabic", "targets": ["en"]}]
    )
    expect(page.locator("#swap")).to_be_disabled()
    page.locator("#source-text").fill(ENGLISH[0])
    offer = page.locator("#sense")
    expect(offer).to_contain_text("No model here translates from English.")
    assert offer.get_by_role("button").count() == 0


def test_a_read_only_memory_disables_approval(context: Any, server: str) -> None:
    state = {"exists": True, "entries": 7, "writable": False, "suggestions": False}
    page = open_page(context, server, memory=state)
    translate(page, ARTICLE)
    expect(page.locator("#approve-all")).to_be_disabled()
    expect(page.get_by_role("button", name="Approve sentence 1.1")).to_be_disabled()
    # Without keys the page says what would let an editor approve.
    assert "--open-memory" in (page.locator("#approve-all").get_attribute("title") or "")


def test_an_open_memory_is_said_on_the_page(context: Any, server: str) -> None:
    # This module's server runs with --open-memory: the page says so before anything else.
    page = open_page(context, server)
    expect(page.locator("#status")).to_contain_text("Open memory")
    expect(page.locator("#approve-all")).not_to_have_attribute("title", re.compile("key"))


def _segment(index: int, source: str, translation: str, issues: list[Any]) -> dict[str, Any]:
    return {
        "index": index,
        "source": source,
        "start": 0,
        "end": len(source),
        "translation": translation,
        "score": -0.3,
        "origin": "model",
        "issues": issues,
        "suggestions": [],
        "match": None,
        "covered_by": None,
    }


def test_issues_in_plain_words_merged_and_counted_per_paragraph(context: Any, server: str) -> None:
    omission = {
        "check": "omission",
        "severity": "error",
        "message": "possible omission: length -14.7 sd from the norm",
        "plain": "This translation looks much shorter than the Arabic: a sentence may be missing.",
        "source_span": None,
        "target_span": None,
        "source_text": None,
        "target_text": None,
    }
    name = {
        **omission,
        "check": "names",
        "severity": "warning",
        "message": "name 'Yanbu' has no counterpart in the Arabic text",
        "plain": "The name Yanbu does not seem to be in the Arabic.",
        "target_span": [8, 13],
        "target_text": "Yanbu",
    }
    doc = {
        "model": {"name": "fake"},
        "source": "ar",
        "target": "en",
        "text": "It is in Yanbu.\nShort.",
        "paragraphs": [
            {
                "index": 0,
                "source": "إنها في ينبع.",
                "translation": "It is in Yanbu.",
                "segments": [_segment(0, "إنها في ينبع.", "It is in Yanbu.", [name, name])],
            },
            {
                "index": 1,
                "source": "جملة طويلة جدا عن المحطة الجديدة وعمالها.",
                "translation": "Short.",
                "segments": [
                    _segment(0, "جملة طويلة جدا عن المحطة الجديدة وعمالها.", "Short.", [omission])
                ],
            },
        ],
    }
    page = open_page(context, server, **{"**/v1/translate": doc})
    translate(page, "إنها في ينبع.\nجملة طويلة جدا عن المحطة الجديدة وعمالها.")
    first = notes(page, "0-0").locator("li")
    expect(first).to_have_count(1)  # the same finding twice is said once
    expect(first).to_contain_text("The name Yanbu does not seem to be in the Arabic. (×2)")
    assert page.locator('.target-text[data-unit="0-0"] mark.issue').inner_text() == "Yanbu"
    second = notes(page, "1-0").locator("li.error")
    expect(second).to_contain_text(omission["plain"])
    assert "-14.7 sd" in (second.get_attribute("title") or "")  # the figure, in the tooltip
    assert "sd" not in second.inner_text()
    expect(page.locator("#para-0-count")).to_have_text("1 warning")
    expect(page.locator("#para-1-count")).to_have_text("1 error")
