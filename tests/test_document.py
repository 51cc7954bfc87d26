"""Reading text and keeping its paragraph layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from tarjama.document import Document, decode_bytes, read_text
from tarjama.errors import DecodeError, FileNotFound, InputError

LAYOUTS = [
    # (input, paragraphs, separators, prefix)
    ("a\nb", ["a", "b"], ["\n", ""], ""),
    ("a\n\nb\n", ["a", "b"], ["\n\n", "\n"], ""),
    ("a\n \n\t\nb", ["a", "b"], ["\n \n\t\n", ""], ""),
    ("\n\na\nb\n\n\n", ["a", "b"], ["\n", "\n\n\n"], "\n\n"),
    ("  a  \n  b", ["a", "b"], ["  \n  ", ""], "  "),
    ("a\r\nb\r\n\r\nc", ["a", "b", "c"], ["\n", "\n\n", ""], ""),
    ("\ufeffa\nb", ["a", "b"], ["\n", ""], ""),
    ("only", ["only"], [""], ""),
    ("", [], [], ""),
    ("\n \n", [], [], "\n \n"),
]


@pytest.mark.parametrize(("text", "paragraphs", "separators", "prefix"), LAYOUTS)
def test_parse_layout(text: str, paragraphs: list[str], separators: list[str], prefix: str) -> None:
    doc = Document.parse(text)
    assert [p.source for p in doc.paragraphs] == paragraphs
    assert [p.separator for p in doc.paragraphs] == separators
    assert doc.prefix == prefix
    normalized = text.lstrip("\ufeff").replace("\r\n", "\n")
    assert doc.source_text == normalized


@pytest.mark.parametrize(
    ("data", "offset"),
    [(b"\xff", 0), (b"abc\xfe", 3), ("سلام".encode() + b"\xc3", 8), (b"\xef\xbb\xbfab\x80", 5)],
)
def test_invalid_utf8_names_offset(data: bytes, offset: int) -> None:
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    assert info.value.offset == offset
    assert f"offset {offset}" in str(info.value)


def test_bom_and_crlf_are_normalised() -> None:
    assert decode_bytes("\ufeffأ\r\nب\rج".encode()) == "أ\nب\nج"


def test_binary_is_refused() -> None:
    with pytest.raises(InputError, match="binary"):
        decode_bytes(b"ab\x00cd")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFound, match="no such file"):
        read_text(tmp_path / "nope.txt")


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 3000)
    with pytest.raises(
        InputError, match=r"big.txt is 0.0 MB; tarjama reads at most 0.00195312 MB at a time"
    ):
        read_text(big, limit=2048)
    assert read_text(big, limit=4096) == "a" * 3000
