"""A WebVTT cue without text (webvtt-py gives it no line at all) stays empty, and its
neighbours keep their words: webvtt-py's own sample of it, through the copy model."""

from __future__ import annotations

from tarjama.pipeline import Translator

from .thirdparty import THIRDPARTY, vtt_cues


def test_a_cue_without_text_stays_empty(copier: Translator) -> None:
    data = (THIRDPARTY / "vtt" / "webvtt-py" / "missing_caption_text.vtt").read_bytes()
    out = copier.translate_file(data, "vtt", translate_all=True).data
    assert vtt_cues(out) == vtt_cues(data)
    assert [cue[3] for cue in vtt_cues(out)][1] == ""
