"""Measure the fidelity checks on FLORES: false alarms, recall, and a description of systems.

    .venv/bin/python scripts/fidelity_figures.py [--lines FILE] [--seed N] [--calibrate]

- False alarms: each FLORES reference line (dev and devtest, 2009 lines) checked against its
  Arabic source. Targets: the numbers check fires on <= 2% of lines; all checks together
  raise an error on <= 3% of lines.
- Recall: errors planted in copies of the references with a fixed seed: a changed number in
  300 lines (a digit altered, the number dropped, or two numbers swapped), a dropped sentence
  in 100 paragraphs of 5 lines, an Arabic word inserted in 100 lines. Lines where the check
  already fires on the untouched reference are not used.
- Description: each check's flag rate on six systems' outputs of FLORES devtest.

Every line a check fires on in the false-alarm run is written to ``--lines`` (default
``.bench/fidelity-lines.txt``, git-ignored) so that a reader can judge it.
``--calibrate`` only re-derives the length norm (FLORES dev) into
src/tarjama/data/length_norm.json.
"""

from __future__ import annotations

import argparse
import os
import random
import re
from collections import Counter
from pathlib import Path

from tarjama.engines.characters import Transliterator
from tarjama.fidelity import (
    Check,
    NumbersCheck,
    OmissionCheck,
    UntranslatedCheck,
    check_pair,
    default_checks,
)
from tarjama.fidelity.length import calibrate, dump_norm
from tarjama.fidelity.names import NameMatcher
from tarjama.text import split_sentences
from tarjama.text.numbers import read_quantities

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TARJAMA_TEST_DATA", REPO / ".." / "shared"))
FLORES = SHARED / "data" / "mozilla-eval" / "ar-en"
SYSTEMS = ("google", "microsoft", "bergamot-base", "nllb", "opusmt", "argos")


def lines(name: str) -> list[str]:
    return (FLORES / name).read_text(encoding="utf-8").splitlines()


def references() -> list[tuple[str, str, str]]:
    """(where, Arabic, English) for every FLORES dev and devtest line."""
    out = []
    for split in ("dev", "test"):
        pairs = zip(lines(f"flores-{split}.ar"), lines(f"flores-{split}.en"), strict=True)
        for i, (ar, en) in enumerate(pairs):
            out.append((f"{split}:{i + 1}", ar, en))
    return out


def pct(n: int, d: int) -> str:
    return f"{n}/{d} = {100 * n / d:.1f}%" if d else "0/0"


def false_alarms(refs: list[tuple[str, str, str]], names: NameMatcher | None, out: Path) -> None:
    fired: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    any_error = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as report:
        for where, ar, en in refs:
            issues = check_pair(ar, en, names=names)
            for check in {i.check for i in issues}:
                fired[check] += 1
            for check in {i.check for i in issues if i.severity == "error"}:
                errors[check] += 1
            any_error += any(i.severity == "error" for i in issues)
            for i in issues:
                report.write(f"{where}\t{i.check}\t{i.severity}\t{i.message}\n")
            if issues:
                report.write(f"\tAR {ar}\n\tEN {en}\n")
    n = len(refs)
    print(f"False alarms on {n} FLORES reference lines (dev + devtest):")
    for check in sorted(set(fired) | set(errors)):
        print(
            f"  {check:13s} fires on {pct(fired[check], n):>18s}"
            f"   errors on {pct(errors[check], n)}"
        )
    print(f"  numbers check fires on {pct(fired['numbers'], n)}  (target <= 2%)")
    print(f"  all checks: an error on {pct(any_error, n)}  (target <= 3%)")
    print(f"  every line fired on, with its issues: {out}")


def _fires(check: Check, ar: str, en: str) -> list[str]:
    from tarjama.fidelity import Context

    return [i.severity for i in check.check(ar, en, Context())]


def plant_numbers(refs: list[tuple[str, str, str]], rng: random.Random) -> None:
    check = NumbersCheck()
    usable = [
        (w, ar, en)
        for w, ar, en in refs
        if any(q.exact for q in read_quantities(en, "en")) and not _fires(check, ar, en)
    ]
    chosen = rng.sample(usable, 300)
    caught: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    missed = []
    for where, ar, en in chosen:
        kind, planted = _change_number(en, rng)
        kinds[kind] += 1
        if _fires(check, ar, planted):
            caught[kind] += 1
        else:
            missed.append((where, kind, planted))
    total = sum(caught.values())
    print(
        f"Recall, numbers: {pct(total, 300)} caught (target >= 95%); by kind: "
        + ", ".join(f"{k} {caught[k]}/{kinds[k]}" for k in sorted(kinds))
    )
    for where, kind, text in missed[:10]:
        print(f"    missed {where} ({kind}): {text[:150]}")


