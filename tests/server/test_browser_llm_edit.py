"""The page names the LLM that edited a sentence (``tarjama serve --llm-post-edit``): its
writer reads "LLM, editing MODEL's draft" and its badge "LLM edit", in real Chromium
against a real `tarjama serve` whose editor is the loopback stub."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright import sync_api

from tarjama.workspace import Workspace

from ..llm_stub import Stub, romanized, serve_stub
from ..servers import serving
from .conftest import desk_page

pytestmark = [pytest.mark.slow, pytest.mark.needs_chromium]

AR = ["قال الرئيس إن الخطة جاهزة للتنفيذ.", "وصلت 7 سفن إلى الميناء أمس."]


@pytest.fixture
def stub() -> Iterator[Stub]:
    yield from serve_stub()


@pytest.fixture
def server(stub: Stub, copy_model_dir: Path, tmp_path: Path) -> Iterator[str]:
    home = tmp_path / "home"
    Workspace.open(home).add_endpoint("llm", url=stub.url, model="m")
    with serving(copy_model_dir, home, "--llm-post-edit", "llm") as url:
        yield url


def test_each_edited_sentence_names_the_llm_and_the_draft_it_edited(
    browser: Any, server: str, stub: Stub, copy_model_dir: Path
) -> None:
    stub.script = [("replace", ("7", ""))]  # the second sentence's edit fails: the draft stands
    model = copy_model_dir.name
    with desk_page(browser, server) as page:
        page.locator("#source-text").fill(" ".join(AR))
        page.locator("#translate").click()
        page.wait_for_selector("#result:not([hidden]) .pair .row")
        targets = page.locator(".target .seg.target-text")
        sync_api.expect(targets).to_have_count(2)
        assert targets.nth(0).inner_text().strip() == romanized(AR[0])
        writers = [targets.nth(k).get_attribute("data-writer") for k in range(2)]
        assert writers == [f"llm, editing {model}'s draft", model]
        assert page.locator(".target .badge.origin-llm-edit").inner_text() == "LLM edit"
        summary = page.locator("#summary").inner_text()
        assert f"1 from llm, editing {model}'s draft" in summary and f"1 from {model}" in summary
