"""tarjama's own API under /v1: whole documents with structure, scores, origins and issues.

``POST /v1/translate`` answers exactly what ``tarjama translate --format json`` prints.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from ..text import detect_script
from .body import (
    body_doc,
    flag_field,
    int_field,
    quoted,
    read_fields,
    read_json_fields,
    text_field,
)
from .errors import bad_request
from .registry import ServedModel
from .state import ServerState, get_state
from .validate import check_language, check_limits, not_available

router = APIRouter(prefix="/v1", tags=["tarjama"])

MAX_BEAM = 16


class DocumentBody(BaseModel):
    """The body of POST /v1/translate (JSON only)."""

    text: str
    source: str = "auto"
    target: str | None = None
    model: str | None = None
    glossary: str | None = None
    memory: bool | None = None
    beam: int | None = None
    api_key: str | None = None


_FIELDS = set(DocumentBody.model_fields)


def pick_model(state: ServerState, name: str | None, source: str, target: str) -> ServedModel:
    if name is None:
        model = state.registry.for_pair(source, target)
        if model is None:
            raise bad_request(not_available(source, target))
        return model
    model = state.registry.named(name)
    if model is None:
        loaded = ", ".join(m.name for m in state.registry.models)
        raise bad_request(f"unknown model '{quoted(name)}' (loaded: {loaded})")
    if (source, target) not in model.engine.pairs:
        raise bad_request(f"model '{name}' does not translate {source}->{target}")
    return model


@router.get("/models")
async def models(request: Request) -> list[dict[str, Any]]:
    """The loaded models, their language pairs and signatures."""
    return [m.info() for m in get_state(request).registry.models]


@router.get("/glossaries")
async def glossaries(request: Request) -> dict[str, Any]:
    """Glossaries a request may name, and whether a default one applies when it names none."""
    files = get_state(request).registry.workspace.glossary_files
    return {"glossaries": files.names(), "default": files.default_path.is_file()}


@router.post("/translate", openapi_extra=body_doc(DocumentBody))
async def translate_document(request: Request) -> JSONResponse:
    """Translate a document (one paragraph per line); the JSON of `tarjama translate`.
    Sent as multipart with a ``file``, the file is translated and returned beside its
    report (see :mod:`.files`)."""
    if request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        from .files import translate_upload  # files builds on this module

        return await translate_upload(request, await read_fields(request))
    state = get_state(request)
    fields = await read_json_fields(request, _FIELDS)
    await state.check_access(request, text_field(fields, "api_key"))
    text = text_field(fields, "text", required=True)
    assert text is not None
    source = text_field(fields, "source") or "auto"
    target = text_field(fields, "target")
    name = text_field(fields, "model")
    glossary_name = text_field(fields, "glossary")
    use_memory = flag_field(fields, "memory")
    beam = None
    if fields.get("beam") is not None:
        beam = int_field(fields, "beam", 0, low=1, high=MAX_BEAM)
    check_limits(state.settings, [text], False)
    check_language(state.registry, source, auto=True)
    if source == "auto":
        source = detect_script(text)[0]
    if target is None:
        targets = state.registry.sources().get(source, [])
        if not targets:
            raise bad_request(f"{source} is not supported")
        target = targets[0]
    check_language(state.registry, target)
    model = pick_model(state, name, source, target)
    registry = state.registry

    def work() -> dict[str, Any]:
        glossary = registry.workspace.named_glossary(glossary_name)
        memory = registry.open_memory(use_memory)
        try:
            translator = model.document_translator(
                source, target, glossary=glossary, memory=memory, beam=beam
            )
            return translator.translate_document(text).to_json()
        finally:
            if memory is not None:
                memory.close()

    return JSONResponse(await state.in_thread(work))
