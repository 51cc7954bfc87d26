"""The LibreTranslate-compatible API: /translate, /languages, /detect, /frontend/settings.

Field names, types, messages and the ``{"error": ...}`` shape follow LibreTranslate so that
existing clients work unchanged. Each group of items with the same source language goes to
the pipeline as one call, and so to the engine as one batch.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from ..formats import EXTENSIONS
from ..pipeline import TextResult, Translator
from ..text import arabic_ratio, detect_script
from .body import Fields, body_doc, int_field, quoted, read_fields, text_field, texts_field
from .errors import bad_request
from .markup import HtmlFragment
from .registry import language_name
from .state import get_state
from .validate import check_language, check_limits, not_available

#: Most alternatives a request may ask for (each one widens the beam).
MAX_ALTERNATIVES = 5

router = APIRouter(tags=["LibreTranslate"])


class TranslateBody(BaseModel):
    """The body of POST /translate, as JSON or as a form (``q`` is a list in JSON only)."""

    q: str | list[str]
    source: str
    target: str
    format: Literal["text", "html"] = "text"
    alternatives: int = 0
    api_key: str | None = None


class DetectBody(BaseModel):
    q: str
    api_key: str | None = None


def detection(text: str) -> dict[str, Any]:
    lang, confidence = detect_script(text)
    return {"confidence": round(confidence * 100, 1), "language": lang}


@router.post("/translate", openapi_extra=body_doc(TranslateBody))
async def translate(request: Request) -> JSONResponse:
    """Translate a text or a list of texts (LibreTranslate's API)."""
    state = get_state(request)
    fields = await read_fields(request)
    await state.check_access(request, text_field(fields, "api_key"))
    items, is_list = texts_field(fields, "q")
    source = text_field(fields, "source", required=True)
    target = text_field(fields, "target", required=True)
    assert source is not None and target is not None
    text_format = text_field(fields, "format") or "text"
    alternatives = int_field(fields, "alternatives", 0, low=0, high=MAX_ALTERNATIVES)
    check_limits(state.settings, items, is_list)
    check_language(state.registry, source, auto=True)
    check_language(state.registry, target)
    if text_format not in ("text", "html"):
        raise bad_request(f"{quoted(text_format)} format is not supported")

    fragments = [HtmlFragment(t) for t in items] if text_format == "html" else None
    pieces = [f.texts for f in fragments] if fragments else [[t] for t in items]
    if source == "auto":
        detected = [detection(" ".join(p)) for p in pieces]
        sources = [str(d["language"]) for d in detected]
    else:
        sources = [source] * len(items)

    # One pipeline call (one engine batch) per source language among the items.
    groups: dict[str, list[int]] = {}
    for i, src in enumerate(sources):
        groups.setdefault(src, []).append(i)
    routes: dict[str, Translator] = {}
    for src in groups:
        model = state.registry.for_pair(src, target)
        if model is None:
            raise bad_request(not_available(src, target))
        routes[src] = model.translator(src, target)

    async def run_group(src: str, indices: list[int]) -> list[list[TextResult]]:
        flat = [p for i in indices for p in pieces[i]]
        done = await state.in_thread(
            lambda: routes[src].translate_texts(flat, alternatives=alternatives)
        )
        out, start = [], 0
        for i in indices:
            out.append(done[start : start + len(pieces[i])])
            start += len(pieces[i])
        return out

    results: list[list[TextResult]] = [[] for _ in items]
    outcomes = await asyncio.gather(*(run_group(s, ix) for s, ix in groups.items()))
    for (_, indices), outcome in zip(groups.items(), outcomes, strict=True):
        for i, translated in zip(indices, outcome, strict=True):
            results[i] = translated

    texts: list[str] = []
    alts: list[list[str]] = []
    for i, translated in enumerate(results):
        best = [r.text for r in translated]
        texts.append(fragments[i].render(best) if fragments else best[0])
        ranked = []
        for rank in range(alternatives):
            chosen = [
                r.alternatives[rank] if rank < len(r.alternatives) else r.text for r in translated
            ]
            ranked.append(fragments[i].render(chosen) if fragments else chosen[0])
        alts.append(ranked)

    body: dict[str, Any] = {"translatedText": texts if is_list else texts[0]}
    if source == "auto":
        body["detectedLanguage"] = detected if is_list else detected[0]
    if alternatives:
        body["alternatives"] = alts if is_list else alts[0]
    return JSONResponse(body)


@router.get("/languages")
async def languages(request: Request) -> list[dict[str, Any]]:
    """The languages the loaded models translate from, each with its targets."""
    registry = get_state(request).registry
    return [
        {"code": code, "name": language_name(code), "targets": targets}
        for code, targets in registry.sources().items()
    ]


@router.post("/detect", openapi_extra=body_doc(DetectBody))
async def detect(request: Request) -> JSONResponse:
    """Tell Arabic from English by script; the most likely language first."""
    state = get_state(request)
    fields: Fields = await read_fields(request)
    await state.check_access(request, text_field(fields, "api_key"))
    q = text_field(fields, "q", required=True)
    assert q is not None
    check_limits(state.settings, [q], False)
    first = detection(q)
    ratio = arabic_ratio(q)
    other = {"ar": "en", "en": "ar"}[str(first["language"])]
    share = ratio if other == "ar" else 1.0 - ratio
    found = [first]
    if first["confidence"] and share > 0:
        found.append({"confidence": round(share * 100, 1), "language": other})
    return JSONResponse(found)


@router.get("/frontend/settings")
async def frontend_settings(request: Request) -> dict[str, Any]:
    """Settings a web client needs (the shape LibreTranslate's own page reads)."""
    state = get_state(request)
    sources = state.registry.sources()
    source = "ar" if "ar" in sources else next(iter(sources))
    target = sources[source][0]
    return {
        "charLimit": state.settings.char_limit,
        "batchLimit": state.settings.batch_limit,
        "apiKeys": state.keys is not None,
        "keyRequired": state.keys is not None,
        "suggestions": state.settings.suggestions,
        "filesTranslation": True,
        "supportedFilesFormat": list(EXTENSIONS),
        "language": {
            "source": {"code": source, "name": language_name(source)},
            "target": {"code": target, "name": language_name(target)},
        },
    }
