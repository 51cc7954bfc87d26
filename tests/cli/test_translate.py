"""The command line end to end, in a subprocess like a user would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import SAMPLES, TRANSLIT_MODEL


def tarjama(
    *args: str, home: Path, stdin: bytes = b"", cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "TARJAMA_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "tarjama", *args],
        input=stdin,
        capture_output=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, tiny_model_dir: Path) -> Path:
    """A home with the transliteration model and the tiny OPUS-MT model installed via the CLI."""
    home = tmp_path_factory.mktemp("home")
    r = tarjama("models", "add", str(TRANSLIT_MODEL), "--name", "translit", home=home)
    assert r.returncode == 0, r.stderr
    assert b"added translit (characters, ar->en" in r.stdout
    r = tarjama("models", "add", str(tiny_model_dir), "--name", "tiny", home=home)
    assert r.returncode == 0, r.stderr
    return home


def test_models_list(store: Path) -> None:
    r = tarjama("models", "list", home=store)
    lines = r.stdout.decode().splitlines()
    assert lines[0].startswith("tiny\tmarian\tar->en") or lines[1].startswith("tiny\tmarian")
    assert any(line.startswith("translit\tcharacters\tar->en") for line in lines)
    assert "available to pull: nllb-200-distilled-600M" in lines[-1]


def test_models_show(store: Path) -> None:
    r = tarjama("models", "show", "translit", home=store)
    assert json.loads(r.stdout)["family"] == "characters"


def test_translate_with_transliteration_model(store: Path) -> None:
    r = tarjama("translate", "--model", "translit", home=store, stdin="زيلينسكي\n".encode())
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode() == "zelensky\n"


def test_translate_tiny_model_text_and_json_agree(store: Path, tmp_path: Path) -> None:
    src = SAMPLES / "port-expansion.ar.txt"
    text = tarjama("translate", str(src), "--model", "tiny", home=store)
    assert text.returncode == 0, text.stderr
    out = tmp_path / "out.json"
    js = tarjama("translate", str(src), "-m", "tiny", "-f", "json", "-o", str(out), home=store)
    assert js.returncode == 0 and js.stdout == b""
    data = json.loads(out.read_text(encoding="utf-8"))
    paragraphs = text.stdout.decode().splitlines()
    assert len(paragraphs) == 5
    assert [p["translation"] for p in data["paragraphs"]] == paragraphs
    assert all(
        s["translation"] and s["origin"] == "model"
        for p in data["paragraphs"]
        for s in p["segments"]
    )
    assert data["model"]["name"] == "tiny"
    assert set(data["model"]["signature"]) >= {"model_id", "tokenizer", "beam"}


def test_model_directory_instead_of_name(store: Path) -> None:
    r = tarjama("translate", "--model", str(TRANSLIT_MODEL), home=store, stdin="تاس".encode())
    assert r.returncode == 0 and r.stdout.decode().strip() == "tass"


def test_empty_input_is_empty_output(store: Path) -> None:
    r = tarjama("translate", "--model", "translit", home=store, stdin=b"")
    assert (r.returncode, r.stdout, r.stderr) == (0, b"", b"")


ERRORS = [
    # (args, stdin, message fragment)
    (["translate", "--model", "translit", "/no/such/file"], b"", "no such file: /no/such/file"),
    (["translate", "--model", "translit"], b"ab\xffcd", "first bad byte at offset 2"),
    (["translate", "--model", "translit"], b"\x00\x01\x02", "binary"),
    (["translate", "--model", "nope"], b"x", "unknown model 'nope' (installed: tiny, translit)"),
    (["translate", "-m", "translit", "-s", "en", "-t", "ar"], b"x", "does not translate en->ar"),
    (["translate", "-m", "translit", "--beam", "0"], b"x", "beam size must be at least 1"),
    (["translate", "-m", "translit", "--device", "tpu"], b"x", "invalid choice: 'tpu'"),
    (["translate", "-m", "translit", "-s", "fr"], b"x", "does not translate fr->en"),
    (["models", "remove", "ghost"], b"", "unknown model 'ghost'"),
    (["models", "add", "/no/dir", "--name", "x"], b"", "no such directory: /no/dir"),
    (["models", "add", "/tmp", "--name", "x"], b"", "holds no model.bin"),
    (["models", "pull", "gpt-17"], b"", "invalid choice: 'gpt-17'"),
    (["frobnicate"], b"", "invalid choice: 'frobnicate'"),
]


@pytest.mark.parametrize(("args", "stdin", "message"), ERRORS)
def test_user_errors_are_one_line_exit_2(
    store: Path, args: list[str], stdin: bytes, message: str
) -> None:
    r = tarjama(*args, home=store, stdin=stdin)
    err = r.stderr.decode()
    assert r.returncode == 2, err
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_corrupt_installed_model(store: Path, tmp_path: Path) -> None:
    home = tmp_path / "h"
    assert tarjama("models", "add", str(TRANSLIT_MODEL), "--name", "t", home=home).returncode == 0
    (home / "models" / "t" / "model.bin").write_bytes(b"garbage")
    r = tarjama("translate", "-m", "t", home=home, stdin="تاس".encode())
    assert r.returncode == 2 and b"cannot load model 't'" in r.stderr
    assert r.stderr.count(b"\n") == 1


def test_huge_input_is_one_line_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import io

    from tarjama import document
    from tarjama.cli import main

    monkeypatch.setattr(document, "MAX_INPUT_BYTES", 2**20)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"x" * (2**20 + 1))))
    assert main(["translate", "-m", str(TRANSLIT_MODEL)]) == 2
    assert capsys.readouterr().err == (
        "tarjama: error: standard input holds more than 1 MB, the most tarjama reads at a "
        "time (split it into smaller files)\n"
    )
