"""The names check on FLORES with each transliterator: the built-in romaniser and the
character model, side by side.

    .venv/bin/python scripts/names_figures.py [--model DIR]

On the 2,009 FLORES dev + devtest reference lines (human translations, so every name has
its counterpart), for each transliterator:
- warnings per line: the share of lines the names check warns on (false alarms);
- names matched: the share of name candidates found on each side that the check pairs with
  a counterpart on the other;
- planted swaps caught: in 300 lines with an English name, one name replaced by another
  line's name (fixed seed); the share the check then warns about.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from pathlib import Path

from tarjama.engines.characters import Transliterator
from tarjama.fidelity.names import NameMatcher
from tarjama.text import romanize
from tarjama.text.phonetic import Transliterate

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TARJAMA_TEST_DATA", REPO / ".." / "shared"))
FLORES = SHARED / "data" / "mozilla-eval" / "ar-en"


def lines(name: str) -> list[str]:
    return (FLORES / name).read_text(encoding="utf-8").splitlines()


def measure(
    transliterate: Transliterate, pairs: list[tuple[str, str]], seed: int
) -> dict[str, float]:
    matcher = NameMatcher(transliterate)
    warned = found = matched = 0
    for ar, en in pairs:
        lost_ar, lost_en = matcher.unmatched(ar, en)
        warned += bool(lost_ar or lost_en)
        names = len(matcher.arabic_names(ar)) + len(matcher.english_names(en))
        found += names
        matched += names - len(lost_ar) - len(lost_en)
    rng = random.Random(seed)
    with_names = [(ar, en, matcher.english_names(en)) for ar, en in pairs]
    with_names = [c for c in with_names if c[2]]
    donors = [n.text for _, _, names in with_names for n in names]
    caught = tried = 0
    for ar, en, names in rng.sample(with_names, min(300, len(with_names))):
        name = rng.choice(names)
        other = rng.choice([d for d in donors if d[:2].lower() != name.text[:2].lower()])
        planted = en[: name.start] + other + en[name.end :]
        if matcher.unmatched(ar, en) != ([], []):
            continue  # already warned on: not a fair trial
        tried += 1
        caught += matcher.unmatched(ar, planted) != ([], [])
    return {
        "warnings": warned / len(pairs),
        "matched": matched / max(found, 1),
        "caught": caught / max(tried, 1),
        "tried": tried,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=SHARED / "models" / "aren-transliteration")
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()
    pairs = list(zip(lines("flores-dev.ar") + lines("flores-test.ar"),
                     lines("flores-dev.en") + lines("flores-test.en"), strict=True))  # fmt: skip
    contenders: list[tuple[str, Transliterate]] = [("romaniser (built in)", romanize.transliterate)]
    if (args.model / "model.bin").is_file():
        contenders.append(("character model", Transliterator.load(args.model).transliterate))
    print(f"names check on {len(pairs)} FLORES reference lines (dev + devtest)")
    print(f"  {'transliterator':24}{'warnings/line':>15}{'names matched':>15}{'swaps caught':>15}")
    for label, transliterate in contenders:
        start = time.perf_counter()
        f = measure(transliterate, pairs, args.seed)
        took = time.perf_counter() - start
        print(
            f"  {label:24}{f['warnings']:>14.1%}{f['matched']:>15.1%}"
            f"{f['caught']:>10.1%} of {f['tried']:.0f}   ({took:.0f} s)"
        )


if __name__ == "__main__":
    main()
