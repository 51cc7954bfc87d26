"""SubRip cue numbers and timing lines come back as written (``01`` stays ``01``), and a
file without numbers is numbered."""

from __future__ import annotations

from tarjama.pipeline import Translator

PADDED = (
    "01\n00:00:01,000 --> 00:00:02,000 X1:10 X2:20 Y1:30 Y2:40\nقال الرئيس.\n\n"
    "02\n0:0:2,500 --> 00:00:03,000\nثم ذهب.\n\n"
)


def test_numbers_and_timings_as_written(copier: Translator) -> None:
    out = copier.translate_file(PADDED.encode(), "srt").data.decode()
    assert out == PADDED


def test_a_file_without_numbers_is_numbered(copier: Translator) -> None:
    bare = "00:00:01,000 --> 00:00:02,000\nقال الرئيس.\n\n00:00:02,000 --> 00:00:03,000\nثم.\n"
    out = copier.translate_file(bare.encode(), "srt").data.decode()
    assert out.split("\n")[0] == "1" and out.split("\n")[4] == "2"
    assert out.replace("1\n", "", 1).replace("2\n", "", 1) == bare + "\n"
