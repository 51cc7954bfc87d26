"""tarjama evaluate --hyp FILE --ref FILE [--src FILE] [--format text|json]"""

from __future__ import annotations

import argparse
import json

from ..evaluate import evaluate
from ..workspace import Workspace
from ._io import read_input, write_output


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "evaluate", help="score a translation against references (BLEU, chrF++, TER, COMET)"
    )
    p.add_argument("--hyp", required=True, metavar="FILE", help="the translation, one line each")
    p.add_argument("--ref", required=True, metavar="FILE", help="the reference translation")
    p.add_argument("--src", metavar="FILE", help="the source text (needed for COMET)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    hyps = read_input(args.hyp).splitlines()
    refs = read_input(args.ref).splitlines()
    srcs = read_input(args.src).splitlines() if args.src else None
    result = evaluate(hyps, refs, srcs, comet_model=Workspace.open().comet_model())
    if args.format == "json":
        write_output(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n", None)
    else:
        write_output(result.to_text(), None)
    return 0
