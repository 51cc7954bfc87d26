"""SRT and WebVTT: timings, numbering and positions kept; a sentence across cues is one
sentence, given back to the same cues."""

from __future__ import annotations

import io

import pysrt
import pytest
import webvtt

from tarjama.errors import InputError
from tarjama.pipeline import Translator

from ..fakes import FakeEngine
from . import samples
from .trees import ARABIC

BUILD = {"srt": samples.srt, "vtt": samples.vtt}


@pytest.mark.parametrize("kind", BUILD)
def test_the_copy_model_gives_the_file_back(copier: Translator, kind: str) -> None:
    data = BUILD[kind]()
    assert copier.translate_file(data, kind).data == data


@pytest.mark.parametrize("kind", BUILD)
def test_a_sentence_across_cues_is_one_sentence(copier: Translator, kind: str) -> None:
    result = copier.translate_file(BUILD[kind](), kind)
    sources = [s.source for s in result.document.segments]
    assert "وقال إن الميناء سيستقبل 40 سفينة في الشهر." in sources  # cues 2 and 3


def test_srt_timings_numbers_and_positions_are_kept(tiny: Translator) -> None:
    before = pysrt.from_string(samples.srt().decode())
    after = pysrt.from_string(tiny.translate_file(samples.srt(), "srt").data.decode())
    assert [(i.index, i.start, i.end, i.position) for i in after] == [
        (i.index, i.start, i.end, i.position) for i in before
    ]
    for item in after:
        assert item.text.strip() and not ARABIC.search(item.text)
    assert after[0].text.count("\n") == before[0].text.count("\n")  # its two lines
    assert "<i>" in after[0].text and "</i>" in after[0].text


def test_vtt_identifiers_settings_and_voice_are_kept(tiny: Translator) -> None:
    before = webvtt.from_buffer(io.StringIO(samples.vtt().decode()))
    out = tiny.translate_file(samples.vtt(), "vtt").data.decode()
    after = webvtt.from_buffer(io.StringIO(out))
    assert [(c.identifier, c.start, c.end, str(c.settings)) for c in after.captions] == [
        (c.identifier, c.start, c.end, str(c.settings)) for c in before.captions
    ]
    assert after.captions[0].raw_text.startswith("<v المذيع>")
    for caption in after.captions:
        assert caption.text.strip() and not ARABIC.search(caption.text.replace("المذيع", ""))


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        ("srt", "1\n00:00:01,000 --> 00:0x:02,000\nنص\n", "broken timings"),
        ("srt", "1\n00:00:05,000 --> 00:00:01,000\nنص\n", "ends before it starts"),
        ("vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:0x.000\nنص\n", "not valid WebVTT"),
        ("vtt", "WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nنص\n", "ends before it starts"),
        ("vtt", "00:00:01.000 --> 00:00:02.000\nنص\n", "not valid WebVTT"),
    ],
)
def test_broken_timings_are_refused(kind: str, text: str, message: str) -> None:
    engine = FakeEngine()
    with pytest.raises(InputError, match=message):
        Translator(engine).translate_file(text.encode(), kind)
    assert engine.calls == []


def test_a_cue_keeps_a_word_when_the_translation_is_short() -> None:
    # Three cues; the translation gave every word to the first.
    from tarjama.formats.inline import Code, Point, Token
    from tarjama.formats.subtitles import cue_lines

    tokens: list[Token] = [
        "one two three",
        Point(Code("cue", False)),
        "",
        Point(Code("cue", False)),
        "",
    ]
    assert cue_lines(tokens, 3) == [["one"], ["two"], ["three"]]
