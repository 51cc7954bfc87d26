"""`tarjama batch`: translate many documents into a directory, resumably; `batch status`."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..batch import (
    BACKENDS,
    POOL_CHARS,
    Fields,
    JobOptions,
    RichProgress,
    run_job,
    summarize,
    write_report,
)
from ..errors import ConfigError
from ..workspace import Workspace
from .translate import add_fail_on, failed


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "batch",
        help="translate files, folders and JSONL/CSV records into a directory (resumable)",
        description="tarjama batch INPUT... --out DIR   |   tarjama batch status DIR",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files and folders, or: status DIR")
    p.add_argument("--out", "-o", metavar="DIR", help="output directory (holds the journal)")
    p.add_argument(
        "--model",
        "-m",
        default=None,
        help="installed model name or a directory (default: the installed model for the pair)",
    )
    p.add_argument("--source", "-s", default=None, help="source language (ar, en)")
    p.add_argument("--target", "-t", default=None, help="target language (en, ar)")
    p.add_argument("--glossary", metavar="FILE", help="glossary (default: $TARJAMA_HOME's)")
    memory = p.add_mutually_exclusive_group()
    memory.add_argument(
        "--memory",
        metavar="DB",
        help="translation memory: exact matches reused "
        "(default: $TARJAMA_HOME/memory.sqlite when it exists)",
    )
    memory.add_argument(
        "--no-memory", action="store_true", help="translate without any translation memory"
    )
    p.add_argument("--digits", choices=("ascii", "arabic"), default=None)
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
        "an edit is kept only when it passes the checks (part of the job's settings)",
    )
    p.add_argument("--beam", type=int, default=4, help="beam size (default 4)")
    p.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    p.add_argument("--home", default=None, help="model store (default $TARJAMA_HOME)")
    p.add_argument("--backend", choices=BACKENDS, default="local")
    p.add_argument("--workers", type=int, default=1, help="engine workers (default 1)")
    p.add_argument("--threads", type=int, default=None, help="engine threads per worker")
    p.add_argument("--gpus", type=float, default=0.0, help="GPUs per Ray worker")
    p.add_argument("--resume", action="store_true", help="continue the job in DIR")
    p.add_argument("--report", metavar="FILE.html", help="write an HTML report (and a CSV)")
    p.add_argument("--include", action="append", default=[], metavar="GLOB")
    p.add_argument("--exclude", action="append", default=[], metavar="GLOB")
    p.add_argument("--id-field", default="id", help="JSONL/CSV id field (default id)")
    p.add_argument("--text-field", default="text", help="JSONL/CSV text field (default text)")
    p.add_argument(
        "--pool", type=int, default=POOL_CHARS, metavar="CHARS", help="source characters pooled"
    )
    add_fail_on(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.inputs[0] == "status":
        return status(args)
    if not args.out:
        raise ConfigError("batch needs --out DIR")
    ws = Workspace.open(args.home)
    translators = ws.batch_translators(
        args.model,
        source=args.source,
        target=args.target,
        glossary=args.glossary,
        memory=args.memory,
        use_home_memory=False if args.no_memory else None,
        digits=args.digits,
        device=args.device,
        beam_size=args.beam,
        post_edit=args.llm_post_edit,
    )
    options = JobOptions(
        fields=Fields(args.id_field, args.text_field),
        include=args.include,
        exclude=args.exclude,
        backend=args.backend,
        workers=args.workers,
        threads=args.threads,
        gpus=args.gpus,
        pool_chars=args.pool,
        resume=args.resume,
        translate_all=args.translate_all,
    )
    with RichProgress() as progress:
        summary = run_job(args.inputs, args.out, translators, options, progress)
    print("\n".join(summary.lines()))
    _report(args)
    return 1 if summary.failed or failed(args.fail_on, summary.errors, summary.warnings) else 0


def status(args: argparse.Namespace) -> int:
    if len(args.inputs) != 2:
        raise ConfigError("usage: tarjama batch status DIR")
    print("\n".join(summarize(Path(args.inputs[1])).lines()))
    _report(args, Path(args.inputs[1]))
    return 0


def _report(args: argparse.Namespace, out: Path | None = None) -> None:
    if args.report:
        page, table = write_report(out or Path(args.out), Path(args.report))
        print(f"report: {page} (and {table})")
