"""tarjama check: exit codes, text and JSON reports on the test article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tarjama.cli import main
from tarjama.fidelity.length import calibrate, load_norms

from ..conftest import ARTICLE_AR, ARTICLE_EN, FLORES

AR, EN = ARTICLE_AR, ARTICLE_EN


def test_article_is_clean(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    assert main(["check", str(AR), str(EN)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "0 error(s), 0 warning(s)"


def test_changed_number_fails_with_paragraph_check_and_spans(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    bad = tmp_path / "bad.en"
    bad.write_text(EN.read_text(encoding="utf-8").replace("450,000", "540,000"), encoding="utf-8")
    assert main(["check", str(AR), str(bad)]) == 1
    out = capsys.readouterr().out
    assert "paragraph 1  numbers  error: number '٤٥٠ ألف' is missing or changed" in out
    assert "    source: ٤٥٠ ألف" in out
    assert "    target: 540,000" in out


def test_json_report_has_the_servers_shape_and_uses_the_glossary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    glossary = tmp_path / "g.tsv"
    glossary.write_text("ينبع\tYanbo\n", encoding="utf-8")
    assert main(["check", str(AR), str(EN), "--glossary", str(glossary), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    # As /v1/check answers:
    assert set(report) == {"issues", "errors", "warnings", "needs_a_look", "look_first"}
    assert {(i["paragraph"], i["check"], i["source_text"]) for i in report["issues"]} == {
        (0, "glossary", "ينبع"),  # the first paragraph: index 0, as in paragraphs[].index
    }
    assert (report["errors"], report["warnings"]) == (1, 0)


def test_paragraph_mismatch_is_a_user_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    short = tmp_path / "short.en"
    short.write_text("One paragraph only.\n", encoding="utf-8")
    assert main(["check", str(AR), str(short)]) == 2
    assert "not paragraph-aligned: 5 source paragraphs, 1 in the translation" in (
        capsys.readouterr().err
    )


@pytest.mark.needs_data
def test_shipped_length_norm_is_rederived_from_flores_dev() -> None:
    ar = (FLORES / "flores-dev.ar").read_text(encoding="utf-8").splitlines()
    en = (FLORES / "flores-dev.en").read_text(encoding="utf-8").splitlines()
    fresh = calibrate(zip(ar, en, strict=True), "ar", "en")
    shipped = load_norms()["ar", "en"]
    # Loose enough for a small change in sentence splitting, tight enough to catch a stale
    # file: re-derive with scripts/fidelity_figures.py --calibrate.
    assert fresh.mean == pytest.approx(shipped.mean, abs=1e-6)
    assert fresh.sentence_var == pytest.approx(shipped.sentence_var, rel=0.05)
    assert fresh.char_var == pytest.approx(shipped.char_var, rel=0.05)
