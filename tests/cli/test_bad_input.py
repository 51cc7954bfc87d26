"""The command line's bad-input table (the hostile-input run of issue H): each case is one
line on stderr and exit code 2, no traceback, and nothing the user had is lost.

The commands run in-process, except where a full disk is simulated: with RLIMIT_FSIZE in
a child process, a write past the limit fails with EFBIG partway, as one on a full disk
fails with ENOSPC (a limit the test runner itself must not live under).
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ..commands import tarjama_text as tarjama
from ..conftest import ARTICLE_AR, ARTICLE_EN, corpus

OLD = "the editor's previous version\n"


def tarjama_limited(
    *args: str, home: Path, fsize: int | None = None, stdin: bytes = b""
) -> subprocess.CompletedProcess[str]:
    """``python -m tarjama ARGS`` in a child whose files may grow to ``fsize`` bytes."""

    def limit() -> None:
        if fsize is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write, do not kill
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    env = {**os.environ, "TARJAMA_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "tarjama", *args],
        input=stdin.decode(),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        preexec_fn=limit,
    )


def memory_with_entries(tmp: Path, count: int) -> Path:
    """A memory of ``count`` made-up pairs, imported through the CLI."""
    tsv = tmp / "pairs.tsv"
    rows = ["source_lang\ttarget_lang\tsource\ttarget\torigin\tcreated"]
    rows += [
        f"ar\ten\tالجملة رقم {i} عن الميناء الجديد\tSentence number {i} about the new port\t"
        f"desk\t2024-01-01T00:00:00+00:00"
        for i in range(count)
    ]
    tsv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    db = tmp / "memory.sqlite"
    r = tarjama("memory", "import", str(tsv), "--memory", str(db), "--quiet", home=tmp / "home")
    assert r.returncode == 0, r.stderr
    return db


# (id, build the arguments in a temporary directory, stderr fragment)
Case = tuple[str, Callable[[Path], list[str]], str]


def _glossary(tmp: Path, text: str) -> list[str]:
    g = tmp / "g.csv"
    g.write_text(text, encoding="utf-8")
    return ["check", str(ARTICLE_AR), str(ARTICLE_EN), "--glossary", str(g)]


def _empty_pair(tmp: Path) -> list[str]:
    (tmp / "h.txt").write_text("", encoding="utf-8")
    (tmp / "r.txt").write_text("", encoding="utf-8")
    return ["evaluate", "--hyp", str(tmp / "h.txt"), "--ref", str(tmp / "r.txt")]


CASES: list[Case] = [
    # #6: two empty files crashed with an IndexError traceback
    ("evaluate-two-empty-files", _empty_pair, "nothing to score"),
    # #9: a reversed glossary never matched, and nothing was said
    (
        "glossary-reversed-columns",
        lambda t: _glossary(t, "Putin,بوتين\n"),
        "g.csv:1: the Arabic term is in the English column",
    ),
    (
        "glossary-extra-columns",
        lambda t: _glossary(t, "بوتين,Putin,the president,spare\n"),
        "g.csv:1: 4 columns where 3 are expected (ar,en,note)",
    ),
    (
        "glossary-unknown-header",
        lambda t: _glossary(t, "ar,en,comment\nبوتين,Putin,x\n"),
        "g.csv:1: unknown or repeated column",
    ),
    # #14: the CLI refused less than the API
    (
        "check-same-language",
        lambda t: ["check", str(ARTICLE_AR), str(ARTICLE_EN), "--source", "ar", "--target", "ar"],
        "source and target must differ",
    ),
    (
        "memory-search-unknown-language",
        lambda t: ["memory", "search", "مرحبا", "--source", "xx"],
        "invalid choice: 'xx'",
    ),
]


@pytest.mark.parametrize(("build", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input(tmp_path: Path, build: Callable[[Path], list[str]], message: str) -> None:
    r = tarjama(*build(tmp_path), home=tmp_path / "home")
    assert r.returncode == 2, r.stderr
    assert message in r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_a_header_names_the_column_order(tmp_path: Path) -> None:
    """#9: ``en,ar`` as a header is the order of the columns, not a term."""
    args = _glossary(tmp_path, "en,ar\nYanbo,ينبع\n")
    r = tarjama(*args, "--format", "json", home=tmp_path / "home")
    assert r.returncode == 1  # the article writes Yanbu: the glossary's spelling is missing
    assert '"check": "glossary"' in r.stdout and '"source_text": "ينبع"' in r.stdout


def test_full_disk_keeps_the_old_output(tmp_path: Path, tiny_model_dir: Path) -> None:
    """#5: --output onto an existing file destroyed it and left a partial one."""
    out = tmp_path / "out.txt"
    out.write_text(OLD, encoding="utf-8")
    article = "\n".join(corpus("ar")).encode()
    args = ["translate", "--model", str(tiny_model_dir), "--no-memory", "--output", str(out)]
    r = tarjama_limited(*args, home=tmp_path / "home", fsize=2048, stdin=article)
    assert r.returncode == 2, r.stderr
    assert f"cannot write {out}: File too large" in r.stderr and "Traceback" not in r.stderr
    assert out.read_text(encoding="utf-8") == OLD
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no temporary
    r = tarjama_limited(*args, home=tmp_path / "home", stdin=article)  # room: replaced whole
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8").count("\n") == len(corpus("ar"))


@pytest.mark.parametrize("suffix", [".tmx", ".tsv"])
def test_full_disk_memory_export_leaves_no_empty_file(tmp_path: Path, suffix: str) -> None:
    """#5: `memory export` left a 0-byte file on a full disk."""
    db = memory_with_entries(tmp_path, 600)
    fresh, kept = tmp_path / f"new{suffix}", tmp_path / f"old{suffix}"
    kept.write_text(OLD, encoding="utf-8")
    for target in (fresh, kept):
        args = ["memory", "export", str(target), "--memory", str(db)]
        r = tarjama_limited(*args, home=tmp_path / "home", fsize=64 << 10)
        assert r.returncode == 2, r.stderr
        assert f"cannot write {target}" in r.stderr and "Traceback" not in r.stderr
    assert not fresh.exists()
    assert kept.read_text(encoding="utf-8") == OLD
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    r = tarjama_limited("memory", "export", str(kept), "--memory", str(db), home=tmp_path / "home")
    assert r.returncode == 0 and "600 entries" in r.stderr
    assert kept.stat().st_size > 64 << 10


def test_models_add_refuses_a_model_that_cannot_load(tmp_path: Path, tiny_model_dir: Path) -> None:
    """#14: `models add` must not install a model.bin that cannot load."""
    bad = tmp_path / "bad"
    bad.mkdir()
    for f in tiny_model_dir.iterdir():
        (bad / f.name).write_bytes(f.read_bytes())
    data = (bad / "model.bin").read_bytes()
    (bad / "model.bin").write_bytes(data[: len(data) // 2])
    home = tmp_path / "home"
    r = tarjama("models", "add", str(bad), "--name", "bad", home=home)
    assert r.returncode == 2 and "cannot load model 'bad'" in r.stderr
    assert r.stderr.count("\n") == 1
    assert "bad" not in tarjama("models", "list", home=home).stdout
