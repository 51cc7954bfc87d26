"""The LibreTranslate-compatible API: /translate, /languages, /detect, /frontend/settings.

Field names, types, messages and the ``{"error": ...}`` shape follow LibreTranslate 1.9.6
so that existing clients work unchanged:

- language codes are read in any case (``AR`` is ``ar``);
- a text already in the target language (``source=auto`` detecting it, or the same source
  and target) comes back unchanged, with its detection; so does a text without letters
  (digits, emoji, punctuation), which never reaches a model;
- ``--char-limit`` applies to each item of a list, ``--batch-limit`` to the list;
- ``alternatives`` below 0 counts as 0; above tarjama's cap it is cut to the cap, and
  above ``--alternatives-limit`` (when set) it is a 400, as in LibreTranslate.

Each group of items with the same source language goes to the pipeline as one call, and
so to the engine as one batch.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from .. import formats
from ..pipeline import TextResult, Translator
from ..text import arabic_ratio, detect_script
from .body import Fields, body_doc, quoted, read_fields, text_field, texts_field
from .errors import bad_request
from .markup import HtmlFragment
from .observe import note
from .registry import language_name
from .state import ServerState, get_state
from .validate import check_batch, check_chars, check_language, lang_field, not_available

#: Most alternatives a request gets (each one widens the beam); more are cut to this.
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


def has_letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def alternatives_field(fields: Fields, limit: int) -> int:
    """LibreTranslate's reading: negative is 0; over ``--alternatives-limit`` a 400."""
    value = fields.get("alternatives")
    if value is None or value == "":
        return 0
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        digits = value.strip()
        value = int(digits) if len(digits) <= 20 else (10**20 if digits[0] != "-" else 0)
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request("Invalid request: alternatives parameter is not a number")
    value = max(0, value)
    if limit != -1 and value > limit:
        raise bad_request(f"Invalid request: alternatives parameter must be <= {limit}")
    return min(value, MAX_ALTERNATIVES)


def unique_alternatives(best: str, ranked: list[str]) -> list[str]:
    """Alternatives without the best translation and without repeats (LibreTranslate's)."""
    seen = {best, ""}
    return [a for a in ranked if not (a in seen or seen.add(a))]  # type: ignore[func-returns-value]


@router.post("/translate", openapi_extra=body_doc(TranslateBody))
async def translate(request: Request) -> Response:
    """Translate a text or a list of texts (LibreTranslate's API)."""
    state = get_state(request)
    fields = await read_fields(request)
    api_key = text_field(fields, "api_key")
    raw_q = fields.get("q")
    access = await state.check_access(
        request, api_key, cost=len(raw_q) if isinstance(raw_q, list) else 1
    )
    items, is_list = texts_field(fields, "q")
    source = lang_field(fields, "source")
    target = lang_field(fields, "target")
    text_format = text_field(fields, "format") or "text"
    alternatives = alternatives_field(fields, state.settings.alternatives_limit)
    check_batch(state.settings, items, is_list)
    check_chars(items, access.char_limit(state.settings.char_limit))
    check_language(state.registry, source, auto=True)
    check_language(state.registry, target)
    if text_format not in ("text", "html"):
        raise bad_request(f"{quoted(text_format)} format is not supported")
    note(request, chars=sum(len(t) for t in items), text=items)

    cache_key = None
    if state.cache.applies(api_key):
        cache_key = state.cache.key(
            state.registry.signature(),
            items,
            source=source,
            target=target,
            format=text_format,
            alternatives=alternatives,
            is_list=is_list,
        )
        if (hit := state.cache.get(cache_key)) is not None:
            return Response(hit, media_type="application/json")

    body = await _translate(state, items, is_list, source, target, text_format, alternatives)
    note(request, chars=sum(len(t) for t in items), text=items, translation=body["translatedText"])
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    if cache_key is not None:
        state.cache.put(cache_key, data)
    return Response(data, media_type="application/json")


