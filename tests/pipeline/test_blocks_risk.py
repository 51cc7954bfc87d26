"""A formatted document's codes are placed after the checks ran: an issue placing them
raises (a warning when placed by word order) still counts in its segment's risk."""

from __future__ import annotations

from tarjama.fidelity import needs_a_look
from tarjama.pipeline import Translator

from ..known_lines import GOOD, KnownLinesEngine

BOLD = GOOD.replace("الميناء", "<b>الميناء</b>")


def test_a_code_placed_by_word_order_counts_in_the_risk() -> None:
    page = f"<p>{BOLD}</p>".encode()
    result = Translator(KnownLinesEngine()).translate_file(page, "html")
    (seg,) = result.document.segments
    assert [(i.check, i.severity) for i in seg.issues] == [("markup", "warning")]
    assert seg.needs_a_look == needs_a_look(seg.issues, seg.score) > 0.0
    # The segment's translation is right: the markup warning alone is what scores.
    assert needs_a_look([], seg.score) == 0.0
