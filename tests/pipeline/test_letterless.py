"""Letterless segments (digits, symbols, URLs, e-mail addresses, codes) are copied with the
target's digits, in every format and in /translate: the engine never sees them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tarjama.pipeline import Translator

from ..fakes import FakeEngine
from ..server.conftest import build_client

LETTERLESS = ["45", "2026", "12.5%", "https://example.com/مقال", "news@example.org", "ISO-9001"]


_XLIFF = (
    '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="x"'
    ' datatype="plaintext" source-language="ar" target-language="en"><body>'
    '<trans-unit id="1"><source>2026</source></trans-unit>'
    '<trans-unit id="2"><source>نص</source></trans-unit></body></file></xliff>'
)


def _sent(engine: FakeEngine) -> list[str]:
    return [t for call in engine.calls for t in call]


def test_letterless_texts_are_copied_and_the_rest_translated() -> None:
    engine = FakeEngine()
    out = Translator(engine).translate([*LETTERLESS, "مرحبا"])
    assert out == [*LETTERLESS, "<مرحبا>"]
    assert _sent(engine) == ["مرحبا"]


def test_numbers_take_the_targets_digits() -> None:
    engine = FakeEngine()
    assert Translator(engine).translate(["٤٥", "١٢٫٥٪", "٢٠٢٦/٥/١"]) == ["45", "12.5%", "2026/5/1"]
    to_arabic = Translator(engine, source="en", target="ar", digits="arabic")
    assert to_arabic.translate(["45", "https://x.org/45"]) == ["٤٥", "https://x.org/45"]
    assert engine.calls == []


@pytest.mark.parametrize(
    ("kind", "document", "kept"),
    [
        (
            "html",
            b"<table><tr><td>\xd9\xa4\xd9\xa5</td><td>\xd9\x86\xd8\xb5</td></tr></table>",
            "45",
        ),
        ("markdown", "| عدد | 2026 |\n|---|---|\n| نص | 12.5% |\n".encode(), "12.5%"),
        ("xliff", _XLIFF.encode(), ">2026</target>"),
        ("txt", "https://example.com\nنص\n".encode(), "https://example.com"),
    ],
)
def test_every_format_copies_its_letterless_blocks(kind: str, document: bytes, kept: str) -> None:
    engine = FakeEngine()
    out = Translator(engine).translate_file(document, kind, where="the file").data.decode()
    assert kept in out
    assert all(any(ch.isalpha() for ch in t) for t in _sent(engine))
    assert "<نص>" in out or "&lt;نص&gt;" in out  # the rest still translated


def test_translate_copies_urls_addresses_and_codes(home: Path) -> None:
    """/translate gives back items without letters itself (as LibreTranslate does); those
    with letters but nothing to translate are copied by the pipeline."""
    engine = FakeEngine(pairs=[("ar", "en")])
    q = ["https://example.com/مقال", "news@example.org", "ISO-9001", "نص"]
    with build_client(engine) as client:
        got = client.post("/translate", json={"q": q, "source": "ar", "target": "en"})
    assert got.status_code == 200
    assert got.json()["translatedText"] == [*q[:3], "<نص>"]
    assert _sent(engine) == ["نص"]
