"""tarjama's own API under /v1: whole documents with structure, scores, origins and issues.

``POST /v1/translate`` answers exactly what ``tarjama translate --format json`` prints.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from ..document import TranslatedDocument
from ..errors import InputError
from ..pipeline import Translator
from ..text import detect_script
from ..workspace import MAX_BEAM
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
from .jobs import run_document
from .observe import note
from .registry import ServedModel
from .state import ServerState, get_state
from .streaming import READY, Tell, streamed
from .validate import check_chars, check_language, lang_field, not_available

router = APIRouter(prefix="/v1", tags=["tarjama"])
T = TypeVar("T")

__all__ = ["MAX_BEAM", "router"]

#: A request that asks for the memory when the server has none (no path: that is the
#: server's business).
NO_MEMORY = 'this server has no translation memory ("memory": true was asked)'


class DocumentBody(BaseModel):
    """The body of POST /v1/translate (JSON only)."""

    text: str
    source: str = "auto"
    target: str | None = None
    model: str | None = None
    glossary: str | None = None
    memory: bool | None = None
    beam: int | None = None
    #: False: the NMT model's draft alone on a server with --llm-post-edit.
    post_edit: bool | None = None
    #: Answer server-sent events as the document is translated (:mod:`.streaming`).
    stream: bool | None = None
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
    if (source, target) not in model.pairs:
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
async def translate_document(request: Request) -> Response:
    """Translate a document (one paragraph per line); the JSON of `tarjama translate`.
    Sent as multipart with a ``file``, the file is translated and returned beside its
    report (see :mod:`.files`). With ``"stream": true``, server-sent events: drafts,
    each segment once checked, then this JSON (see :mod:`.streaming`)."""
    if request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        from .files import translate_upload  # files builds on this module

        return await translate_upload(request, await read_fields(request))
    state = get_state(request)
    fields = await read_json_fields(request, _FIELDS)
    access = await state.check_access(request, text_field(fields, "api_key"))
    text = text_field(fields, "text", required=True)
    assert text is not None
    source = lang_field(fields, "source", required=False) or "auto"
    target = lang_field(fields, "target", required=False) or None
    name = text_field(fields, "model")
    glossary_name = text_field(fields, "glossary")
    use_memory = flag_field(fields, "memory")
    stream = flag_field(fields, "stream")
    beam = None
    if fields.get("beam") is not None:
        beam = int_field(fields, "beam", 0, low=1, high=MAX_BEAM)
    check_chars([text], access.char_limit(state.settings.char_limit))
    source, target = pick_pair(state, source, target, lambda: text)
    model = pick_model(state, name, source, target)
    note(request, chars=len(text), text=text)
    options = Options(glossary_name, use_memory, beam, flag_field(fields, "post_edit"))

    def answered(doc: TranslatedDocument) -> dict[str, Any]:
        state.metrics.translated("native", source, target, [text])
        state.metrics.document(doc)
        note(request, chars=len(text), text=text, translation=doc.text)
        return doc.to_json()

    def work() -> dict[str, Any]:
        doc = with_translator(
            state, model, source, target, options, lambda t: t.translate_document(text)
        )
        return answered(doc)

    def streaming(tell: Tell) -> dict[str, Any]:
        def translate(translator: Translator) -> dict[str, Any]:
            tell(READY)
            return answered(translator.stream_document(text, tell))

        return with_translator(state, model, source, target, options, translate)

    if stream:
        return await streamed(state, streaming)
    return JSONResponse(await run_document(state, request, work))


def pick_pair(
    state: ServerState, source: str, target: str | None, sample: Callable[[], str]
) -> tuple[str, str]:
    """The request's languages: ``auto`` told from ``sample()``, the target defaulting to
    the first the source can go to."""
    check_language(state.registry, source, auto=True)
    if source == "auto":
        source = detect_script(sample())[0]
    if target is None:
        targets = state.registry.sources().get(source, [])
        if not targets:
            raise bad_request(f"{source} is not supported")
        target = targets[0]
    check_language(state.registry, target)
    return source, target


@dataclass(frozen=True)
class Options:
    """What a native request may choose beyond the pair."""

    glossary: str | None = None
    memory: bool | None = None
    beam: int | None = None
    #: ``--llm-post-edit``: None as the server does, False the draft alone, True an
    #: edit required (docs/llm.md).
    post_edit: bool | None = None


def with_translator(
    state: ServerState,
    model: ServedModel,
    source: str,
    target: str,
    options: Options,
    work: Callable[[Translator], T],
) -> T:
    """Run ``work`` with a document translator that has the request's glossary, memory and
    beam (in a request thread: the memory's connection belongs to it)."""
    registry = state.registry
    try:
        memory = registry.open_memory(options.memory)
    except InputError:  # asked for, but the home has none: no path in the answer
        raise bad_request(NO_MEMORY) from None
    try:
        glossary = registry.workspace.named_glossary(options.glossary)
        translator = model.document_translator(
            source,
            target,
            glossary=glossary,
            memory=memory,
            beam=options.beam,
            post_edit=options.post_edit,
        )
        return work(translator)
    finally:
        if memory is not None:
            memory.close()
