"""`tarjama translate`: translate a document from a file or stdin."""

from __future__ import annotations

import argparse
import json

from ..pipeline import Translator
from ._io import read_input, write_output


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("translate", help="translate a document (one paragraph per line)")
    p.add_argument("file", nargs="?", default="-", metavar="FILE|-", help="input (default stdin)")
    p.add_argument("--source", "-s", default=None, help="source language (ar, en)")
    p.add_argument("--target", "-t", default=None, help="target language (en, ar)")
    p.add_argument(
        "--model", "-m", default="opus-mt-ar-en", help="installed model name or a directory"
    )
    p.add_argument("--format", "-f", choices=("text", "json"), default="text")
    p.add_argument("--output", "-o", default=None, help="write here instead of stdout")
    p.add_argument("--beam", type=int, default=4, help="beam size (default 4)")
    p.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    p.add_argument("--home", default=None, help="model store (default $TARJAMA_HOME)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    text = read_input(args.file)
    translator = Translator.load(
        args.model,
        source=args.source,
        target=args.target,
        device=args.device,
        beam_size=args.beam,
        home=args.home,
    )
    doc = translator.translate_document(text)
    if args.format == "json":
        out = json.dumps(doc.to_json(), ensure_ascii=False, indent=2) + "\n"
    else:
        out = doc.text if doc.text.endswith("\n") or not doc.text else doc.text + "\n"
    write_output(out, args.output)
    return 0
