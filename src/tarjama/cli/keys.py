"""`tarjama keys add|list|revoke`: the API keys `tarjama serve --api-keys` accepts."""

from __future__ import annotations

import argparse
import sys

from ..workspace import Workspace


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("keys", help="create, list and revoke API keys for the server")
    p.add_argument("--home", default=None, help="key store location (default $TARJAMA_HOME)")
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    add = actions.add_parser("add", help="create a key and print it (shown only once)")
    add.add_argument("--name", default="", help="who or what the key is for")
    add.add_argument("--req-limit", type=int, default=None, help="requests per minute for this key")
    actions.add_parser("list", help="list keys (never the keys themselves)")
    revoke = actions.add_parser("revoke", help="revoke a key")
    revoke.add_argument("key", metavar="ID|KEY", help="the key's id, or the key itself")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    store = Workspace.open(args.home).keys()
    if args.action == "add":
        key, record = store.add(args.name, req_limit=args.req_limit)
        print(key)
        print(f"key {record.id} created; store it now, it cannot be shown again", file=sys.stderr)
    elif args.action == "list":
        rows = store.list()
        if not rows:
            print("no keys", file=sys.stderr)
        for k in rows:
            limit = f"{k.req_limit}/min" if k.req_limit else "default"
            status = f"revoked {k.revoked}" if k.revoked else "active"
            print(f"{k.id}\t{k.hint}…\t{k.name or '-'}\t{limit}\t{k.created}\t{status}")
    else:
        record = store.revoke(args.key)
        print(f"revoked key {record.id} ({record.hint}…)", file=sys.stderr)
    return 0
