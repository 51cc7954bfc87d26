"""The page names who wrote each sentence of an LLM's translation: the LLM, the LLM asked a
second time, or the pair's NMT model after the LLM's answer failed its checks (the
guard's origins), in real Chromium against `tarjama serve`, the answer routed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright import sync_api

from ..servers import serving
from .conftest import desk_page

pytestmark = [pytest.mark.slow, pytest.mark.needs_chromium]

SENTENCES = [
    ("قال الرئيس إن الخطة جاهزة.", "The president said the plan is ready.", "model"),
    ("وصلت 7 سفن.", "7 ships arrived.", "model+retry"),
    ("وأضاف أن الميناء سيفتح.", "He added that the port will open.", "llm→model+glossary"),
]


@pytest.fixture(scope="module")
def server(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(tiny_model_dir, tmp_path_factory.mktemp("home")) as url:
        yield url


def answer() -> dict[str, Any]:
    segments = [
        {"index": i, "source": s, "start": 0, "end": len(s), "translation": t, "score": -0.3,
         "origin": o, "issues": [], "suggestions": []}
        for i, (s, t, o) in enumerate(SENTENCES)
    ]  # fmt: skip
    return {
        "model": {"name": "hunyuan"},
        "source": "ar",
        "target": "en",
        "text": " ".join(t for _, t, _ in SENTENCES),
        "guard": {"retries": 2, "fallbacks": 1},
        "paragraphs": [
            {
                "index": 0,
                "source": " ".join(s for s, _, _ in SENTENCES),
                "translation": " ".join(t for _, t, _ in SENTENCES),
                "segments": segments,
            }
        ],
    }


def test_each_sentence_says_which_engine_wrote_it(browser: Any, server: str) -> None:
    with desk_page(browser, server) as page:
        page.route(
            "**/v1/translate",
            lambda route: route.fulfill(
                status=200, content_type="application/json", body=json.dumps(answer())
            ),
        )
        page.locator("#source-text").fill(" ".join(s for s, _, _ in SENTENCES))
        page.locator("#translate").click()
        page.wait_for_selector("#result:not([hidden]) .pair .row")
        targets = page.locator(".target .seg.target-text")
        sync_api.expect(targets).to_have_count(3)
        writers = [targets.nth(k).get_attribute("data-writer") for k in range(3)]
        assert writers == [
            "hunyuan",
            "hunyuan, asked again",
            "the NMT model (hunyuan's answer failed the checks), glossary terms",
        ]
        assert "written by hunyuan (origin: model)" in (targets.nth(0).get_attribute("title") or "")
        assert page.locator(".target .badge.origin-model-retry").inner_text() == "LLM, asked again"
        assert page.locator(".target .badge.origin-llm-model-glossary").inner_text() == (
            "NMT fallback"
        )
        summary = page.locator("#summary").inner_text()
        assert "1 from hunyuan," in summary and "1 from hunyuan, asked again" in summary
        assert "1 from the NMT model (hunyuan's answer failed the checks)" in summary
