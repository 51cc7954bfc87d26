"""The command line end to end, called in-process as a user's shell would call it (a few
tests spawn ``python -m tarjama``, where the process itself is under test)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tarjama.testing import build_marian_model

from ..commands import tarjama, tarjama_process
from ..conftest import ARTICLE_AR, TRANSLIT_MODEL, corpus


@pytest.fixture(scope="module")
def en_ar_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny converted opus-mt-en-ar: a >>ara<< token in its source vocabulary."""
    out = tmp_path_factory.mktemp("models") / "en-ar"
    return build_marian_model(out, corpus("en"), corpus("ar"), language_tokens=[">>ara<<"])


@pytest.fixture(scope="module")
def store(
    tmp_path_factory: pytest.TempPathFactory,
    tiny_model_dir: Path,
    tiny_characters_dir: Path,
    en_ar_dir: Path,
) -> Path:
    """A home with a helper, an ar->en and an en->ar model, installed via the CLI."""
    home = tmp_path_factory.mktemp("home")
    r = tarjama("models", "add", str(tiny_characters_dir), "--name", "translit", home=home)
    assert r.returncode == 0, r.stderr
    assert b"added translit (helper, characters, ar->en" in r.stdout
    r = tarjama("models", "add", str(tiny_model_dir), "--name", "tiny", home=home)
    assert r.returncode == 0, r.stderr
    r = tarjama("models", "add", str(en_ar_dir), "--name", "tiny-en-ar", home=home)
    assert r.returncode == 0, r.stderr
    assert b"en->ar, source prefix >>ara<<" in r.stdout
    return home


def test_models_list_shows_roles(store: Path) -> None:
    lines = tarjama("models", "list", home=store).stdout.decode().splitlines()
    assert "tiny\ttranslator\tmarian\tar->en" in "\n".join(lines)
    assert any(line.startswith("translit\thelper\tcharacters\tar->en") for line in lines)
    assert lines[-1].startswith("available to pull: opus-mt-tc-big-ar-en")


def test_models_list_available_shows_size_quality_and_defaults(store: Path) -> None:
    out = tarjama("models", "list", "--available", home=store).stdout.decode()
    rows = {line.split("\t")[0]: line for line in out.splitlines() if "\t" in line}
    assert "BLEU ar->en 42.8" in rows["opus-mt-tc-big-ar-en"]
    assert "[default ar->en]" in rows["opus-mt-tc-big-ar-en"]
    assert "[default en->ar]" in rows["opus-mt-tc-big-en-ar"]
    assert "~80 MB" in rows["opus-mt-ar-en"] and "small and fast" in rows["opus-mt-ar-en"]


def test_models_show(store: Path) -> None:
    r = tarjama("models", "show", "translit", home=store)
    data = json.loads(r.stdout)
    assert (data["family"], data["role"]) == ("characters", "helper")


def test_the_pair_picks_the_model(store: Path) -> None:
    # No --model: ar->en is "tiny", en->ar is "tiny-en-ar", and never the helper.
    ar_en = tarjama("translate", "-f", "json", home=store, stdin="قال الوزير.".encode())
    assert ar_en.returncode == 0, ar_en.stderr
    assert json.loads(ar_en.stdout)["model"]["name"] == "tiny"
    for args in (["--target", "ar"], ["--source", "en", "--target", "ar"], ["-s", "en"]):
        en_ar = tarjama("translate", *args, "-f", "json", home=store, stdin=b"The plant.")
        assert en_ar.returncode == 0, en_ar.stderr
        assert json.loads(en_ar.stdout)["model"]["name"] == "tiny-en-ar"


def test_a_helper_never_translates(store: Path) -> None:
    # A process: the exit status is the one `python -m tarjama` gives the shell.
    r = tarjama_process("translate", "--model", "translit", home=store, stdin="بوتين".encode())
    assert r.returncode == 2
    assert b"'translit' is a helper" in r.stderr and r.stderr.count(b"\n") == 1


@pytest.mark.needs_data
def test_the_real_transliteration_model_is_a_helper_too(tmp_path: Path) -> None:
    home = tmp_path / "h"
    r = tarjama("models", "add", str(TRANSLIT_MODEL), "--name", "aren-transliteration", home=home)
    assert r.returncode == 0 and b"helper" in r.stdout
    r = tarjama("translate", home=home, stdin="بوتين".encode())
    assert r.returncode == 2 and b"no installed model translates ar->en" in r.stderr


def test_translate_tiny_model_text_and_json_agree(store: Path, tmp_path: Path) -> None:
    text = tarjama("translate", str(ARTICLE_AR), "--model", "tiny", home=store)
    assert text.returncode == 0, text.stderr
    out = tmp_path / "out.json"
    js = tarjama(
        "translate", str(ARTICLE_AR), "-m", "tiny", "-f", "json", "-o", str(out), home=store
    )
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
    assert [p["index"] for p in data["paragraphs"]] == [0, 1, 2, 3, 4]
    assert all(
        i["paragraph"] == p["index"] for p in data["paragraphs"] for s in p["segments"]
        for i in s["issues"]
    )  # fmt: skip
    assert data["model"]["name"] == "tiny"
    assert set(data["model"]["signature"]) >= {"model_id", "tokenizer", "beam"}


