"""Every failure becomes ``{"error": "<message>"}`` with a 4xx status, or 503.

LibreTranslate clients read the ``error`` field, so every path out of the app (our own
checks, tarjama errors, FastAPI validation, unknown routes, and bugs) uses that shape.
A 500 is never sent: an engine failure is a 503, and so is an unexpected exception, which
is logged with its traceback.
"""

from __future__ import annotations

import json
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import EngineError, GlossaryError, KeyStoreError, MemoryStoreError, TarjamaError

log = logging.getLogger("tarjama.server")

INTERNAL_ERROR = "Internal error: the request could not be completed (see the server log)"
#: What a client is told when the server's own files fail; the log has the details (and
#: the paths, which a client must not see).
STORAGE_ERRORS = {
    MemoryStoreError: "the server's translation memory cannot be used (see the server log)",
    KeyStoreError: "the server's key store cannot be used (see the server log)",
    GlossaryError: "a glossary of the server cannot be read (see the server log)",
}


class ApiError(Exception):
    """A request refused with an HTTP status and a message for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def encodable(text: str) -> str:
    """``text`` with anything UTF-8 cannot hold (a lone surrogate a client sent as
    ``\\ud800``, echoed in a message) written as an escape."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def error_response(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": encodable(message)}, status_code=status)


def status_for(exc: TarjamaError) -> int:
    """Engine and storage failures are the server's (503); the rest are the request's (400)."""
    return 503 if isinstance(exc, (EngineError, *STORAGE_ERRORS)) else 400


def answer_for(exc: BaseException) -> tuple[int, str]:
    """The status and message ``exc`` is answered with, as the handlers below answer it
    (for an error met after a streamed answer has started: an ``error`` event)."""
    if isinstance(exc, ApiError):
        return exc.status, exc.message
    if isinstance(exc, TarjamaError):
        told = next((m for kind, m in STORAGE_ERRORS.items() if isinstance(exc, kind)), str(exc))
        return status_for(exc), encodable(told)
    log.error("unexpected error in a streamed answer", exc_info=exc)
    return 503, INTERNAL_ERROR


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.message)


async def _tarjama_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, TarjamaError)
    status = status_for(exc)
    if status >= 500:
        log.error("%s %s failed: %s", request.method, request.url.path, exc)
    told = next((m for kind, m in STORAGE_ERRORS.items() if isinstance(exc, kind)), str(exc))
    return error_response(status, told)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code if exc.status_code < 500 else 503
    body = {"error": encodable(str(exc.detail))}
    return JSONResponse(body, status_code=status, headers=exc.headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid"}
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query"))
    return error_response(400, f"Invalid request: {where}: {first.get('msg', 'invalid')}")


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, ClientDisconnect):  # nobody is left to answer
        log.info("%s %s: the client went away", request.method, request.url.path)
        return error_response(400, "client disconnected")
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(503, INTERNAL_ERROR)


class CatchAllMiddleware:
    """Answer an unexpected exception with a logged 503 and keep the connection usable.

    Starlette's own last-resort handler re-raises after answering, and the server then
    drops the keep-alive connection; this one sits inside it and does not.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except ClientDisconnect:
            log.info("%s %s: the client went away", scope["method"], scope["path"])
        except Exception as exc:
            if started:  # too late to answer: let the server close the connection
                raise
            log.exception("unexpected error on %s %s", scope["method"], scope["path"], exc_info=exc)
            body = json.dumps({"error": INTERNAL_ERROR}).encode()
            headers = [(b"content-type", b"application/json")]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({"type": "http.response.start", "status": 503, "headers": headers})
            await send({"type": "http.response.body", "body": body})


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(TarjamaError, _tarjama_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
