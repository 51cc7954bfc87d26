"""``/docs`` (Swagger UI) served from the installed package, and LibreTranslate's ``/spec``.

A newsroom's server often has no internet: FastAPI's default page loads Swagger UI from a
CDN and is blank offline. The assets come from the ``fastapi-swagger`` package, which
ships a current Swagger UI 5 (``swagger-ui-bundle`` ships 4.15, which cannot render the
OpenAPI 3.1 that FastAPI writes).

``/spec`` is LibreTranslate's description of its API: a Swagger 2.0 document titled
"LibreTranslate". Clients read it to recognise a LibreTranslate server (GNOME's Dialect
accepts an instance only when ``info.title`` is "LibreTranslate"), so here it describes
the LibreTranslate-compatible routes in that shape, written from the app's own OpenAPI
(parameters as form fields, as LibreTranslate documents them). tarjama's whole API, in
OpenAPI 3.1, stays at ``/openapi.json`` and ``/docs``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from .._version import __version__

ASSETS = "/docs/assets"
#: The routes /spec describes: those tagged as LibreTranslate's.
LIBRE_TAG = "LibreTranslate"
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")

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
    """LibreTranslate's /spec: Swagger 2.0, titled "LibreTranslate"."""
    root = request.scope.get("root_path", "").rstrip("/")
    return JSONResponse(swagger2(request.app.openapi(), base_path=root or "/"))


def swagger2(openapi: dict[str, Any], *, base_path: str) -> dict[str, Any]:
    """The LibreTranslate routes of an OpenAPI 3 document, as LibreTranslate's Swagger 2.0."""
    paths: dict[str, Any] = {}
    for path, operations in openapi.get("paths", {}).items():
        kept = {
            method: _operation(op)
            for method, op in operations.items()
            if LIBRE_TAG in op.get("tags", ())
        }
        if kept:
            paths[path] = kept
    return {
        "swagger": "2.0",
        "info": {
            "title": "LibreTranslate",
            "version": __version__,
            "description": "Free and Open Source Machine Translation API "
            "(served by tarjama, Arabic<->English; its own API is at /openapi.json).",
            "license": {"name": "AGPL-3.0"},
        },
        "basePath": base_path,
        "paths": paths,
    }


def _operation(op: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "tags": ["translate"] if LIBRE_TAG in op.get("tags", ()) else op.get("tags", []),
        "summary": op.get("summary", ""),
        "description": op.get("description", ""),
        "operationId": op.get("operationId", ""),
        "produces": ["application/json"],
        "parameters": [_parameter(p) for p in op.get("parameters", [])],
        "responses": {
            code: {"description": answer.get("description", "")}
            for code, answer in op.get("responses", {}).items()
        },
    }
    content = op.get("requestBody", {}).get("content", {})
    form = next((kind for kind in FORMS if kind in content), None)
    if form is not None:
        schema = content[form].get("schema", {})
        required = set(schema.get("required", ()))
        out["consumes"] = [form, *(k for k in content if k != form)]
        out["parameters"] += [
            _form_field(name, field, name in required)
            for name, field in schema.get("properties", {}).items()
        ]
    return out


def _simple_type(schema: dict[str, Any]) -> str:
    """The first JSON type a field takes (a form field has one), ``string`` else."""
    kinds = [schema, *schema.get("anyOf", ())]
    found = [k["type"] for k in kinds if k.get("type") not in (None, "null", "array")]
    return str(found[0]) if found else "string"


def _form_field(name: str, schema: dict[str, Any], required: bool) -> dict[str, Any]:
    field: dict[str, Any] = {
        "name": name,
        "in": "formData",
        "type": _simple_type(schema),
        "required": required,
        "description": schema.get("description", schema.get("title", name)),
    }
    if "enum" in schema:
        field["enum"] = schema["enum"]
    if "default" in schema:
        field["default"] = schema["default"]
    return field


def _parameter(param: dict[str, Any]) -> dict[str, Any]:
    schema = param.get("schema", {})
    return {
        "name": param.get("name", ""),
        "in": param.get("in", "query"),
        "type": _simple_type(schema),
        "required": bool(param.get("required", False)),
        "description": param.get("description", ""),
    }


def install_docs(app: FastAPI) -> None:
    app.include_router(router)
    app.mount(
        ASSETS, StaticFiles(packages=[("fastapi_swagger", "resources")]), name="swagger-assets"
    )