def test_model_directory_instead_of_name(store: Path, tiny_model_dir: Path) -> None:
    # A process: Arabic through the real stdin and stdout, as their encodings decode it.
    r = tarjama_process(
        "translate", "--model", str(tiny_model_dir), home=store, stdin="قال".encode()
    )
    assert r.returncode == 0 and r.stdout.decode().strip()


def test_empty_input_is_empty_output(store: Path) -> None:
    r = tarjama("translate", "--model", "tiny", home=store, stdin=b"")
    assert (r.returncode, r.stdout, r.stderr) == (0, b"", b"")


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"
ERRORS = [
    # (args, stdin, message fragment)
    (["translate", "--model", "tiny", "/no/such/file"], b"", "no such file: /no/such/file"),
    (["translate", "--model", "tiny", "/tmp"], b"", "/tmp is a directory, not a file"),
    (["translate", "--model", "tiny"], b"ab\xffcd", "first bad byte at offset 2"),
    (["translate", "--model", "tiny"], b"\x00\x01\x02", "binary"),
    (["translate", "--model", "tiny"], PNG, "looks binary"),
    (["translate", "--model", "nope"], b"x", "unknown model 'nope' (installed: tiny, tiny-en-ar"),
    (["translate", "-m", "tiny", "-s", "en", "-t", "ar"], b"x", "does not translate en->ar"),
    (["translate", "-m", "tiny", "--beam", "0"], b"x", "beam must be between 1 and 16, not 0"),
    # hardening #4: the server's bound (16) in the CLI too; a huge beam took gigabytes
    (["translate", "-m", "tiny", "--beam", "1000000"], b"x", "between 1 and 16, not 1000000"),
    # hardening #14: an output that cannot be written is refused before translating
    (["translate", "-m", "tiny", "--output", "/tmp"], b"x", "cannot write /tmp: it is a directory"),
    (["translate", "-m", "tiny", "--device", "tpu"], b"x", "invalid choice: 'tpu'"),
    (["translate", "-s", "fr"], b"x", "no installed model translates fr->en"),
    (["translate", "-m", "tiny", "--memory", "a.db", "--no-memory"], b"x", "not allowed with"),
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


def test_a_model_bin_that_is_not_a_model(store: Path, tmp_path: Path, tiny_model_dir: Path) -> None:
    home = tmp_path / "h"
    assert tarjama("models", "add", str(tiny_model_dir), "--name", "t", home=home).returncode == 0
    (home / "models" / "t" / "model.bin").write_bytes(b"garbage" * 10)
    r = tarjama("translate", "-m", "t", home=home, stdin="قال".encode())
    assert r.returncode == 2 and b"model.bin is not a CTranslate2 model" in r.stderr
    assert r.stderr.count(b"\n") == 1
    # models add refuses it up front, and installs nothing.
    broken = tmp_path / "broken"
    shutil.copytree(tiny_model_dir, broken)
    (broken / "model.bin").write_bytes(b"garbage" * 10)
    r = tarjama("models", "add", str(broken), "--name", "b", home=home)
    assert r.returncode == 2 and b"is not a CTranslate2 model" in r.stderr
    assert not (home / "models" / "b").exists()


def test_the_home_memory_is_used_and_said(store: Path, tmp_path: Path) -> None:
    home = tmp_path / "h"
    shutil.copytree(store, home)
    tsv = tmp_path / "tm.tsv"
    tsv.write_text("قال الوزير.\tThe minister said.\n", encoding="utf-8")
    assert tarjama("memory", "import", str(tsv), "-q", home=home).returncode == 0
    r = tarjama("translate", "-m", "tiny", home=home, stdin="قال الوزير.".encode())
    assert r.returncode == 0 and r.stdout.decode() == "The minister said.\n"
    assert b"1 of 1 segment(s) from the translation memory" in r.stderr
    r = tarjama("translate", "-m", "tiny", "--no-memory", home=home, stdin="قال الوزير.".encode())
    assert r.returncode == 0 and r.stdout.decode() != "The minister said.\n"


def test_huge_input_is_one_line_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tiny_model_dir: Path
) -> None:
    import io

    from tarjama import document
    from tarjama.cli import main

    monkeypatch.setattr(document, "MAX_INPUT_BYTES", 2**20)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"x" * (2**20 + 1))))
    assert main(["translate", "-m", str(tiny_model_dir)]) == 2
    assert capsys.readouterr().err == (
        "tarjama: error: standard input holds more than 1 MB, the most tarjama reads at a "
        "time (split it into smaller files)\n"
    )
