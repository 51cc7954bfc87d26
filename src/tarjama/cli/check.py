"""tarjama check SOURCE TRANSLATION [--source ar --target en] [--glossary FILE] [--format ...]

Checks any paragraph-aligned pair (a human's translation, another system's, ours) and exits
1 when an error-level issue is found, 0 otherwise.
"""

from __future__ import annotations

import argparse
import json

from ..document import Issue
from ..errors import InputError
from ..fidelity import report
from ..workspace import Workspace
from ._io import read_input, write_output


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "check", help="check a translation for wrong numbers, names, omissions, left-overs"
    )
    p.add_argument("source_file", metavar="SOURCE", help="the source text")
    p.add_argument("translation_file", metavar="TRANSLATION", help="its translation")
    p.add_argument("--source", default="ar", choices=("ar", "en"))
    p.add_argument("--target", default="en", choices=("ar", "en"))
    p.add_argument(
        "--glossary", metavar="FILE", help="CSV/TSV/TBX glossary (default: $TARJAMA_HOME's)"
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.source == args.target:  # as /v1/check refuses it
        raise InputError("source and target must differ")
    source = read_input(args.source_file)
    translation = read_input(args.translation_file)
    ws = Workspace.open()
    issues = ws.check(
        source,
        translation,
        source_lang=args.source,
        target_lang=args.target,
        glossary=ws.glossary(args.glossary),
    )
    if args.format == "json":
        write_output(json.dumps(report(issues), ensure_ascii=False) + "\n", None)
    else:
        write_output(format_issues(issues), None)
    return 1 if any(i.severity == "error" for i in issues) else 0


def format_issues(issues: list[Issue]) -> str:
    lines = []
    for i in issues:
        # People count paragraphs from 1; the JSON's index counts from 0.
        lines.append(f"paragraph {i.paragraph + 1}  {i.check}  {i.severity}: {i.message}")
        if i.source_text:
            lines.append(f"    source: {_short(i.source_text)}")
        if i.target_text:
            lines.append(f"    target: {_short(i.target_text)}")
    errors = sum(i.severity == "error" for i in issues)
    lines.append(f"{errors} error(s), {len(issues) - errors} warning(s)")
    return "\n".join(lines) + "\n"


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
