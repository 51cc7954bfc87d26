"""Real files nobody here wrote, through the copy model: each comes back with the same
rendering, except the documented changes (docs/formats.md, "Round trips measured").

The copy model here is built exact (:func:`tarjama.testing.build_copy_model`'s ``exact``:
no NFKC) over the corpus's own characters, as a real model's vocabulary covers its
languages: what differs is then what tarjama does, not what a 1,000-piece vocabulary lacks.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tarjama import Translator
from tarjama.testing import build_copy_model

from ..conftest import COVERAGE, corpus
from .thirdparty import (
    THIRDPARTY,
    characters,
    corpus_texts,
    docx_runs,
    files,
    markdown_html,
    srt_cues,
    vtt_cues,
)

#: CommonMark spec examples whose rendering changes, each for a documented reason: the
#: clean-up every source sentence gets (whitespace runs, tabs, no-break spaces and
#: newline entities become one space) and English punctuation rendering (« » become
#: straight quotes that hug their text).
CLEANED_UP = {13, 39, 355, 510, 655}


@pytest.fixture(scope="module")
def exact_copier(tmp_path_factory: pytest.TempPathFactory) -> Translator:
    texts = list(corpus_texts())
    line = characters(iter(texts + [html.unescape(t) for t in texts]))
    out = tmp_path_factory.mktemp("models") / "exact-copy"
    model = build_copy_model(out, corpus("ar") + corpus("en") + COVERAGE + [line], exact=True)
    return Translator.load(model, device="cpu")


def spec_examples() -> list[dict[str, object]]:
    path: Path = THIRDPARTY / "commonmark" / "spec-examples.json"
    examples: list[dict[str, object]] = json.loads(path.read_text("utf-8"))
    return examples


@pytest.mark.slow
def test_commonmark_spec_examples_keep_their_rendering(exact_copier: Translator) -> None:
    """Every example keeps its rendering, but for the documented clean-up; and where the
    copy model gives every word back the file comes back byte for byte (reference links,
    entities, escapes, emphasis delimiters and destinations as written)."""
    examples = spec_examples()
    md = MarkdownIt("commonmark")
    changed, rewritten = set(), set()
    for example in examples:
        source = str(example["markdown"])
        out = exact_copier.translate_file(source.encode(), "markdown", translate_all=True).data
        if md.render(out.decode()) != md.render(source):
            changed.add(example["example"])
        if out.decode() != source:
            rewritten.add(example["example"])
    assert changed == CLEANED_UP
    assert rewritten == CLEANED_UP
    assert len(examples) == 655
    assert (len(examples) - len(changed)) / len(examples) >= 0.99


#: Per format: the folder, the suffix, the format-aware reading compared, and the files
#: that differ, each for a documented reason (docs/formats.md, "Round trips measured").
CORPUS: dict[str, tuple[str, str, Callable[[bytes], object]]] = {
    "srt": ("srt", ".srt", srt_cues),
    "vtt": ("vtt", ".vtt", vtt_cues),
    "docx": ("docx", ".docx", docx_runs),
    "markdown": ("markdown", ".md", markdown_html),
}
#: The clean-up every source sentence gets and English punctuation rendering: runs of
#: spaces and tabs become one space, a cue line's leading and trailing spaces go, no space
#: before `!`, quotes hug their text, a space after `;` between two letters, a letter and
#: its combining mark composed.
DOCUMENTED = {
    "capability_tester.srt",  # "     A (Normal  spaces" -> "A (Normal spaces"
    "styles_colours.srt",  # "2 &lt; 3 !" -> "2 &lt; 3!"
    "styles_colours.vtt",  # likewise
    "youtube_dl.vtt",  # a cue line's trailing space
    "comments.vtt",  # "te.  " -> "te."
    "tables.md",  # "-   foo" -> "- foo", `" "` -> `""`
    "xss.md",  # "text/html;base64" -> "text/html; base64"
    "commonmark_extras.md",  # "I" + U+0307 -> "İ"
}


@pytest.mark.slow
def test_the_corpus_round_trips_but_for_the_documented_changes(exact_copier: Translator) -> None:
    differ: dict[str, set[str]] = {}
    total: dict[str, int] = {}
    for kind, (folder, suffix, read) in CORPUS.items():
        paths = files(folder, suffix)
        total[kind] = len(paths)
        for path in paths:
            data = path.read_bytes()
            out = exact_copier.translate_file(data, kind, translate_all=True).data
            if read(out) != read(data):
                differ.setdefault(kind, set()).add(path.name)
    assert total == {"srt": 9, "vtt": 13, "docx": 15, "markdown": 6}
    assert set().union(*differ.values()) == DOCUMENTED, differ
