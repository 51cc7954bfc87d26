"""The page's memory view in real Chromium (Debian's /usr/bin/chromium, Playwright) against
`tarjama serve --open-memory` with the tiny model: an entry removed is gone from search
and back after an undo, and the API agrees; substring and fuzzy search on either side;
an edit shows in the entry's history; a reload shows what the server holds; the view says
when it may not write, and why."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright import sync_api

from ..servers import serving
from .conftest import desk_page

pytestmark = [pytest.mark.slow, pytest.mark.needs_chromium]

expect = sync_api.expect

#: Pairs stored before the page opens (each test has its own words).
PAIRS = [
    ("افتتح الرئيس الميناء الجديد يوم الأحد.", "The president opened the new port on Sunday."),
    ("افتتح الوزير الميناء الجديد يوم الاثنين.", "The minister opened the new port on Monday."),
    ("هطلت الأمطار على العاصمة.", "Rain fell on the capital."),
    ("ارتفعت أسعار القمح في الأسواق.", "Wheat prices rose in the markets."),
    ("عقد المجلس اجتماعه السنوي في الدوحة.", "The council held its annual meeting in Doha."),
]


@pytest.fixture(scope="module")
def server(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("memory-view-home")
    with serving(tiny_model_dir, home, "--open-memory") as url:
        pairs = [{"source": s, "target": t} for s, t in PAIRS]
        answer = httpx.post(f"{url}/v1/memory", json={"pairs": pairs, "force": True})
        assert answer.json() == {"added": len(PAIRS), "present": 0}
        yield url


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    with desk_page(browser, server) as p:
        p.wait_for_selector("#memory-access:not(:empty)")
        yield p


def found(server: str, q: str, side: str = "source", mode: str = "substring") -> list[Any]:
    """What the API's search finds (the view's answers are checked against it)."""
    params = {"q": q, "side": side, "mode": mode, "limit": "20"}
    answer = httpx.get(f"{server}/v1/memory/search", params=params)
    assert answer.status_code == 200
    return list(answer.json()["entries"])


def entry_id(server: str, source: str) -> int:
    (hit,) = [e for e in found(server, source) if e["source"] == source]
    return int(hit["id"])


def search(page: Any, q: str, side: str = "source", mode: str = "substring") -> None:
    page.fill("#memory-q", q)
    page.select_option("#memory-side", side)
    page.select_option("#memory-mode", mode)
    page.click("#memory-search")
    expect(page.locator("#memory-status")).not_to_have_text("Searching…")


def result(page: Any, ident: int) -> Any:
    return page.locator(f'#memory-results li[data-id="{ident}"]')


def test_remove_an_entry_in_the_memory_view_and_undo_it(page: Any, server: str) -> None:
    source, target = PAIRS[2]
    ident = entry_id(server, source)
    search(page, "العاصمة")
    entry = result(page, ident)
    expect(entry.locator(".entry-target")).to_have_text(target)
    # The Arabic side reads right to left, the English left to right.
    assert entry.locator(".entry-source").get_attribute("dir") == "rtl"
    assert entry.locator(".entry-target").get_attribute("dir") == "ltr"
    entry.get_by_role("button", name=f"Remove entry {ident}").click()
    expect(page.locator("#memory-status")).to_contain_text(f"Entry {ident} removed")
    undo = page.get_by_role("button", name=f"Undo the removal of entry {ident}")
    expect(undo).to_be_focused()
    # The API agrees: no reader sees it; the entry itself is a tombstone.
    assert [e for e in found(server, "العاصمة") if e["id"] == ident] == []
    assert httpx.get(f"{server}/v1/memory/{ident}").json()["removed"] is True
    search(page, "العاصمة")
    expect(result(page, ident)).to_have_count(0)
    expect(page.locator("#memory-status")).to_contain_text("No entries")
    # A reload shows the truth: the removal is still there to undo.
    page.reload()
    page.wait_for_selector("#memory-access:not(:empty)")
    expect(result(page, ident)).to_have_count(0)
    undo = page.get_by_role("button", name=f"Undo the removal of entry {ident}")
    expect(undo).to_be_visible()
    undo.click()
    expect(page.locator("#memory-status")).to_contain_text(f"Entry {ident} is back")
    expect(page.locator("#memory-undo")).to_be_hidden()
    assert [e["target"] for e in found(server, "العاصمة")] == [target]
    search(page, "العاصمة")
    expect(result(page, ident).locator(".entry-target")).to_have_text(target)
    history = httpx.get(f"{server}/v1/memory/{ident}/history").json()["history"]
    assert [e["action"] for e in history] == ["created", "removed", "restored"]
    assert {e["actor"] for e in history[1:]} == {"anonymous"}
    page.reload()
    page.wait_for_selector("#memory-access:not(:empty)")
    expect(result(page, ident).locator(".entry-target")).to_have_text(target)
    expect(page.locator("#memory-undo")).to_be_hidden()


def test_substring_and_fuzzy_search_on_either_side(page: Any, server: str) -> None:
    sunday, monday = entry_id(server, PAIRS[0][0]), entry_id(server, PAIRS[1][0])
    # Words inside translations: both port sentences, newest first, no scores.
    search(page, "opened the new port", side="target")
    expect(page.locator("#memory-results li")).to_have_count(2)
    ids = [int(i) for i in page.locator("#memory-results li").evaluate_all(
        "items => items.map(i => i.dataset.id)")]  # fmt: skip
    assert ids == sorted([sunday, monday], reverse=True)
    expect(page.locator("#memory-results")).not_to_contain_text("similarity")
    # A misspelt sentence: nothing contains it, but it is like the Sunday one.
    typo = "The president opend the new prot on Sunday."
    search(page, typo, side="target")
    expect(page.locator("#memory-status")).to_contain_text("No entries")
    search(page, typo, side="target", mode="fuzzy")
    expect(result(page, sunday)).to_contain_text("similarity")
    first = page.locator("#memory-results li").first
    assert int(first.get_attribute("data-id") or 0) == sunday  # the most similar first
    api = [e["id"] for e in found(server, typo, side="target", mode="fuzzy")]
    assert sunday in api
    # The source side: the box reads right to left, and finds by the Arabic words.
    search(page, "الميناء الجديد")
    assert page.locator("#memory-q").get_attribute("dir") == "rtl"
    expect(page.locator("#memory-results li")).to_have_count(2)
    search(page, "افتتح الرئيس الميناء الجديد يوم الخميس.", mode="fuzzy")
    expect(result(page, sunday)).to_be_visible()
    page.select_option("#memory-side", "target")
    assert page.locator("#memory-q").get_attribute("dir") == "ltr"


FORCED = "Wheat prices rose 40% in the markets."


def test_edit_an_entry_and_see_its_history(page: Any, server: str) -> None:
    source, target = PAIRS[3]
    ident = entry_id(server, source)
    search(page, "Wheat", side="target")
    entry = result(page, ident)
    entry.get_by_role("button", name=f"Edit entry {ident}").click()
    box = entry.get_by_label("Translation (English)")
    expect(box).to_be_focused()
    assert box.get_attribute("dir") == "ltr"
    box.fill("Wheat prices climbed in the markets.")
    entry.get_by_role("button", name="Save").click()
    expect(entry.locator(".entry-target")).to_have_text("Wheat prices climbed in the markets.")
    expect(entry.locator(".entry-head")).to_contain_text("editor")
    # An edit the checks find wrong (a number the source lacks) asks first, naming it.
    entry.get_by_role("button", name=f"Edit entry {ident}").click()
    entry.get_by_label("Translation (English)").fill(FORCED)
    entry.get_by_role("button", name="Save").click()
    dialog = page.locator("dialog.ask")
    expect(dialog).to_contain_text(f"entry {ident} has errors")
    expect(dialog).to_contain_text("40")
    dialog.get_by_role("button", name="Cancel").click()
    assert httpx.get(f"{server}/v1/memory/{ident}").json()["target"] == (
        "Wheat prices climbed in the markets."
    )
    entry.get_by_role("button", name="Save").click()
    dialog.get_by_role("button", name="Save anyway").click()
    expect(entry.locator(".entry-target")).to_have_text(FORCED)
    entry.get_by_role("button", name=f"History entry {ident}").click()
    history = entry.get_by_role("list", name=f"History of entry {ident}")
    expect(history.locator("li")).to_have_count(3)
    expect(history.locator("li").nth(1)).to_contain_text("edited by anonymous")
    expect(history.locator("li").nth(1)).to_contain_text(target)
    expect(history.locator("li").nth(1)).to_contain_text("Wheat prices climbed in the markets.")
    expect(history.locator("li").nth(2)).to_contain_text("over 1 error")
    # The API agrees, and a reload shows what the server holds.
    record = httpx.get(f"{server}/v1/memory/{ident}").json()
    assert (record["target"], record["origin"]) == (FORCED, "editor")
    page.reload()
    page.wait_for_selector("#memory-access:not(:empty)")
    entry = result(page, ident)
    expect(entry.locator(".entry-target")).to_have_text(FORCED)
    entry.get_by_role("button", name=f"History entry {ident}").click()
    history = entry.get_by_role("list", name=f"History of entry {ident}")
    expect(history.locator("li")).to_have_count(3)


def _memory_state(page: Any, state: dict[str, Any]) -> None:
    page.route("**/v1/memory", lambda r: r.fulfill(status=200, json=state))
    page.reload()
    page.wait_for_selector("#memory-access:not(:empty)")


def test_the_view_says_when_it_may_not_write_and_why(page: Any, server: str) -> None:
    ident = entry_id(server, PAIRS[4][0])
    base = {"exists": True, "entries": 5, "suggestions": False, "readonly": False}
    _memory_state(page, {**base, "writable": False, "open": False, "keys": False})
    expect(page.locator("#memory-access")).to_contain_text("Read only")
    expect(page.locator("#memory-access")).to_contain_text("--open-memory")
    search(page, "الدوحة")
    remove = result(page, ident).get_by_role("button", name=f"Remove entry {ident}")
    expect(remove).to_be_disabled()
    assert "--open-memory" in (remove.get_attribute("title") or "")
    expect(result(page, ident).get_by_role("button", name=f"History entry {ident}")).to_be_enabled()
    _memory_state(page, {**base, "writable": False, "open": True, "keys": False, "readonly": True})
    expect(page.locator("#memory-access")).to_contain_text("read-only on this server")
    # With keys on, the key box shows: reading and writing the memory need one.
    _memory_state(page, {**base, "writable": True, "open": False, "keys": True})
    expect(page.locator("#memory-access")).to_contain_text("need your API key")
    expect(page.locator("#api-key")).to_be_visible()
    _memory_state(page, {**base, "writable": True, "open": True, "keys": False})
    expect(page.locator("#memory-access")).to_contain_text("Open memory")
