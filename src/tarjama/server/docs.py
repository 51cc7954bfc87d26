"""``/docs`` (Swagger UI) served from the installed package, and ``/spec``.

A newsroom's server often has no internet: FastAPI's default page loads Swagger UI from a
CDN and is blank offline. The assets come from the ``fastapi-swagger`` package, which
ships a current Swagger UI 5 (``swagger-ui-bundle`` ships 4.15, which cannot render the
OpenAPI 3.1 that FastAPI writes). ``/spec`` is LibreTranslate's name for the API
description; here it is the same document as ``/openapi.json``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs/assets"

router = APIRouter(include_in_schema=False)


@router.get("/docs")
async def docs(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "").rstrip("/")
    return get_swagger_ui_html(
        openapi_url=f"{root}/openapi.json",
        title="tarjama API",
        swagger_js_url=f"{root}{ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{ASSETS}/swagger-ui.css",
        swagger_favicon_url=f"{root}{ASSETS}/favicon-32x32.png",
    )


@router.get("/spec")
async def spec(request: Request) -> JSONResponse:
    """The OpenAPI description (LibreTranslate's /spec)."""
    schema: dict[str, Any] = request.app.openapi()
    return JSONResponse(schema)


def install_docs(app: FastAPI) -> None:
    app.include_router(router)
    app.mount(
        ASSETS, StaticFiles(packages=[("fastapi_swagger", "resources")]), name="swagger-assets"
    )
