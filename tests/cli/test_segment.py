"""`tarjama segment`: agrees with split_sentences, in text and JSON, on files and stdin."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from tarjama.cli import main
from tarjama.cli.segment import segment, to_json
from tarjama.text import split_sentences

from ..conftest import ARTICLES


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["segment", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_text_output_agrees_with_split_sentences(
    lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = ARTICLES / f"water-plant.{lang}.txt"
    code, out, _ = run_cli([str(path), "--lang", lang], capsys)
    assert code == 0
    paragraphs = path.read_text(encoding="utf-8").splitlines()
    expected = [[s.text for s in split_sentences(p, lang)] for p in paragraphs]
    assert [block.splitlines() for block in out.split("\n\n")] == expected


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_json_output_agrees_with_split_sentences(
    lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = ARTICLES / f"water-plant.{lang}.txt"
    code, out, _ = run_cli([str(path), "--lang", lang, "--format", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["lang"] == lang
    for i, (para, text) in enumerate(
        zip(data["paragraphs"], path.read_text(encoding="utf-8").splitlines(), strict=True)
    ):
        assert (para["index"], para["text"]) == (i, text)
        expected = [
            {"text": s.text, "start": s.start, "end": s.end} for s in split_sentences(text, lang)
        ]
        assert para["sentences"] == expected


def test_language_is_detected_when_not_given(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli([str(ARTICLES / "water-plant.ar.txt"), "-f", "json"], capsys)
    assert code == 0
    assert json.loads(out)["lang"] == "ar"


def test_stdin_and_output_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = "\ufeffقال د. خالد: «نعم». ثم غادر.\r\n\r\n  Second paragraph\r\n".encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    target = tmp_path / "out.txt"
    code, out, _ = run_cli(["-", "--lang", "ar", "-o", str(target)], capsys)
    assert (code, out) == (0, "")
    assert target.read_text(encoding="utf-8") == (
        "قال د. خالد: «نعم».\nثم غادر.\n\nSecond paragraph\n"
    )


def test_empty_input_prints_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n \n", encoding="utf-8")
    assert run_cli([str(empty), "--lang", "en"], capsys) == (0, "", "")
    code, out, _ = run_cli([str(empty), "--lang", "en", "-f", "json"], capsys)
    assert code == 0
    assert json.loads(out) == {"lang": "en", "paragraphs": []}


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"\xed\xa0\x80 lone surrogate", "not valid UTF-8"), (b"a\x00b", "binary")],
)
def test_bad_input_is_a_clear_error(
    tmp_path: Path, content: bytes, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    code, out, err = run_cli([str(path)], capsys)
    assert (code, out) == (2, "")
    assert message in err
    assert "Traceback" not in err


def test_missing_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli([str(tmp_path / "nope.txt")], capsys)
    assert code == 2
    assert err.startswith("tarjama: error:")


def test_unknown_language_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["segment", "--lang", "fr"])
    assert exc.value.code == 2


def test_lone_surrogates_are_escaped_in_json() -> None:
    text = "كلمة \ud800 أخرى. Next \udfff."
    out = to_json(segment(text, "ar"), "ar")
    out.encode("utf-8")  # valid UTF-8: the surrogates are escaped, not written raw
    assert "\\ud800" in out and "\\udfff" in out
    data = json.loads(out)
    assert [s["text"] for s in data["paragraphs"][0]["sentences"]] == [
        "كلمة \ud800 أخرى.",
        "Next \udfff.",
    ]


@pytest.mark.parametrize(
    "text",
    ["😀😀 🎉", "Mixed العربية and English. ثم. Done", "." * 100_000, "word " * 200_000],
)
def test_hostile_documents_give_valid_json(text: str) -> None:
    data = json.loads(to_json(segment(text, "ar"), "ar"))
    (para,) = data["paragraphs"]
    assert [s["text"] for s in para["sentences"]] == [
        s.text for s in split_sentences(para["text"], "ar")
    ]
