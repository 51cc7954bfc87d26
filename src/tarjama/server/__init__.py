"""The HTTP server: a LibreTranslate-compatible API, tarjama's native API and a web page.

Thin by design: requests are parsed and checked here, translated by
:class:`~tarjama.pipeline.Translator`, and concurrent requests share engine batches
(:mod:`.coalescer`). Build an app with :func:`create_app`; ``tarjama serve`` runs it.

The names below load on first use, so that the command line can read the flag table
(:mod:`.options`) without importing the web framework.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..workspace.stores import ApiKey, KeyStore
    from .app import create_app
    from .listen import bind
    from .registry import Registry
    from .settings import Settings

__all__ = ["ApiKey", "KeyStore", "Registry", "Settings", "bind", "create_app"]

_WHERE = {
    "ApiKey": "..workspace.stores",
    "KeyStore": "..workspace.stores",
    "create_app": ".app",
    "bind": ".listen",
    "Registry": ".registry",
    "Settings": ".settings",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name], __name__), name)
