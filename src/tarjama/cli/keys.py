"""`tarjama keys add|list|revoke|import`: the API keys `tarjama serve --api-keys` knows."""

from __future__ import annotations

import argparse
import sys

from ..workspace import Workspace


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("keys", help="create, list, revoke and import API keys for the server")
    p.add_argument("--home", default=None, help="key store location (default $TARJAMA_HOME)")
    p.add_argument(
        "--db", default=None, metavar="FILE", help="the key store file (serve --api-keys-db-path)"
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    add = actions.add_parser("add", help="create a key and print it (shown only once)")
    add.add_argument("--name", default="", help="who or what the key is for")
    add.add_argument("--req-limit", type=int, default=None, help="requests per minute for this key")
    add.add_argument(
        "--char-limit", type=int, default=None, help="characters per text for this key"
    )
    add.add_argument(
        "--key", default=None, help="store this existing key (one from LibreTranslate, say)"
    )
    actions.add_parser("list", help="list keys (never the keys themselves)")
    revoke = actions.add_parser("revoke", help="revoke a key")
    revoke.add_argument("key", metavar="ID|KEY", help="the key's id, or the key itself")
    imp = actions.add_parser("import", help="bring over LibreTranslate's keys and their limits")
    imp.add_argument("source", metavar="API_KEYS_DB", help="LibreTranslate's db/api_keys.db")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ws = Workspace.open(args.home)
    if args.action == "import":
        added, present = ws.import_keys(args.source, args.db)
        print(f"{added} key(s) imported, {present} already present", file=sys.stderr)
        return 0
    store = ws.keys(args.db)
    if args.action == "add":
        key, record = store.add(
            args.name, req_limit=args.req_limit, char_limit=args.char_limit, key=args.key
        )
        if args.key is None:
            print(key)
            print(
                f"key {record.id} created; store it now, it cannot be shown again", file=sys.stderr
            )
        else:
            print(f"key {record.id} stored ({record.hint}…)", file=sys.stderr)
    elif args.action == "list":
        rows = store.list()
        if not rows:
            print("no keys", file=sys.stderr)
        for k in rows:
            limit = f"{k.req_limit}/min" if k.req_limit else "default"
            chars = f"{k.char_limit} chars" if k.char_limit else "default chars"
            status = f"revoked {k.revoked}" if k.revoked else "active"
            print(f"{k.id}\t{k.hint}…\t{k.name or '-'}\t{limit}\t{chars}\t{k.created}\t{status}")
    else:
        record = store.revoke(args.key)
        print(f"revoked key {record.id} ({record.hint}…)", file=sys.stderr)
    return 0
