"""Does the fidelity report rank systems like the metrics do, and are its flags right?

    .venv/bin/python scripts/fidelity_eval.py ranking [--split dev|iwslt17|test] [--dump FILE]
    .venv/bin/python scripts/fidelity_eval.py precision [--judged tests/data/fidelity-judged.tsv]

``ranking`` runs every check (names with the built-in romaniser) on the seven systems'
outputs published in ``../shared/data/mozilla-eval`` and on the human reference, both
directions, and prints per system the share of lines with an error, the share with any
flag, the published COMET and BLEU, and the Spearman correlation of the error-line share
with each (sign flipped: fewer errors should mean a better score, so +1 is a perfect
ranking). IWSLT17 is the same talks in both directions, so each direction's reference is
the other's source. ``--dump`` writes every flag (one per line, TSV) for judging.

``precision`` reads the judged set (flags judged true or false by a reader against source,
output and reference, ``tests/data/fidelity-judged.tsv``), runs the checker as it is now
on each judged line, and prints the precision per check and severity, per direction and
per system, of the flags it still raises, and the share of the judged true errors it
still calls errors.

FLORES devtest (``--split test``) is kept out of all calibration: it is for the final
figures only.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from tarjama.fidelity import check_pair
from tarjama.fidelity.names import NameMatcher
from tarjama.text import romanize

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TARJAMA_TEST_DATA", REPO / ".." / "shared"))
EVAL = SHARED / "data" / "mozilla-eval"
SYSTEMS = (
    "google",
    "microsoft",
    "bergamot-base",
    "bergamot-base-memory",
    "nllb",
    "opusmt",
    "argos",
)
DIRECTIONS = (("ar", "en"), ("en", "ar"))
FILES = {"dev": "flores-dev", "test": "flores-test", "iwslt17": "iwslt17"}
JUDGED = REPO / "tests" / "data" / "fidelity-judged.tsv"
DUMP_FIELDS = ("split", "direction", "system", "line", "check", "severity", "message", "source",
               "output", "reference")  # fmt: skip


def read(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def texts(split: str, src: str, tgt: str) -> tuple[list[str], list[str], dict[str, list[str]]]:
    """Sources, references and each system's outputs of one split and direction."""
    stem, folder = FILES[split], EVAL / f"{src}-{tgt}"
    sources = read(folder / f"{stem}.{src}")
    ref_path = folder / f"{stem}.{tgt}"
    if not ref_path.exists():  # IWSLT17: the other direction's source is this one's reference
        ref_path = EVAL / f"{tgt}-{src}" / f"{stem}.{tgt}"
    refs = read(ref_path)
    outputs = {s: read(folder / f"{stem}.{s}.{tgt}") for s in SYSTEMS}
    return sources, refs, outputs


def metric(split: str, src: str, tgt: str, system: str, name: str) -> float:
    path = EVAL / f"{src}-{tgt}" / f"{FILES[split]}.{system}.{tgt}.{name}"
    return float(path.read_text().split()[0])


def spearman(xs: list[float], ys: list[float]) -> float:
    """Spearman's rho with average ranks for ties."""

    def ranks(v: list[float]) -> list[float]:
        order = sorted(range(len(v)), key=lambda i: v[i])
        r = [0.0] * len(v)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
                j += 1
            for k in range(i, j + 1):
                r[order[k]] = (i + j) / 2
            i = j + 1
        return r

    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    var = (sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry)) ** 0.5
    return cov / var if var else 0.0


