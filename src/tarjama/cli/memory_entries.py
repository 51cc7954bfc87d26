"""`tarjama memory show|edit|remove|restore|unapprove|history ID`: one entry by its id,
and the searches that list entries with their ids (``--mode substring``, ``--side target``).

Every change is recorded in the entry's history with ``--by`` (default the login name) as
the actor; removing is a tombstone that ``restore`` undoes (docs/memory.md)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable

from ..archive import DEFAULT_THRESHOLD, Record, TranslationMemory, default_actor
from ..workspace import Workspace

FORMAT = ("text", "json")


def _common(p: argparse.ArgumentParser, *, acts: bool) -> None:
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--memory", default=None, metavar="DB", help="memory database")
    if acts:
        p.add_argument("--by", default=None, metavar="NAME", help="who acts (the login name)")
    p.add_argument("--format", "-f", choices=FORMAT, default="text")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    show = commands.add_parser("show", help="one entry by its id")
    _common(show, acts=False)
    show.set_defaults(func=run_show)

    history = commands.add_parser("history", help="who did what to an entry, and when")
    _common(history, acts=False)
    history.set_defaults(func=run_history)

    edit = commands.add_parser("edit", help="give an entry a new target (an approval)")
    _common(edit, acts=True)
    edit.add_argument("--target", default=None, metavar="TEXT")
    edit.add_argument("--context", default=None, metavar="TEXT")
    edit.set_defaults(func=run_edit)

    for name, helptext in (
        ("remove", "remove an entry (a tombstone: 'restore' undoes it)"),
        ("restore", "bring a removed entry back"),
        ("unapprove", "take an editor's approval back"),
    ):
        act = commands.add_parser(name, help=helptext)
        _common(act, acts=True)
        act.set_defaults(func=run_act, act=name)


def _print(record: Record, fmt: str) -> None:
    if fmt == "json":
        print(json.dumps(record.to_json(), ensure_ascii=False, indent=2))
        return
    e = record.entry
    state = " (removed)" if record.removed else ""
    print(f"entry {record.id}{state}: {e.source_lang}->{e.target_lang}, origin {e.origin}")
    print(f"source:  {e.source}")
    print(f"target:  {e.target}")
    print(f"author:  {e.author or '-'}  context: {e.context or '-'}")
    print(f"created: {e.created}  changed: {record.changed}")


def _with(args: argparse.Namespace, work: Callable[[TranslationMemory], Record]) -> int:
    with Workspace.open().open_memory(args.memory) as tm:
        record = work(tm)
    _print(record, args.format)
    return 0


def run_show(args: argparse.Namespace) -> int:
    return _with(args, lambda tm: tm.get(args.id))


def run_history(args: argparse.Namespace) -> int:
    with Workspace.open().open_memory(args.memory) as tm:
        events = tm.history(args.id)
    if args.format == "json":
        out = {"id": args.id, "history": [e.to_json() for e in events]}
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for e in events:
        detail = json.dumps(e.detail, ensure_ascii=False) if e.detail else ""
        print(f"{e.at}  {e.action:<10}  {e.actor or '-'}  {detail}".rstrip())
    return 0


def run_edit(args: argparse.Namespace) -> int:
    actor = args.by or default_actor()
    return _with(args, lambda tm: tm.edit(args.id, actor, target=args.target, context=args.context))


def run_act(args: argparse.Namespace) -> int:
    actor = args.by or default_actor()
    acts: dict[str, Callable[[TranslationMemory], Record]] = {
        "remove": lambda tm: tm.remove(args.id, actor),
        "restore": lambda tm: tm.restore(args.id, actor),
        "unapprove": lambda tm: tm.unapprove(args.id, actor),
    }
    return _with(args, acts[args.act])


def run_find(args: argparse.Namespace) -> int:
    """``memory search --mode substring`` or ``--side target``: entries with their ids."""
    with Workspace.open().open_memory(args.memory) as tm:
        found = tm.find(
            args.text,
            args.source,
            args.target,
            side=args.side or "source",
            mode=args.mode or "substring",
            threshold=args.threshold if args.threshold is not None else DEFAULT_THRESHOLD,
            limit=args.limit,
        )
    if args.format == "json":
        rows = [{**r.to_json(), "score": s} for r, s in found]
        print(json.dumps({"entries": rows}, ensure_ascii=False, indent=2))
    for record, score in found if args.format == "text" else ():
        mark = f"{score:.2f}  " if score is not None else ""
        print(f"{mark}[{record.id}] {record.entry.source}\n      {record.entry.target}")
    if not found and args.format == "text":
        print("no match")
    return 0 if found else 1
