"""Build a random-weight model with OPUS-MT ar-en's exact architecture for benchmarks.

6+6 layers, d_model 512, 8 heads, ffn 2048, vocabulary 62,000 (SentencePiece pieces trained
on FLORES dev, padded to the real model's size), weights stored as int8 like the output of
`ct2-transformers-converter --quantization int8`.

    python scripts/build_bench_model.py [--out .bench/opus-mt-random]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FLORES = (
    Path(os.environ.get("TARJAMA_TEST_DATA", REPO / ".." / "shared"))
    / "data"
    / "mozilla-eval"
    / "ar-en"
)
DEFAULT_OUT = REPO / ".bench" / "opus-mt-random"


def build(out: Path = DEFAULT_OUT) -> Path:
    """Build the model unless it is already there; returns its directory."""
    if (out / "model.bin").is_file():
        return out
    # Here, not at the top: CTranslate2's model specs import torch when it is installed,
    # ~200 MB that a benchmark's measured child process must not count as its own.
    from tarjama.testing import OPUS_MT, build_marian_model

    ar = (FLORES / "flores-dev.ar").read_text(encoding="utf-8").splitlines()
    en = (FLORES / "flores-dev.en").read_text(encoding="utf-8").splitlines()
    return build_marian_model(out, ar, en, arch=OPUS_MT, spm_vocab=8000, quantization="int8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    print(build(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
