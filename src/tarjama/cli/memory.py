"""`tarjama memory import|export|stats|search`: manage the translation memory (one entry
by its id: :mod:`.memory_entries`)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ..archive import (
    DEFAULT_THRESHOLD,
    FORMATS,
    Suggestion,
    add_loaded,
    load_entries,
    search_report,
    write_tmx,
    write_tsv,
)
from ..errors import InputError
from ..workspace import Workspace
from . import memory_entries
from ._io import atomic_write


def _memory_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--memory",
        default=None,
        metavar="DB",
        help="memory database (default $TARJAMA_HOME/memory.sqlite)",
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("memory", help="import, export and search the translation memory")
    commands = p.add_subparsers(dest="memory_command", metavar="COMMAND", required=True)

    imp = commands.add_parser("import", help="add aligned segments from files")
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument("--format", "-f", choices=FORMATS, default="auto")
    imp.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    imp.add_argument(
        "--include-unreviewed",
        action="store_true",
        help="take machine or unreviewed XLIFF targets as suggestions (never exact matches)",
    )
    _memory_option(imp)
    imp.set_defaults(func=run_import)

    exp = commands.add_parser("export", help="write the whole memory to FILE.tmx or FILE.tsv")
    exp.add_argument("file", metavar="FILE.tmx|FILE.tsv")
    exp.add_argument(
        "--include-removed", action="store_true", help="write removed entries too, marked"
    )
    _memory_option(exp)
    exp.set_defaults(func=run_export)

    stats = commands.add_parser("stats", help="count entries, sources and conflicts")
    stats.add_argument("--format", "-f", choices=("text", "json"), default="text")
    _memory_option(stats)
    stats.set_defaults(func=run_stats)

    search = commands.add_parser("search", help="exact and fuzzy matches for a segment")
    search.add_argument("text", metavar="TEXT")
    search.add_argument("--source", "-s", default="ar", choices=("ar", "en"))
    search.add_argument("--target", "-t", default="en", choices=("ar", "en"))
    search.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    search.add_argument("--limit", type=int, default=5)
    search.add_argument("--format", "-f", choices=("text", "json"), default="text")
    search.add_argument(
        "--mode", choices=("substring", "fuzzy"), default=None, help="list entries with ids"
    )
    search.add_argument("--side", choices=("source", "target"), default=None)
    _memory_option(search)
    search.set_defaults(func=run_search)
    memory_entries.register(commands)


def run_import(args: argparse.Namespace) -> int:
    err = Console(stderr=True)
    ws = Workspace.open()
    # The files first: a failed read creates no memory.
    loaded = load_entries(
        args.files,
        args.format,
        aligner=ws.aligner(memory=args.memory),
        include_unreviewed=args.include_unreviewed,
    )
    with ws.open_memory(args.memory, create=True) as tm:
        columns = (
            TextColumn("importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=err, disable=args.quiet) as bar:
            task = bar.add_task("import", total=len(loaded.entries))
            result = add_loaded(tm, loaded, on_progress=lambda n: bar.advance(task, n))
        err.print(
            f"{result.added} added, {result.present} already present, "
            f"{len(loaded.flagged)} low-confidence links skipped; {len(tm)} entries in {tm.path}",
            highlight=False,
            soft_wrap=True,
        )
        if loaded.unreviewed:
            err.print(
                f"{loaded.unreviewed} skipped: machine translation or unreviewed; "
                "--include-unreviewed takes them as suggestions",
                highlight=False,
                soft_wrap=True,
            )
    for pair in loaded.flagged:
        print(
            f"skipped ({pair.kind}, score {pair.score:.2f}): {pair.source} | {pair.target}",
            file=sys.stderr,
        )
    return 0


def run_export(args: argparse.Namespace) -> int:
    suffix = Path(args.file).suffix.lower()
    if suffix not in (".tmx", ".tsv"):
        raise InputError(f"export writes .tmx or .tsv files, not {args.file}")
    with Workspace.open().open_memory(args.memory) as tm:
        entries = tm.entries(include_removed=args.include_removed)

        def write(tmp: Path) -> int:
            if suffix == ".tmx":
                return write_tmx(entries, tmp)
            return write_tsv(entries, tmp, tombstones=args.include_removed)

        # Into a temporary file beside it, then renamed: a full disk leaves the old file.
        count = atomic_write(args.file, write)
    print(f"{count} entries written to {args.file}", file=sys.stderr)
    return 0


def run_stats(args: argparse.Namespace) -> int:
    with Workspace.open().open_memory(args.memory) as tm:
        stats = tm.stats()
    if args.format == "json":
        print(json.dumps(stats.to_json(), ensure_ascii=False, indent=2))
        return 0
    print(f"memory:    {stats.path}")
    print(f"entries:   {stats.entries}")
    print(f"sources:   {stats.sources}")
    print(f"conflicts: {stats.conflicts} (sources with more than one target; newest wins)")
    print(
        f"approved:  {stats.approved} by editors, {stats.approved_conflicts} sources with "
        "more than one approved target (the newest approval wins)"
    )
    print(f"suggested: {stats.suggestions} (offered, never used unseen)")
    print(f"removed:   {stats.removed} (tombstones: 'tarjama memory restore ID' undoes)")
    print(f"origins:   {stats.origins}")
    for pair, count in stats.pairs.items():
        print(f"pair {pair}: {count}")
    for pair, links in stats.lexicon.items():
        print(f"lexicon {pair}: learned from {links} links")
    return 0


def run_search(args: argparse.Namespace) -> int:
    if not args.text.strip():
        raise InputError("nothing to search for: the text is empty")
    if args.mode is not None or args.side is not None:
        return memory_entries.run_find(args)
    with Workspace.open().open_memory(args.memory) as tm:
        exact = tm.lookup(args.text, args.source, args.target)
        found = tm.search(
            args.text, args.source, args.target, threshold=args.threshold, limit=args.limit
        )
    if args.format == "json":
        print(json.dumps(search_report(exact, found), ensure_ascii=False, indent=2))
        return 0
    out = Console(highlight=False)
    if exact is not None:
        out.print(f"exact: {escape(exact.target)}  [dim]({escape(exact.origin)})[/dim]")
    for s in found:
        out.print(f"{s.score:.2f}  {_marked(s)}\n      {escape(s.entry.target)}")
    if exact is None and not found:
        out.print("no match")
    return 0 if exact is not None or found else 1


def _marked(s: Suggestion) -> str:
    """The memory's source with words the query lacks in red and the query's own in green."""
    parts = []
    for d in s.diff:
        if d.op == "equal":
            parts.append(escape(d.memory))
            continue
        if d.memory:
            parts.append(f"[red][{escape(d.memory)}][/red]")
        if d.query:
            parts.append(f"[green]{{{escape(d.query)}}}[/green]")
    return " ".join(parts)
