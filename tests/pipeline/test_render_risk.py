"""A kept document written again from the page (``render_file``) reports each sentence's
risk as when it was translated, and a sentence the editor changed as judged."""

from __future__ import annotations

import json

from tarjama.pipeline import Translator
from tarjama.pipeline.render import Edit, kept, render_file

from ..known_lines import ALSO_GOOD, BAD, KnownLinesEngine

PAGE = f"<p>{ALSO_GOOD} {BAD}</p>".encode()


def test_a_rendered_document_keeps_its_risk_and_an_edit_clears_it() -> None:
    translated = Translator(KnownLinesEngine()).translate_file(PAGE, "html")
    before = [s.needs_a_look for s in translated.document.segments]
    assert before[0] == 0.0 and before[1] is not None and before[1] >= 0.9
    # What the server keeps goes through JSON, as it is stored.
    segments = json.loads(json.dumps(kept(translated.document)))

    def render(*edits: Edit) -> list[float | None]:
        result = render_file(PAGE, "html", source="ar", target="en", segments=segments,
                             edits=edits)  # fmt: skip
        return [s.needs_a_look for s in result.document.segments]

    assert render() == before
    fixed = Edit(0, 1, "The project cost 3.5 billion dollars.", "approved")
    assert render(fixed) == [0.0, 0.0]
