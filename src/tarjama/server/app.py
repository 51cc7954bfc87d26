"""The app factory: routes, error handlers, the middleware stack, and the model lifecycle.

Each concern lives in its own module; this one only puts them together.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from .._version import __version__
from ..errors import ConfigError
from ..workspace.stores import KeyLookup
from . import documents, files, libre, memory_api, metrics, native, quality
from .docs import install_docs
from .errors import CatchAllMiddleware, error_response, install_error_handlers
from .hosting import HostCheckMiddleware, PrefixMiddleware
from .limits import BodyLimitMiddleware
from .observe import ObserveMiddleware
from .registry import Registry
from .settings import Settings
from .state import ServerState

STATIC = Path(__file__).parent / "static"

#: The page loads only its own files, and nothing it shows can run as script.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def create_app(settings: Settings, registry: Registry, *, keys: KeyLookup | None = None) -> FastAPI:
    """Build the ASGI app over already loaded models.

    ``keys`` is required when ``settings.api_keys`` is on; the models' coalescers start
    and stop with the app's lifespan.
    """
    if settings.api_keys and keys is None:
        raise ConfigError("settings.api_keys is on but no KeyStore was given")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await registry.start()
        await state.in_thread(registry.warm_up)
        try:
            yield
        finally:
            await registry.close()
            state.close()

    app = FastAPI(
        title="tarjama",
        version=__version__,
        summary="Arabic<->English news translation: LibreTranslate-compatible and native APIs",
        lifespan=lifespan,
        docs_url=None,  # served from the package, offline (docs.py)
        redoc_url=None,
    )
    state = ServerState(settings, registry, keys if settings.api_keys else None)
    app.state.server = state
    install_error_handlers(app)
    app.include_router(libre.router)
    app.include_router(native.router)
    app.include_router(quality.router)
    app.include_router(files.router)
    app.include_router(documents.router)
    app.include_router(memory_api.router)
    install_docs(app)
    if settings.metrics:
        app.include_router(metrics.router)

    @app.get("/health", tags=["LibreTranslate"])
    async def health() -> JSONResponse:
        """200 while every model serves; 503 naming a model whose worker has died."""
        down = registry.failures()
        if down:
            return error_response(503, "; ".join(down))
        return JSONResponse({"status": "ok"})

    if settings.web_ui:

        @app.get("/", include_in_schema=False)
        async def index() -> FileResponse:
            return FileResponse(STATIC / "index.html", headers=PAGE_HEADERS)

        app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # Innermost first. The body limit refuses before anything reads a body; the host
    # check before any route runs; CORS headers go on every answer, a 413 included.
    app.add_middleware(CatchAllMiddleware)
    app.add_middleware(
        BodyLimitMiddleware,
        limit=settings.body_limit,
        timeout=settings.body_timeout,
        uploads=dict.fromkeys(files.UPLOAD_PATHS, files.UPLOAD_LIMIT),
    )
    if settings.allowed_hosts is not None or settings.ssl:
        app.add_middleware(
            HostCheckMiddleware,
            bound=settings.host,
            allowed=settings.allowed_hosts,
            ssl=settings.ssl,
        )
    if settings.url_prefix:
        app.add_middleware(PrefixMiddleware, prefix=settings.url_prefix)
    # LibreTranslate answers browsers from any origin; clients such as extensions rely on it.
    app.add_middleware(
        CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"], allow_headers=["*"]
    )
    app.add_middleware(ObserveMiddleware, metrics=state.metrics, log_text=settings.log_text)
    return app
