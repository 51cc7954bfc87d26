"""A batch job keeps a document's blocks already in the target language as written, as
``translate`` does, unless the job says ``translate_all``; a resumed job keeps its choice."""

from __future__ import annotations

from pathlib import Path

import pytest

from tarjama.batch import JobOptions, run_job
from tarjama.errors import ConfigError

from .conftest import FakeTranslators, outputs

ENGLISH = "The minister said nothing at all today."
PAGE = f"<p>قال الرئيس إن الخطة جاهزة.</p><p>{ENGLISH}</p>"


def _desk(tmp_path: Path) -> Path:
    folder = tmp_path / "desk"
    folder.mkdir()
    (folder / "a.html").write_text(PAGE, encoding="utf-8")
    return folder


def test_target_language_blocks_are_kept_by_default(tmp_path: Path) -> None:
    translators = FakeTranslators()
    run_job([_desk(tmp_path)], tmp_path / "out", translators)
    assert f"<p>{ENGLISH}</p>" in outputs(tmp_path / "out")["desk/a.html"].decode()
    assert ENGLISH not in translators.sentences


def test_translate_all_sends_them_to_the_model(tmp_path: Path) -> None:
    translators = FakeTranslators()
    options = JobOptions(translate_all=True)
    run_job([_desk(tmp_path)], tmp_path / "out", translators, options)
    assert f"<p>{ENGLISH}</p>" not in outputs(tmp_path / "out")["desk/a.html"].decode()
    assert ENGLISH in translators.sentences


def test_a_resumed_job_keeps_its_choice(tmp_path: Path) -> None:
    desk, out = _desk(tmp_path), tmp_path / "out"
    run_job([desk], out, FakeTranslators(), JobOptions(translate_all=True))
    with pytest.raises(ConfigError, match="other settings"):
        run_job([desk], out, FakeTranslators(), JobOptions(resume=True))
