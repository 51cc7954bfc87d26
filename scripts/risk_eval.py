"""Does "needs a look" put the lines that need fixing first?

    .venv/bin/python scripts/risk_eval.py [--judged tests/data/fidelity-judged.tsv]

Reads the judged set (``scripts/fidelity_eval.py`` says what it is), takes each judged line
as needing a fix when a reader judged any of its flags true, runs the checker as it is now
on the line, and scores it with :func:`tarjama.fidelity.needs_a_look` (from the issues
alone: the published outputs carry no model scores). It prints how many of the lines on
the look-first list (a score of at least ``LOOK_AT``) need a fix, how many below it do,
the share among the top-scored tenth, quarter and half, and the AUC: the chance that a
line needing a fix scores above one that does not (ties count half).

The precisions ``needs_a_look`` weighs flags with were measured on this same set, so the
figures are in-sample: a check that the order is sound, not a held-out measure.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from fidelity_eval import JUDGED, texts

from tarjama.document import LOOK_AT
from tarjama.fidelity import check_pair, needs_a_look
from tarjama.fidelity.names import NameMatcher
from tarjama.text import romanize

Line = tuple[str, str, str, int]  # split, direction, system, line (from 1)


def judged_lines(path: Path) -> dict[Line, bool]:
    """Each judged line and whether any of its flags was judged true."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    lines: dict[Line, bool] = {}
    for r in rows:
        key = (r["split"], r["direction"], r["system"], int(r["line"]))
        lines[key] = lines.get(key, False) or r["verdict"] == "true"
    return lines


def scores(lines: list[Line]) -> list[float]:
    names = NameMatcher(romanize.transliterate)
    cache: dict[tuple[str, str], tuple[list[str], list[str], dict[str, list[str]]]] = {}
    out = []
    for split, direction, system, n in lines:
        src, tgt = direction.split("-")
        if (split, direction) not in cache:
            cache[split, direction] = texts(split, src, tgt)
        sources, refs, outputs = cache[split, direction]
        hyps = refs if system == "reference" else outputs[system]
        issues = check_pair(sources[n - 1], hyps[n - 1], source_lang=src, target_lang=tgt,
                            names=names)  # fmt: skip
        out.append(needs_a_look(issues))
    return out


def auc(pairs: list[tuple[float, bool]]) -> float:
    wrong = [s for s, bad in pairs if bad]
    fine = [s for s, bad in pairs if not bad]
    won = sum((w > f) + 0.5 * (w == f) for w in wrong for f in fine)
    return won / max(len(wrong) * len(fine), 1)


def report(path: Path) -> None:
    truth = judged_lines(path)
    keys = sorted(truth)
    pairs = list(zip(scores(keys), (truth[k] for k in keys), strict=True))
    bad = sum(b for _, b in pairs)
    print(f"{len(pairs)} judged lines, {bad} needing a fix ({bad / len(pairs):.2f})")
    on = [b for s, b in pairs if s >= LOOK_AT]
    off = [b for s, b in pairs if s < LOOK_AT]
    print(f"on the look-first list (>= {LOOK_AT}): {sum(on)}/{len(on)} need a fix "
          f"= {sum(on) / max(len(on), 1):.2f}")  # fmt: skip
    print(
        f"below it: {sum(off)}/{len(off)} = {sum(off) / max(len(off), 1):.2f}; "
        f"the list holds {sum(on)}/{bad} = {sum(on) / max(bad, 1):.2f} of the lines needing one"
    )
    ranked = sorted(pairs, key=lambda p: -p[0])
    for share in (0.1, 0.25, 0.5):
        top = ranked[: max(1, round(len(ranked) * share))]
        print(f"top {share:.0%} by score: {sum(b for _, b in top)}/{len(top)} = "
              f"{sum(b for _, b in top) / len(top):.2f}")  # fmt: skip
    print(f"AUC (a line needing a fix scores above one that does not): {auc(pairs):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--judged", type=Path, default=JUDGED)
    report(parser.parse_args().judged)


if __name__ == "__main__":
    main()
