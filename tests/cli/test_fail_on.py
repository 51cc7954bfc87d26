"""`--fail-on error|warning`: scripts can rely on `tarjama translate` and `tarjama batch`
exiting 1 when the checks found issues of that severity, the output written all the same,
and the summary line saying where to see them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..commands import tarjama
from ..conftest import ARTICLE_AR, ARTICLE_BILINGUAL


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, tiny_model_dir: Path) -> Path:
    home = tmp_path_factory.mktemp("home")
    r = tarjama("models", "add", str(tiny_model_dir), "--name", "tiny", home=home)
    assert r.returncode == 0, r.stderr
    return home


def _issues(out: Path) -> dict[str, int]:
    doc = json.loads(out.read_text(encoding="utf-8"))
    found = [i for p in doc["paragraphs"] for s in p["segments"] for i in s["issues"]]
    return {sev: sum(i["severity"] == sev for i in found) for sev in ("error", "warning")}


@pytest.mark.parametrize("fail_on", [None, "error", "warning"])
def test_translate_fails_on_what_it_is_told(
    home: Path, tmp_path: Path, fail_on: str | None
) -> None:
    out = tmp_path / "out.json"
    flag = ["--fail-on", fail_on] if fail_on else []
    r = tarjama(
        "translate", str(ARTICLE_AR), "--beam", "1", "-f", "json", "-o", str(out), *flag, home=home
    )
    found = _issues(out)  # written whatever the exit status
    assert found["error"] > 0  # the tiny model's output has errors to find
    assert r.returncode == (0 if fail_on is None else 1), r.stderr
    line = r.stderr.decode().splitlines()[0]
    assert f"{found['error']} error(s)" in line
    assert "see them with --format json, or tarjama check" in line


def test_clean_output_passes_even_on_warnings(home: Path, tmp_path: Path) -> None:
    """The article from an editor's memory: nothing to find, exit 0 with --fail-on warning."""
    memory = tmp_path / "tm.sqlite"
    r = tarjama(
        "memory", "import", str(ARTICLE_BILINGUAL), "--memory", str(memory), "-q", home=home
    )
    assert r.returncode == 0, r.stderr
    out = tmp_path / "out.json"
    r = tarjama(
        "translate", str(ARTICLE_AR), "--memory", str(memory), "-f", "json", "-o", str(out),
        "--fail-on", "warning", home=home,
    )  # fmt: skip
    assert _issues(out) == {"error": 0, "warning": 0}
    assert r.returncode == 0, r.stderr
    assert "checks found no issues" in r.stderr.decode()


def test_a_document_fails_on_errors_too(home: Path, tmp_path: Path) -> None:
    src = tmp_path / "a.md"
    src.write_text(ARTICLE_AR.read_text(encoding="utf-8"), encoding="utf-8")
    r = tarjama("translate", str(src), "--beam", "1", "--fail-on", "error", home=home)
    assert r.returncode == 1 and (tmp_path / "a.en.md").is_file()


@pytest.mark.parametrize("fail_on", [None, "error"])
def test_batch_fails_on_errors_when_told(home: Path, tmp_path: Path, fail_on: str | None) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(ARTICLE_AR.read_text(encoding="utf-8"), encoding="utf-8")
    flag = ["--fail-on", fail_on] if fail_on else []
    out = tmp_path / "out"
    r = tarjama("batch", str(src), "--out", str(out), "-m", "tiny", "--beam", "1", *flag, home=home)
    assert (out / "in" / "a.txt").is_file()  # written all the same
    assert "error" in r.stdout.decode()
    assert r.returncode == (0 if fail_on is None else 1), r.stderr
