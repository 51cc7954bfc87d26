"""`tarjama serve`: load the models once, then serve the APIs and the web page."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
from pathlib import Path

from ..workspace import Workspace


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "serve",
        help="serve the LibreTranslate-compatible API, the /v1 API and the web page",
        description="Every option can also be set as an environment variable (shown in [ ]).",
    )
    p.add_argument("--host", help="address to bind (default 127.0.0.1) [TARJAMA_HOST]")
    p.add_argument("--port", type=int, help="port (default 5000) [TARJAMA_PORT]")
    p.add_argument(
        "--model",
        "-m",
        action="append",
        dest="models",
        metavar="NAME",
        help="model name or directory to serve; repeat for more (default: every installed "
        "model) [TARJAMA_MODEL, comma-separated]",
    )
    p.add_argument(
        "--api-keys",
        action="store_true",
        default=None,
        help="require an API key from 'tarjama keys add' [TARJAMA_API_KEYS=1]",
    )
    p.add_argument(
        "--char-limit",
        type=int,
        help="characters per request, -1 for none (default 50000) [TARJAMA_CHAR_LIMIT]",
    )
    p.add_argument(
        "--batch-limit",
        type=int,
        help="items per list of q, -1 for none (default 128) [TARJAMA_BATCH_LIMIT]",
    )
    p.add_argument(
        "--req-limit",
        type=int,
        help="requests per minute per key or client, -1 for none (default -1) [TARJAMA_REQ_LIMIT]",
    )
    p.add_argument("--device", choices=("auto", "cpu", "cuda"), help="[TARJAMA_DEVICE]")
    p.add_argument("--home", help="model and key store (default $TARJAMA_HOME)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from ..server import Registry, Settings, bind, create_app

    settings = Settings.from_env(os.environ).replace(
        host=args.host,
        port=args.port,
        models=tuple(args.models) if args.models else None,
        api_keys=args.api_keys,
        char_limit=args.char_limit,
        batch_limit=args.batch_limit,
        req_limit=args.req_limit,
        device=args.device,
        home=Path(args.home) if args.home else None,
    )
    sock = bind(settings.host, settings.port)  # first: a port in use is an error, exit 2
    workspace = Workspace.open(settings.home)
    keys = workspace.keys() if settings.api_keys else None
    registry = Registry.load(settings, workspace)
    app = create_app(settings, registry, keys=keys)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    log = logging.getLogger("tarjama.server")
    if keys is not None and not any(k.revoked is None for k in keys.list()):
        log.warning("API keys are required but none is active: create one with 'tarjama keys add'")
    names = ", ".join(m.name for m in registry.models)
    port = sock.getsockname()[1]
    log.info("serving %s on http://%s:%d (docs at /docs)", names, settings.host, port)
    # uvicorn re-raises the Ctrl-C it shut down on: here that is a clean stop.
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.Server(uvicorn.Config(app, log_level="info")).run(sockets=[sock])
    return 0