async def _translate(
    state: ServerState,
    items: list[str],
    is_list: bool,
    source: str,
    target: str,
    text_format: str,
    alternatives: int,
) -> dict[str, Any]:
    fragments = [HtmlFragment(t) for t in items] if text_format == "html" else None
    pieces = [f.texts for f in fragments] if fragments else [[t] for t in items]
    if source == "auto":
        detected = [detection(" ".join(p)) for p in pieces]
        sources = [str(d["language"]) for d in detected]
    else:
        sources = [source] * len(items)

    # What needs a model: pieces with letters, of items not already in the target
    # language; one pipeline call (one engine batch) per source language among them.
    groups: dict[str, list[tuple[int, int]]] = {}
    for i, src in enumerate(sources):
        if src == target:
            continue
        wanted = [(i, j) for j, p in enumerate(pieces[i]) if has_letters(p)]
        if wanted or source != "auto":  # an explicit pair must be one the server serves
            groups.setdefault(src, []).extend(wanted)
    routes: dict[str, Translator] = {}
    for src in groups:
        model = state.registry.for_pair(src, target)
        if model is None:
            raise bad_request(not_available(src, target))
        routes[src] = model.translator(src, target)

    done: dict[tuple[int, int], TextResult] = {}

    async def run_group(src: str, where: list[tuple[int, int]]) -> None:
        flat = [pieces[i][j] for i, j in where]
        out = await state.in_thread(
            lambda: routes[src].translate_texts(flat, alternatives=alternatives)
        )
        done.update(zip(where, out, strict=True))
        state.metrics.translated("libretranslate", src, target, flat)

    await asyncio.gather(*(run_group(s, w) for s, w in groups.items() if w))

    texts: list[str] = []
    alts: list[list[str]] = []
    for i in range(len(items)):
        results = [done.get((i, j), TextResult(p, [])) for j, p in enumerate(pieces[i])]
        best = [r.text for r in results]
        texts.append(fragments[i].render(best) if fragments else best[0])
        if not any((i, j) in done for j in range(len(pieces[i]))):
            alts.append([])  # given back unchanged: nothing else to offer
            continue
        ranked = []
        for rank in range(alternatives):
            chosen = [
                r.alternatives[rank] if rank < len(r.alternatives) else r.text for r in results
            ]
            ranked.append(fragments[i].render(chosen) if fragments else chosen[0])
        alts.append(unique_alternatives(texts[-1], ranked))

    body: dict[str, Any] = {"translatedText": texts if is_list else texts[0]}
    if source == "auto":
        body["detectedLanguage"] = detected if is_list else detected[0]
    if alternatives:
        body["alternatives"] = alts if is_list else alts[0]
    return body


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
    note(request, chars=len(q), text=q)
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
    s = state.settings
    source, target = _frontend_pair(state, request.headers.get("accept-language", ""))
    return {
        "charLimit": s.char_limit,
        "batchLimit": s.batch_limit,
        "frontendTimeout": s.frontend_timeout,
        "apiKeys": state.keys is not None,
        "keyRequired": s.key_rules,
        "suggestions": s.suggestions,
        "filesTranslation": s.files_translation,
        "supportedFilesFormat": list(formats.extensions()) if s.files_translation else [],
        "language": {
            "source": {
                "code": source,
                "name": "Auto Detect" if source == "auto" else language_name(source),
            },
            "target": {"code": target, "name": language_name(target)},
        },
    }


def _frontend_pair(state: ServerState, accept_language: str) -> tuple[str, str]:
    """``--frontend-language-source`` (a code or auto; default Arabic when served) and
    ``--frontend-language-target`` (a code, or ``locale``: the browser's language)."""
    sources = state.registry.sources()
    wanted = (state.settings.frontend_language_source or "").lower()
    source = (
        wanted
        if wanted == "auto" or wanted in sources
        else ("ar" if "ar" in sources else next(iter(sources)))
    )
    targets = (
        sorted({t for ts in sources.values() for t in ts}) if source == "auto" else sources[source]
    )
    choice = (state.settings.frontend_language_target or "").lower()
    if choice == "locale":
        spoken = [
            part.split(";")[0].strip().split("-")[0].lower() for part in accept_language.split(",")
        ]
        choice = next((code for code in spoken if code in targets), "")
    return source, choice if choice in targets else targets[0]
