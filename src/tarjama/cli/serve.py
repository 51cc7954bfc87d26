"""`tarjama serve`: load the models once, then serve the APIs and the web page.

Every flag of LibreTranslate 1.9.6 is accepted, with its ``LT_*`` variable
(docs/libretranslate.md); the table lives in :mod:`tarjama.server.options`.
"""

from __future__ import annotations

import argparse
import logging
import os

from ..server.options import add_arguments, resolve
from ..workspace import Workspace


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "serve",
        help="serve the LibreTranslate-compatible API, the /v1 API and the web page",
        description="LibreTranslate's flags and LT_* variables are accepted as well as "
        "tarjama's; variables are shown in [ ]. A flag wins over TARJAMA_*, which wins "
        "over LT_*.",
    )
    add_arguments(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..server import Registry, bind, create_app
    from ..server.hosting import checked_hosts
    from ..server.serving import heap_trimmer, serve, tune_allocator

    resolved = resolve(os.environ, args)
    settings = resolved.settings
    # The Host check: on for a loopback address or with --allowed-hosts (hosting.py).
    settings = settings.replace(allowed_hosts=checked_hosts(settings.host, settings.allowed_hosts))
    tuned = tune_allocator() if settings.tune_allocator else {}  # before any thread exists
    logging.basicConfig(
        level=logging.DEBUG if settings.debug else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
    )
    log = logging.getLogger("tarjama.server")
    for line in resolved.warnings:
        log.warning("%s", line)
    sock = bind(settings.host, settings.port)  # first: a port in use is an error, exit 2
    workspace = Workspace.open(settings.home)
    keys = None
    if settings.api_keys:
        keys = workspace.key_source(settings.api_keys_db_path, remote=settings.api_keys_remote)
    registry = Registry.load(settings, workspace)
    trim = heap_trimmer() if settings.tune_allocator else None
    for model in registry.models:  # freed pages go back when the model is idle
        model.coalescer.on_idle = trim
    app = create_app(settings, registry, keys=keys)
    if resolved.powercycle:  # LT_POWERCYCLE: everything loads, nothing is served
        sock.close()
        log.info("LT_POWERCYCLE: models loaded, exiting")
        return 0
    if (
        settings.under_attack
        and keys is not None
        and not keys.list()
        and not settings.api_keys_remote
    ):
        log.warning("every request needs a key but none exists: create one with 'tarjama keys add'")
    names = ", ".join(m.name for m in registry.models)
    port = sock.getsockname()[1]
    log.info(
        "serving %s on http://%s:%d%s/ (docs at /docs)",
        names,
        settings.host,
        port,
        settings.url_prefix,
    )
    if tuned:
        log.debug("allocator: %s", ", ".join(f"{k}={v}" for k, v in tuned.items()))
    serve(app, sock, settings)
    return 0
