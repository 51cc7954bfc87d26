"""The risk order on the command line: `tarjama check --format json` ranks the lines to read
first, and `tarjama translate --format json` gives each segment its score and the
document its short list, agreeing with the issues it prints."""

from __future__ import annotations

import json
from pathlib import Path

from tarjama.document import LOOK_AT, LOOK_FIRST_MAX, Issue
from tarjama.fidelity import needs_a_look

from ..commands import tarjama
from ..conftest import ARTICLE_AR
from ..known_lines import LINES


def test_check_json_puts_the_wrong_line_first(tmp_path: Path) -> None:
    source, wrong = tmp_path / "a.ar", tmp_path / "a.en"
    source.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    wrong.write_text("\n".join(LINES.values()) + "\n", encoding="utf-8")
    r = tarjama("check", str(source), str(wrong), "--format", "json", home=tmp_path / "home")
    assert r.returncode == 1  # a numbers error
    report = json.loads(r.stdout)
    assert [(f["paragraph"], f["checks"]) for f in report["look_first"]] == [(1, ["numbers"])]
    assert report["needs_a_look"] == report["look_first"][0]["needs_a_look"] >= 0.9


def test_translate_json_scores_every_segment(tiny_model_dir: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert (
        tarjama("models", "add", str(tiny_model_dir), "--name", "tiny", home=home).returncode == 0
    )
    r = tarjama("translate", str(ARTICLE_AR), "-m", "tiny", "-f", "json", home=home)
    doc = json.loads(r.stdout)
    segments = [(p["index"], s) for p in doc["paragraphs"] for s in p["segments"]]
    for _, s in segments:  # the tiny model writes nonsense: the checks have much to say
        issues = [Issue(**{k: v for k, v in i.items() if k != "plain"}) for i in s["issues"]]
        assert s["needs_a_look"] == needs_a_look(issues, s["score"])
    ranked = sorted(
        ((s["needs_a_look"], p, s["index"]) for p, s in segments if s["needs_a_look"] >= LOOK_AT),
        key=lambda t: (-t[0], t[1], t[2]),
    )[:LOOK_FIRST_MAX]
    assert ranked, "the tiny model's nonsense should need a look"
    assert [(f["needs_a_look"], f["paragraph"], f["segment"]) for f in doc["look_first"]] == ranked
    assert doc["needs_a_look"] == max(s["needs_a_look"] for _, s in segments)