def _change_number(en: str, rng: random.Random) -> tuple[str, str]:
    nums = [q for q in read_quantities(en, "en") if q.exact]
    distinct = {en[q.start : q.end] for q in nums}
    kinds = ["alter", "drop"] + (["swap"] if len(distinct) > 1 else [])
    kind = rng.choice(kinds)
    if kind == "swap":
        a, b = rng.sample([q for q in nums], 2)
        while en[a.start : a.end] == en[b.start : b.end]:
            a, b = rng.sample(nums, 2)
        a, b = sorted((a, b), key=lambda q: q.start)
        return kind, (
            en[: a.start]
            + en[b.start : b.end]
            + en[a.end : b.start]
            + en[a.start : a.end]
            + en[b.end :]
        )
    q = rng.choice(nums)
    if kind == "drop":
        return kind, re.sub(r"\s{2,}", " ", en[: q.start] + en[q.end :]).strip()
    positions = [i for i in range(q.start, q.end) if en[i].isdigit()]
    i = rng.choice(positions)
    digit = rng.choice([d for d in "0123456789" if d != en[i]])
    return kind, en[:i] + digit + en[i + 1 :]


def plant_omissions(refs: list[tuple[str, str, str]], rng: random.Random) -> None:
    check = OmissionCheck()
    paragraphs = []
    for k in range(0, len(refs) - 4, 5):
        block = refs[k : k + 5]
        if block[0][0].split(":")[0] != block[-1][0].split(":")[0]:
            continue  # do not join lines across the two splits
        ar = " ".join(b[1] for b in block)
        en = " ".join(b[2] for b in block)
        paragraphs.append((block[0][0], ar, en))
    quiet = [p for p in paragraphs if not _fires(check, p[1], p[2])]
    chosen = rng.sample(quiet, 100)
    flagged = as_error = 0
    missed = []
    for where, ar, en in chosen:
        sentences = split_sentences(en, "en")
        drop = rng.randrange(len(sentences))
        planted = " ".join(s.text for i, s in enumerate(sentences) if i != drop)
        found = _fires(check, ar, planted)
        flagged += bool(found)
        as_error += "error" in found
        if not found:
            missed.append((where, sentences[drop].text))
    print(
        f"Recall, omission: {pct(flagged, 100)} flagged (target >= 90%), {as_error} as errors "
        f"({len(paragraphs) - len(quiet)} of {len(paragraphs)} untouched paragraphs flagged)"
    )
    for where, text in missed[:10]:
        print(f"    missed paragraph at {where}, dropped: {text[:120]}")


def plant_untranslated(refs: list[tuple[str, str, str]], rng: random.Random) -> None:
    check = UntranslatedCheck()
    chosen = rng.sample(refs, 100)
    caught = 0
    for _, ar, en in chosen:
        word = rng.choice([w for w in ar.split() if re.search("[\u0621-\u064a]", w)])
        words = en.split()
        words.insert(rng.randrange(len(words) + 1), word)
        caught += bool(_fires(check, ar, " ".join(words)))
    print(f"Recall, untranslated: {pct(caught, 100)} caught (target 100%)")


def describe(names: NameMatcher | None) -> None:
    ar = lines("flores-test.ar")
    checks = [c.id for c in default_checks()]
    print(
        f"Description: share of the {len(ar)} devtest lines each check flags (errors in brackets)"
    )
    print("  " + "system".ljust(15) + "".join(c[:11].rjust(13) for c in checks))
    for system in ("reference", *SYSTEMS):
        en = lines("flores-test.en" if system == "reference" else f"flores-test.{system}.en")
        flags: Counter[str] = Counter()
        errs: Counter[str] = Counter()
        for a, e in zip(ar, en, strict=True):
            issues = check_pair(a, e, names=names)
            flags.update({i.check for i in issues})
            errs.update({i.check for i in issues if i.severity == "error"})
        row = "".join(
            f"{100 * flags[c] / len(ar):5.1f}% ({100 * errs[c] / len(ar):4.1f})".rjust(13)
            for c in checks
        )
        print("  " + system.ljust(15) + row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=Path, default=REPO / ".bench" / "fidelity-lines.txt")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--no-names", action="store_true", help="skip the transliteration model")
    args = parser.parse_args()
    if args.calibrate:
        pairs = zip(lines("flores-dev.ar"), lines("flores-dev.en"), strict=True)
        norm = calibrate(pairs, "ar", "en")
        path = REPO / "src" / "tarjama" / "data" / "length_norm.json"
        path.write_text(dump_norm(norm), encoding="utf-8")
        print(f"length norm {norm} written to {path}")
        return
    model = None if args.no_names else SHARED / "models" / "aren-transliteration"
    names = NameMatcher(Transliterator.load(model).transliterate) if model else None
    print(f"names check: {'transliteration model ' + str(model) if names else 'off (no model)'}")
    refs = references()
    false_alarms(refs, names, args.lines)
    plant_numbers(refs, random.Random(args.seed))
    plant_omissions(refs, random.Random(args.seed))
    plant_untranslated(refs, random.Random(args.seed))
    describe(names)


if __name__ == "__main__":
    main()
