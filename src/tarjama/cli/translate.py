"""`tarjama translate`: translate a document from a file or stdin."""

from __future__ import annotations

import argparse
import json
import sys

from ..document import Issue, decode_bytes
from ..errors import InputError
from ..formats import kind_of, kinds
from ..workspace import Workspace
from ._io import check_output, read_input, write_output
from .files import read_document, recoded, translate_file
from .streaming import stream_out


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("translate", help="translate a document (one paragraph per line)")
    p.add_argument("file", nargs="?", default="-", metavar="FILE|-", help="input (default stdin)")
    p.add_argument("--source", "-s", default=None, help="source language (ar, en)")
    p.add_argument("--target", "-t", default=None, help="target language (en, ar)")
    p.add_argument(
        "--model",
        "-m",
        default=None,
        help="installed model name or a directory (default: the installed model for the pair)",
    )
    p.add_argument("--format", "-f", choices=("text", "json"), default="text")
    p.add_argument(
        "--output",
        "-o",
        default=None,
        help="write here instead of stdout (documents: default NAME.en.EXT beside the input)",
    )
    p.add_argument(
        "--input-format",
        default=None,
        metavar="|".join(kinds()),
        help="the input's format (default: from its extension; plain text otherwise)",
    )
    p.add_argument(
        "--encoding",
        default=None,
        metavar="NAME",
        help="the input's encoding when it is not UTF-8 and cannot be told (windows-1256, "
        "iso-8859-6, windows-1252, …); text formats only",
    )
    p.add_argument(
        "--translate-all",
        action="store_true",
        help="documents: translate blocks already in the target language too (default: kept)",
    )
    p.add_argument(
        "--llm-post-edit",
        metavar="LLM",
        default=None,
        help="an endpoint model edits the model's translation with the memory's matches; "
        "an edit is kept only when it passes the checks (origin llm-edit)",
    )
    p.add_argument(
        "--stream",
        action="store_true",
        help="plain text: write each paragraph once translated and checked, and show an "
        "LLM's sentence as it is written on a terminal's stderr",
    )
    p.add_argument("--beam", type=int, default=4, help="beam size, 1 to 16 (default 4)")
    p.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    p.add_argument("--home", default=None, help="model store (default $TARJAMA_HOME)")
    p.add_argument(
        "--glossary", metavar="FILE", help="CSV/TSV/TBX glossary (default: $TARJAMA_HOME's)"
    )
    memory = p.add_mutually_exclusive_group()
    memory.add_argument(
        "--memory",
        metavar="DB",
        help="translation memory: exact matches reused, close ones suggested "
        "(default: $TARJAMA_HOME/memory.sqlite when it exists)",
    )
    memory.add_argument(
        "--no-memory", action="store_true", help="translate without any translation memory"
    )
    p.add_argument(
        "--digits",
        choices=("ascii", "arabic"),
        default=None,
        help="digit system of the model's output (default: ASCII into English, as written "
        "into Arabic)",
    )
    add_fail_on(p)
    p.set_defaults(func=run)


#: What ``--fail-on`` takes: the least severity that makes the exit status 1.
FAIL_ON = ("error", "warning")


def add_fail_on(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default=None,
        help="exit 1 when the checks found issues of this severity (warning: any issue); "
        "the output is written all the same",
    )


def failed(fail_on: str | None, errors: int, warnings: int) -> bool:
    """Whether ``--fail-on`` turns these findings into exit status 1."""
    if fail_on == "error":
        return errors > 0
    return fail_on == "warning" and errors + warnings > 0


def run(args: argparse.Namespace) -> int:
    check_output(args.output)  # before any work: one line, nothing translated in vain
    kind = kind_of(args.file, args.input_format)
    if args.stream and (kind != "txt" or args.format != "text"):
        raise InputError("--stream writes plain text (--format text); documents come whole")
    if args.encoding:
        data = recoded(read_document(args.file), args.encoding, kind, args.file)
        text = decode_bytes(data) if kind == "txt" else ""
    else:
        text = read_input(args.file) if kind == "txt" else ""
        data = read_document(args.file) if kind != "txt" else b""
    ws = Workspace.open(args.home)
    translator = ws.translator(
        args.model,
        source=args.source,
        target=args.target,
        device=args.device,
        beam_size=args.beam,
        glossary=ws.glossary(args.glossary),
        memory=ws.memory(args.memory, use_home=False if args.no_memory else None),
        digits=args.digits,
        post_edit=args.llm_post_edit,
    )
    if kind != "txt":  # HTML, DOCX, XLIFF, subtitles, Markdown: the same format back
        return translate_file(args, translator, kind, data)
    to_stdout = args.output in (None, "-")
    if args.stream:
        split = translator.segment(text)
        shown = stream_out(split, to_stdout)
        doc = translator.stream_document(split, shown.on_event)
        shown.finish()
    else:
        doc = translator.translate_document(text)
    if doc.segments:  # nothing translated, nothing to report
        print(issue_summary(doc.issues), file=sys.stderr)
    reused = sum(s.origin == "memory" for s in doc.segments)
    if translator.memory is not None and reused:  # never a silent dependency
        print(
            f"tarjama: {reused} of {len(doc.segments)} segment(s) from the translation memory "
            f"{translator.memory.path}",
            file=sys.stderr,
        )
    if args.format == "json":
        out = json.dumps(doc.to_json(), ensure_ascii=False, indent=2) + "\n"
    else:
        out = doc.text if doc.text.endswith("\n") or not doc.text else doc.text + "\n"
    if not (args.stream and to_stdout):  # streamed to stdout already
        write_output(out, args.output)
    return exit_status(args, doc.issues)


def exit_status(args: argparse.Namespace, issues: list[Issue]) -> int:
    """0, or 1 when ``--fail-on`` says these issues fail the run."""
    errors = sum(i.severity == "error" for i in issues)
    return 1 if failed(args.fail_on, errors, len(issues) - errors) else 0


def issue_summary(issues: list[Issue]) -> str:
    """One line for stderr: "tarjama: 1 error(s), 2 warning(s) (numbers 1, confidence 2)"."""
    if not issues:
        return "tarjama: checks found no issues"
    errors = sum(i.severity == "error" for i in issues)
    counts: dict[str, int] = {}
    for i in issues:
        counts[i.check] = counts.get(i.check, 0) + 1
    detail = ", ".join(f"{check} {n}" for check, n in counts.items())
    return (
        f"tarjama: {errors} error(s), {len(issues) - errors} warning(s) ({detail}); "
        "see them with --format json, or tarjama check SOURCE TRANSLATION"
    )
