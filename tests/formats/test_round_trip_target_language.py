"""Text already in the target language is left alone: an English paragraph inside an
Arabic page comes back unchanged and never reaches the model; the report counts it;
``translate_all`` (``--translate-all``) turns this off."""

from __future__ import annotations

from pathlib import Path

import pytest

from tarjama.pipeline import Translator
from tarjama.pipeline.files import in_target

from ..commands import tarjama
from ..fakes import FakeEngine

ENGLISH = "The minister said the port would open in May, according to Reuters."
PAGE = f"<p>قال الوزير إن الميناء سيفتتح في مايو.</p><p>{ENGLISH}</p>"


def test_an_english_paragraph_in_an_arabic_page_comes_back_unchanged() -> None:
    engine = FakeEngine()
    result = Translator(engine).translate_file(PAGE.encode(), "html")
    out = result.data.decode()
    assert f"<p>{ENGLISH}</p>" in out
    assert "<p>&lt;قال الوزير إن الميناء سيفتتح في مايو.&gt;</p>" in out
    assert [t for call in engine.calls for t in call] == ["قال الوزير إن الميناء سيفتتح في مايو."]
    assert result.in_target == 1
    assert result.to_json()["already_in_target"] == 1


def test_translate_all_sends_it_to_the_model() -> None:
    result = Translator(FakeEngine()).translate_file(PAGE.encode(), "html", translate_all=True)
    assert f"<p>&lt;{ENGLISH}&gt;</p>" in result.data.decode()
    assert result.in_target == 0


@pytest.mark.parametrize(
    ("text", "source", "target", "kept"),
    [
        (ENGLISH, "ar", "en", True),
        ("قال الرئيس إن شركة Apple وGoogle وMicrosoft ستستثمر.", "ar", "en", False),
        ("قال الرئيس.", "en", "ar", True),
        (ENGLISH, "en", "ar", False),
        ("2026", "ar", "en", False),  # no letters: not judged here
        (ENGLISH, "en", "fr", False),  # one script: cannot tell
    ],
)
def test_in_target_judges_by_script(text: str, source: str, target: str, kept: bool) -> None:
    assert in_target(text, source, target) is kept


def test_the_cli_says_how_many_blocks_it_kept(
    tmp_path: Path, copy_model_dir: Path, home: Path
) -> None:
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    args = ["translate", "page.html", "--model", str(copy_model_dir), "--no-memory"]
    ran = tarjama(*args, home=home, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert b"1 block(s) already in en kept as they were" in ran.stderr
    assert f"<p>{ENGLISH}</p>".encode() in (tmp_path / "page.en.html").read_bytes()
