"""The HTTP server: a LibreTranslate-compatible API, tarjama's native API and a web page.

Thin by design: requests are parsed and checked here, translated by
:class:`~tarjama.pipeline.Translator`, and concurrent requests share engine batches
(:mod:`.coalescer`). Build an app with :func:`create_app`; ``tarjama serve`` runs it.
"""

from ..workspace import ApiKey, KeyStore
from .app import create_app
from .listen import bind
from .registry import Registry
from .settings import Settings

__all__ = ["ApiKey", "KeyStore", "Registry", "Settings", "bind", "create_app"]
