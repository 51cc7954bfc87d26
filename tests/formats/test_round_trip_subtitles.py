"""Subtitles written back as they were: empty cues stay empty and no cue takes a
neighbour's words, WebVTT timings, notes and identifiers as written, SubRip numbered when
its cues have no numbers."""

from __future__ import annotations

import pytest

from tarjama.errors import InputError
from tarjama.formats.inline import Code, Point, Token
from tarjama.formats.subtitles import cue_lines
from tarjama.pipeline import Translator

from ..fakes import FakeEngine

SRT_WITH_EMPTY_CUE = (
    "1\n00:00:01,000 --> 00:00:02,000\nقال <i>الرئيس</i> ثم ذهب.\n\n"
    "2\n00:00:02,000 --> 00:00:03,000\n\n\n"
    "3\n00:00:03,000 --> 00:00:04,000\nجملة ثالثة.\n"
)


def test_an_empty_cue_stays_empty_and_its_neighbours_keep_their_words(
    copier: Translator,
) -> None:
    out = copier.translate_file(SRT_WITH_EMPTY_CUE.encode(), "srt").data.decode()
    # pysrt writes an empty cue as one blank line, and ends with a blank line.
    assert out == SRT_WITH_EMPTY_CUE.replace("\n\n\n3", "\n\n3") + "\n"


def test_an_empty_source_cue_is_neither_filled_nor_a_way_through() -> None:
    cue = Point(Code("cue", False))
    tokens: list[Token] = ["one two three", cue, "", Point(Code("cue", False)), ""]
    assert cue_lines(tokens, 3, [True, False, True]) == [["one two"], [""], ["three"]]


def test_webvtt_timings_notes_and_identifiers_come_back_as_written(copier: Translator) -> None:
    vtt = (
        "WEBVTT\n\n1\n00:01.000 --> 00:02.000 align:start\nhello world\n\nNOTE x\n\n"
        'intro\n00:02.000 --> 00:03.000\n"quoted" line\n!bang here\n'
    )
    assert copier.translate_file(vtt.encode(), "vtt", translate_all=True).data.decode() == vtt


def test_subrip_without_cue_numbers_is_numbered(copier: Translator) -> None:
    srt = "00:00:01,000 --> 00:00:02,000\nجملة أولى.\n\n00:00:02,000 --> 00:00:03,000\nثانية.\n"
    out = copier.translate_file(srt.encode(), "srt").data.decode()
    assert "None" not in out
    assert out.startswith("1\n00:00:01,000 --> 00:00:02,000\nجملة أولى.\n\n2\n")


def test_a_broken_srt_cue_is_named_in_one_readable_line() -> None:
    bad = "1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:02,000 -> 00:00:03,000\nbad\n"
    with pytest.raises(InputError) as info:
        Translator(FakeEngine()).translate_file(bad.encode(), "srt")
    message = str(info.value)
    assert "\n" not in message and "(" not in message
    assert "'2 / 00:00:02,000 -> 00:00:03,000 / bad'" in message
