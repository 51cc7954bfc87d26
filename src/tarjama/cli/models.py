"""`tarjama models list | show | add | pull | remove`."""

from __future__ import annotations

import argparse
import json

from ..workspace import Workspace
from ..workspace.stores import CATALOGUE, DEFAULTS


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("models", help="list, add, pull or remove models")
    p.add_argument("--home", default=None, help="model store (default $TARJAMA_HOME)")
    msub = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    msub.required = True

    ls = msub.add_parser("list", help="installed models (and with --available, the catalogue)")
    ls.add_argument(
        "--available", action="store_true", help="the catalogue: size, quality, the defaults"
    )
    ls.set_defaults(func=_list)

    show = msub.add_parser("show", help="print an installed model's manifest")
    show.add_argument("name", metavar="NAME")
    show.set_defaults(func=_show)

    add = msub.add_parser(
        "add", help="install a CTranslate2 model directory or a transformers checkpoint"
    )
    add.add_argument("directory", metavar="DIR")
    add.add_argument("--name", required=True)
    add.add_argument(
        "--source", default=None, help="source language (default: the catalogue's or ar)"
    )
    add.add_argument("--target", default=None, help="target language (default: from the model)")
    add.add_argument(
        "--source-prefix",
        default=None,
        metavar="TOKEN",
        help="token put before every source sentence, e.g. >>ara<< (default: from the "
        "catalogue or the model's vocabulary)",
    )
    add.add_argument(
        "--profile",
        default=None,
        help="an LLM's prompt profile: generic, hunyuan-mt or translategemma (default: the "
        "catalogue's, else generic)",
    )
    add.set_defaults(func=_add)

    ep = msub.add_parser(
        "add-endpoint",
        help="record an OpenAI-compatible LLM server (vLLM, llama-server) as a model",
    )
    ep.add_argument("name", metavar="NAME")
    ep.add_argument(
        "--url", required=True, help="the server's API base, e.g. http://127.0.0.1:8000/v1"
    )
    ep.add_argument("--model", required=True, metavar="ID", help="the model id the server serves")
    ep.add_argument(
        "--profile",
        default="generic",
        help="prompt profile: generic, hunyuan-mt or translategemma (default generic)",
    )
    ep.add_argument(
        "--api-key-env", default=None, metavar="VAR", help="environment variable holding the key"
    )
    ep.add_argument("--source", default="ar", help="source language (default ar)")
    ep.add_argument("--target", default="en", help="target language (default en)")
    ep.add_argument("--concurrency", type=int, default=4, help="requests at once (default 4)")
    ep.set_defaults(func=_add_endpoint)

    pl = msub.add_parser("pull", help="download a catalogue model and convert it (needs network)")
    pl.add_argument("name", choices=sorted(CATALOGUE), metavar="NAME")
    pl.set_defaults(func=_pull)

    rm = msub.add_parser("remove", help="delete an installed model")
    rm.add_argument("name", metavar="NAME")
    rm.set_defaults(func=_remove)


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def _list(args: argparse.Namespace) -> int:
    ws = Workspace.open(args.home)
    manifests = ws.installed_models()
    if manifests:
        for m in manifests:
            pairs = ", ".join(f"{s}->{t}" for s, t in m.pairs)
            print(
                f"{m.name}\t{m.role}\t{m.family}\t{pairs}\t{_mb(m.size_bytes)}"
                f"\t{m.origin.get('kind')}"
            )
    else:
        print(f"no models installed in {ws.models_root}")
    installed = {m.name for m in manifests}
    if args.available:
        defaults = {name: pair for pair, name in DEFAULTS.items()}
        for name, entry in CATALOGUE.items():
            pairs = ", ".join(f"{s}->{t}" for s, t in entry.pairs())
            bleu = ", ".join(f"{p.replace('-', '->')} {b}" for p, b in entry.bleu.items())
            marks = (
                [f"default {defaults[name][0]}->{defaults[name][1]}"] if name in defaults else []
            )
            marks += ["installed"] if name in installed else []
            quality = f"BLEU {bleu} ({entry.measured})" if bleu else entry.measured
            licence = f"\tlicence: {entry.licence}" if entry.licence else ""
            print(
                f"{name}\t{pairs}\t~{entry.size_mb:,} MB\t{quality}\t{entry.note}{licence}"
                + (f"\t[{', '.join(marks)}]" if marks else "")
            )
        return 0
    missing = [n for n in CATALOGUE if n not in installed]
    if missing:
        print("available to pull: " + ", ".join(missing) + " (models list --available)")
    return 0


def _show(args: argparse.Namespace) -> int:
    manifest = Workspace.open(args.home).model_manifest(args.name)
    print(json.dumps(manifest.to_json(), ensure_ascii=False, indent=2))
    return 0


def _add(args: argparse.Namespace) -> int:
    m = Workspace.open(args.home).add_model(
        args.directory,
        args.name,
        source=args.source,
        target=args.target,
        source_prefix=[args.source_prefix] if args.source_prefix else None,
        profile=args.profile,
    )
    pairs = ", ".join(f"{s}->{t}" for s, t in m.pairs)
    prefix = f", source prefix {' '.join(m.source_prefix)}" if m.source_prefix else ""
    converted = ", converted to CTranslate2 int8" if m.origin.get("converted") else ""
    print(f"added {m.name} ({m.role}, {m.family}, {pairs}{prefix}, {_mb(m.size_bytes)}{converted})")
    return 0


def _add_endpoint(args: argparse.Namespace) -> int:
    m = Workspace.open(args.home).add_endpoint(
        args.name,
        url=args.url,
        model=args.model,
        profile=args.profile,
        api_key_env=args.api_key_env,
        pairs=[(args.source, args.target)],
        concurrency=args.concurrency,
    )
    pairs = ", ".join(f"{s}->{t}" for s, t in m.pairs)
    print(f"added {m.name} (endpoint {m.origin['url']}, model {m.model_id}, {pairs}, "
          f"profile {m.origin['profile']})")  # fmt: skip
    return 0


def _pull(args: argparse.Namespace) -> int:
    m = Workspace.open(args.home).pull(args.name)
    print(f"pulled {m.name} ({m.family}, {_mb(m.size_bytes)}) from {m.origin.get('repo')}")
    return 0


def _remove(args: argparse.Namespace) -> int:
    Workspace.open(args.home).remove_model(args.name)
    print(f"removed {args.name}")
    return 0
