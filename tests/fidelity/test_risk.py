"""The "needs a look" score orders segments for an editor."""

from __future__ import annotations

from tarjama.fidelity import check_pair, needs_a_look


def test_riskiest_first() -> None:
    number = check_pair("بلغت الزيادة 6%.", "The increase was 9%.")
    loop = check_pair("قال إن الطقس جميل.", "He said the weather the weather is nice.")
    clean = check_pair("بلغت الزيادة 6%.", "The increase was 6%.")
    scores = [needs_a_look(number), needs_a_look(loop), needs_a_look(clean)]
    assert scores[0] > scores[1] > scores[2] == 0.0


def test_model_doubt_counts_but_less_than_an_error() -> None:
    clean = check_pair("بلغت الزيادة 6%.", "The increase was 6%.")
    unsure = needs_a_look(clean, score=-2.5)
    assert 0.0 < unsure < needs_a_look(check_pair("بلغت الزيادة 6%.", "It was 9%."))
    assert needs_a_look(clean, score=-0.2) == 0.0
    assert needs_a_look(clean, score=-2.5) < needs_a_look(clean, score=-4.0) <= 0.5