def ranking(split: str, dump: Path | None) -> None:
    names = NameMatcher(romanize.transliterate)
    writer = None
    if dump:
        dump.parent.mkdir(parents=True, exist_ok=True)
        handle = dump.open("w", encoding="utf-8", newline="")
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(DUMP_FIELDS)
    for src, tgt in DIRECTIONS:
        sources, refs, outputs = texts(split, src, tgt)
        print(f"\n{FILES[split]} {src}->{tgt}, {len(sources)} lines")
        print(f"  {'system':22}{'error lines':>12}{'any flag':>10}{'COMET':>8}{'BLEU':>7}  "
              "issues per check (errors/warnings)")  # fmt: skip
        shares: dict[str, float] = {}
        for system, hyps in [("reference", refs), *outputs.items()]:
            errors = flagged = 0
            per_check: Counter[tuple[str, str]] = Counter()
            for n, (s, h) in enumerate(zip(sources, hyps, strict=True)):
                issues = check_pair(s, h, source_lang=src, target_lang=tgt, names=names)
                errors += any(i.severity == "error" for i in issues)
                flagged += bool(issues)
                per_check.update((i.check, i.severity) for i in issues)
                for i in issues if writer else ():
                    writer.writerow((split, f"{src}-{tgt}", system, n + 1, i.check, i.severity,  # type: ignore[union-attr]
                                     i.message, s, h, refs[n]))  # fmt: skip
            shares[system] = errors / len(sources)
            scores = ("", "") if system == "reference" else (
                f"{metric(split, src, tgt, system, 'comet'):.4f}",
                f"{metric(split, src, tgt, system, 'bleu'):.1f}")  # fmt: skip
            checks = sorted({c for c, _ in per_check})
            detail = " ".join(
                f"{c} {per_check[c, 'error']}/{per_check[c, 'warning']}" for c in checks
            )
            print(f"  {system:22}{shares[system]:>11.1%}{flagged / len(sources):>10.1%}"
                  f"{scores[0]:>8}{scores[1]:>7}  {detail}")  # fmt: skip
        err = [-shares[s] for s in SYSTEMS]
        for name in ("comet", "bleu"):
            rho = spearman(err, [metric(split, src, tgt, s, name) for s in SYSTEMS])
            print(f"  Spearman(fewer error lines, {name.upper()}) = {rho:+.2f}")
        print(f"  reference: an error on {shares['reference']:.2%} of lines")


def _current(rows: list[dict[str, str]]) -> list[str]:
    """The severity the checker as it is now gives each judged (line, check): the gravest
    of its issues of that check on that line, or "" when it no longer flags it. A names
    flag is the same flag only if it quotes the same name: a line judged for one name and
    now flagged for another is not the judged flag."""
    names = NameMatcher(romanize.transliterate)
    cache: dict[tuple[str, str], tuple[list[str], list[str], dict[str, list[str]]]] = {}
    out = []
    for row in rows:
        src, tgt = row["direction"].split("-")
        if (row["split"], row["direction"]) not in cache:
            cache[row["split"], row["direction"]] = texts(row["split"], src, tgt)
        sources, refs, outputs = cache[row["split"], row["direction"]]
        hyps = refs if row["system"] == "reference" else outputs[row["system"]]
        n = int(row["line"]) - 1
        issues = check_pair(sources[n], hyps[n], source_lang=src, target_lang=tgt, names=names)
        word = _QUOTED.search(row["message"]) if row["check"] in _BY_WORD else None
        found = {
            i.severity
            for i in issues
            if i.check == row["check"] and (word is None or word.group(0) in i.message)
        }
        out.append("error" if "error" in found else "warning" if found else "")
    return out


_BY_WORD = ("names",)
_QUOTED = re.compile(r"'[^']+'")


def precision(path: Path) -> None:
    """Precision per check and severity of the checker as it is now, over the judged
    flags it still raises; and how many of the judged true errors it still calls errors."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    for row in rows:
        if row["verdict"] not in ("true", "false"):
            sys.exit(f"{path}: verdict must be true or false, not {row['verdict']!r}")
    now = _current(rows)
    tally: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for row, severity in zip(rows, now, strict=True):
        if not severity:
            continue
        for key in (
            ("severity", severity),
            ("check", row["check"], severity),
            ("direction", row["direction"], severity),
            ("system", row["system"], severity),
        ):
            tally[key][row["verdict"]] += 1
    print(f"{len(rows)} judged flags in {path.name}; {sum(map(bool, now))} still raised")
    for kind in ("severity", "check", "direction", "system"):
        print(f"precision per {kind}:")
        for key in sorted(k for k in tally if k[0] == kind):
            c = tally[key]
            n = c["true"] + c["false"]
            print(f"  {' '.join(key[1:]):34}{c['true']:>4}/{n:<4} = {c['true'] / n:.2f}")
    true_errors = [s for row, s in zip(rows, now, strict=True)
                   if row["verdict"] == "true" and row["severity"] == "error"]  # fmt: skip
    kept = sum(s == "error" for s in true_errors)
    print(f"true errors in the set (judged as errors when found): {len(true_errors)}, "
          f"still errors: {kept} = {kept / max(len(true_errors), 1):.2f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rank = sub.add_parser("ranking")
    rank.add_argument("--split", choices=sorted(FILES), default="dev")
    rank.add_argument("--dump", type=Path)
    prec = sub.add_parser("precision")
    prec.add_argument("--judged", type=Path, default=JUDGED)
    args = parser.parse_args()
    if args.command == "ranking":
        ranking(args.split, args.dump)
    else:
        precision(args.judged)


if __name__ == "__main__":
    main()
