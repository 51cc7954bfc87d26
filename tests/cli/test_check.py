"""tarjama check: exit codes, text and JSON reports on the sample article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tarjama.cli import main
from tarjama.fidelity.length import calibrate, load_norms

from ..conftest import SHARED

AR = SHARED / "samples" / "port-expansion.ar.txt"
EN = SHARED / "samples" / "port-expansion.en.txt"


def test_sample_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(AR), str(EN)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "0 error(s), 0 warning(s)"


def test_changed_number_fails_with_paragraph_check_and_spans(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.en"
    bad.write_text(EN.read_text(encoding="utf-8").replace("12,000", "21,000"), encoding="utf-8")
    assert main(["check", str(AR), str(bad)]) == 1
    out = capsys.readouterr().out
    assert "paragraph 2  numbers  error: number '12 ألف' is missing or changed" in out
    assert "    source: 12 ألف" in out
    assert "    target: 21,000" in out


def test_json_report_and_glossary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    glossary = tmp_path / "g.tsv"
    glossary.write_text("جدة\tJiddah\n", encoding="utf-8")
    assert main(["check", str(AR), str(EN), "--glossary", str(glossary), "--format", "json"]) == 1
    issues = json.loads(capsys.readouterr().out)
    assert {(i["paragraph"], i["check"], i["source_text"]) for i in issues} == {
        (1, "glossary", "جدة"),
        (4, "glossary", "جدة"),
    }


def test_paragraph_mismatch_is_a_user_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    short = tmp_path / "short.en"
    short.write_text("One paragraph only.\n", encoding="utf-8")
    assert main(["check", str(AR), str(short)]) == 2
    assert "not paragraph-aligned: 5 source paragraphs, 1 in the translation" in (
        capsys.readouterr().err
    )


def test_shipped_length_norm_is_rederived_from_flores_dev() -> None:
    flores = SHARED / "data" / "mozilla-eval" / "ar-en"
    ar = (flores / "flores-dev.ar").read_text(encoding="utf-8").splitlines()
    en = (flores / "flores-dev.en").read_text(encoding="utf-8").splitlines()
    fresh = calibrate(zip(ar, en, strict=True), "ar", "en")
    shipped = load_norms()["ar", "en"]
    # Loose enough for a small change in sentence splitting, tight enough to catch a stale
    # file: re-derive with scripts/fidelity_figures.py --calibrate.
    assert fresh.mean == pytest.approx(shipped.mean, abs=1e-6)
    assert fresh.sentence_var == pytest.approx(shipped.sentence_var, rel=0.05)
    assert fresh.char_var == pytest.approx(shipped.char_var, rel=0.05)
