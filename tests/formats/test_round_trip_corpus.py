"""Real files nobody here wrote, through the copy model: each comes back with the same
rendering, except the documented changes (docs/formats.md, "Round trips measured")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tarjama.pipeline import Translator

THIRDPARTY = Path(__file__).parent.parent / "data" / "thirdparty"

#: CommonMark spec examples whose rendering changes, each for a documented reason.
#: Characters the copy model cannot write (its vocabulary is Arabic, English and digits):
#: Greek, Cyrillic, currency signs, and the characters entities stand for.
COPY_MODEL_CANNOT_WRITE = {13, 25, 26, 27, 208, 356, 364, 377, 390, 403, 542, 654}
#: Whitespace the pipeline's clean-up normalises: runs of spaces, tabs, no-break spaces,
#: and the spaces of a quoted title the model re-spaces.
WHITESPACE_NORMALISED = {39, 40, 355, 510, 655}
#: Not yet handled: an escaped closing `#` of an ATX heading loses its backslash.
KNOWN_DEFECTS = {76}


@pytest.mark.slow
def test_commonmark_spec_examples_keep_their_rendering(copier: Translator) -> None:
    examples = json.loads((THIRDPARTY / "commonmark" / "spec-examples.json").read_text("utf-8"))
    md = MarkdownIt("commonmark")
    changed = set()
    for example in examples:
        source = example["markdown"]
        out = copier.translate_file(source.encode(), "markdown", translate_all=True).data
        if md.render(out.decode()) != md.render(source):
            changed.add(example["example"])
    assert changed == COPY_MODEL_CANNOT_WRITE | WHITESPACE_NORMALISED | KNOWN_DEFECTS
    assert len(examples) == 655
