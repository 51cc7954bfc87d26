"""``--encoding``: a legacy file the detection cannot be sure of is read as told, and the
CLI says what it read; a wrong or unknown encoding is one line and exit 2."""

from __future__ import annotations

from pathlib import Path

from ..commands import tarjama

SRT = "1\n00:00:01,000 --> 00:00:02,000\nقال الرئيس إن الخطة جاهزة.\n"


def _run(tmp_path: Path, home: Path, model: Path, *extra: str) -> tuple[int, bytes]:
    args = ["translate", "clip.srt", "--model", str(model), "--no-memory", *extra]
    ran = tarjama(*args, home=home, cwd=tmp_path)
    return ran.returncode, ran.stderr


def test_an_iso_8859_6_srt_is_read_as_told(
    tmp_path: Path, home: Path, copy_model_dir: Path
) -> None:
    (tmp_path / "clip.srt").write_bytes(SRT.encode("iso8859_6"))
    code, err = _run(tmp_path, home, copy_model_dir, "--encoding", "iso-8859-6")
    assert code == 0, err
    assert b"read clip.srt as iso8859-6" in err
    assert (tmp_path / "clip.en.srt").read_text("utf-8") == SRT + "\n"


def test_a_wrong_or_unknown_encoding_is_one_line(
    tmp_path: Path, home: Path, copy_model_dir: Path
) -> None:
    (tmp_path / "clip.srt").write_bytes(SRT.encode("cp1256"))
    for encoding, message in (("utf-8", b"is not utf-8"), ("klingon", b"no such encoding")):
        code, err = _run(tmp_path, home, copy_model_dir, "--encoding", encoding)
        assert code == 2
        assert message in err and err.count(b"\n") == 1
