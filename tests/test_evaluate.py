"""evaluate: sacrebleu scores with signatures; it reproduces the published BLEU of six systems
on FLORES devtest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tarjama.cli import main
from tarjama.errors import ConfigError, InputError
from tarjama.evaluate import evaluate

from .conftest import ARTICLE_EN, FLORES

SYSTEMS = ["google", "microsoft", "bergamot-base", "nllb", "opusmt", "argos"]


def _lines(name: str) -> list[str]:
    return (FLORES / name).read_text(encoding="utf-8").splitlines()


@pytest.mark.needs_data
@pytest.mark.parametrize("system", SYSTEMS)
def test_reproduces_published_bleu(system: str) -> None:
    published = float((FLORES / f"flores-test.{system}.en.bleu").read_text())
    result = evaluate(
        _lines(f"flores-test.{system}.en"), _lines("flores-test.en"), metrics=["BLEU"]
    )
    (bleu,) = result.scores
    assert round(bleu.score, 1) == published
    assert bleu.signature.startswith("nrefs:1|case:mixed|eff:no|tok:13a")


def test_cli_json_has_three_signed_scores_and_says_comet_was_skipped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    hyp = tmp_path / "hyp.en.txt"
    hyp.write_text(ARTICLE_EN.read_text(encoding="utf-8").replace("7%", "9%"), encoding="utf-8")
    code = main(["evaluate", "--hyp", str(hyp), "--ref", str(ARTICLE_EN), "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    bleu = next(s for s in out["scores"] if s["metric"] == "BLEU")
    assert 90 < bleu["score"] < 100  # one token of the article changed
    assert [s["metric"] for s in out["scores"]] == ["BLEU", "chrF++", "TER"]
    assert all("version:" in s["signature"] for s in out["scores"])
    assert "--src" in out["comet_skipped"]


def test_cli_text_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    hyp = tmp_path / "h.txt"
    hyp.write_text("the cat sat on the mat all day long\n", encoding="utf-8")
    assert main(["evaluate", "--hyp", str(hyp), "--ref", str(hyp), "--src", str(hyp)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("BLEU    100.00")
    assert "COMET   skipped:" in out


def test_unknown_metric_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="METEOR"):
        evaluate(["a"], ["a"], metrics=["METEOR"])


def test_line_count_mismatch_is_an_input_error() -> None:
    with pytest.raises(InputError, match="2 hypothesis lines but 1 reference"):
        evaluate(["a", "b"], ["a"])
