"""`tarjama models list | add | pull | remove`."""

from __future__ import annotations

import argparse
import json

from ..workspace import CATALOGUE, Workspace


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("models", help="list, add, pull or remove models")
    p.add_argument("--home", default=None, help="model store (default $TARJAMA_HOME)")
    msub = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    msub.required = True

    msub.add_parser("list", help="installed models and the catalogue").set_defaults(func=_list)

    show = msub.add_parser("show", help="print an installed model's manifest")
    show.add_argument("name", metavar="NAME")
    show.set_defaults(func=_show)

    add = msub.add_parser("add", help="install a CTranslate2 model directory")
    add.add_argument("directory", metavar="DIR")
    add.add_argument("--name", required=True)
    add.add_argument("--source", default="ar")
    add.add_argument("--target", default="en")
    add.set_defaults(func=_add)

    pl = msub.add_parser("pull", help="download a catalogue model and convert it (needs network)")
    pl.add_argument("name", choices=sorted(CATALOGUE), metavar="NAME")
    pl.set_defaults(func=_pull)

    rm = msub.add_parser("remove", help="delete an installed model")
    rm.add_argument("name", metavar="NAME")
    rm.set_defaults(func=_remove)


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def _list(args: argparse.Namespace) -> int:
    store = Workspace.open(args.home).models
    manifests = store.manifests()
    if manifests:
        for m in manifests:
            pairs = ", ".join(f"{s}->{t}" for s, t in m.pairs)
            print(f"{m.name}\t{m.family}\t{pairs}\t{_mb(m.size_bytes)}\t{m.origin.get('kind')}")
    else:
        print(f"no models installed in {store.root}")
    missing = sorted(set(CATALOGUE) - set(store.names()))
    if missing:
        print("available to pull: " + ", ".join(missing))
    return 0


def _show(args: argparse.Namespace) -> int:
    manifest = Workspace.open(args.home).models.manifest(args.name)
    print(json.dumps(manifest.to_json(), ensure_ascii=False, indent=2))
    return 0


def _add(args: argparse.Namespace) -> int:
    m = Workspace.open(args.home).models.add(
        args.directory, args.name, source=args.source, target=args.target
    )
    pairs = ", ".join(f"{s}->{t}" for s, t in m.pairs)
    print(f"added {m.name} ({m.family}, {pairs}, {_mb(m.size_bytes)})")
    return 0


def _pull(args: argparse.Namespace) -> int:
    m = Workspace.open(args.home).pull(args.name)
    print(f"pulled {m.name} ({m.family}, {_mb(m.size_bytes)}) from {m.origin.get('repo')}")
    return 0


def _remove(args: argparse.Namespace) -> int:
    Workspace.open(args.home).models.remove(args.name)
    print(f"removed {args.name}")
    return 0
