"""The LibreTranslate-compatible API: /translate, /languages, /detect, /frontend/settings.

Field names, types, messages and the ``{"error": ...}`` shape follow LibreTranslate 1.9.6
so that existing clients work unchanged:

- language codes are read in any case (``AR`` is ``ar``);
- a text already in the target language (``source=auto`` detecting it, or the same source
  and target) comes back unchanged, with its detection; so does a text without letters
  (digits, emoji, punctuation), which never reaches a model;
- ``--char-limit`` applies to each item of a list, ``--batch-limit`` to the list;
- ``alternatives`` below 0 counts as 0; above ``--alternatives-limit`` (when set) it is
  a 400, as in LibreTranslate; without a limit LibreTranslate has no cap, and tarjama
  cuts it to :data:`MAX_ALTERNATIVES` (each alternative widens the beam by one);
- ``/languages`` lists every language a served model reads or writes, each with its
  targets, itself among them (LibreTranslate's Argos gives every language an identity
  translation, and a text sent to its own language comes back unchanged here too);
- ``format=html`` reads each item as an HTML fragment (or page) and translates it like an
  HTML file (:mod:`tarjama.formats.html`): sentences whole, inline tags placed by word
  alignment, ``translate="no"``, ``notranslate`` and what LibreTranslate leaves alone
  (``code``, ``pre``, ``script``, ...) kept byte for byte; a fragment comes back a
  fragment. As in LibreTranslate, html items get no alternatives (an empty list).

Each group of items with the same source language goes to the pipeline as one call, and
so to the engine as one batch.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from .. import formats
from ..formats.base import Formatted
from ..pipeline import TextResult, Translator
from ..text import arabic_ratio, detect_script
from .body import Fields, body_doc, quoted, read_fields, text_field, texts_field
from .errors import bad_request
from .observe import note
from .registry import language_name
from .state import ServerState, get_state
from .validate import check_batch, check_chars, check_language, lang_field, not_available

#: Most alternatives a request gets when ``--alternatives-limit`` is not set; more are
#: cut to this. Each one widens the beam by one, so the work of a request grows with it;
#: 32 is far above what any client asks (SearXNG asks for 3) and keeps a hostile request
#: to about 8 times the default beam's work.
MAX_ALTERNATIVES = 32

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


@dataclass
class _Request:
    """A /translate request, read: each item, and what of it a model would translate."""

    items: list[str]
    is_list: bool
    source: str
    target: str
    alternatives: int
    #: Each item read as HTML (``format=html``; None for an item without letters).
    pages: list[Formatted | None] | None

    def plain(self, i: int) -> str:
        """The text of item ``i`` that detection reads and a model would translate."""
        page = self.pages[i] if self.pages is not None else None
        return " ".join(b.text for b in page.blocks) if page is not None else self.items[i]


async def _translate(
    state: ServerState,
    items: list[str],
    is_list: bool,
    source: str,
    target: str,
    text_format: str,
    alternatives: int,
) -> dict[str, Any]:
    pages = _read_pages(items) if text_format == "html" else None
    req = _Request(items, is_list, source, target, alternatives, pages)
    detected = [detection(req.plain(i)) for i in range(len(items))] if source == "auto" else []
    sources = [str(d["language"]) for d in detected] or [source] * len(items)
    groups = _groups(req, sources)
    routes = {src: _route(state, src, target) for src in groups}
    done: dict[int, TextResult] = {}

    async def run_group(src: str, where: list[int]) -> None:
        out = await state.in_thread(lambda: _run(routes[src], req, where))
        done.update(zip(where, out, strict=True))
        state.metrics.translated("libretranslate", src, target, [req.plain(i) for i in where])

    await asyncio.gather(*(run_group(s, w) for s, w in groups.items() if w))
    return _body(req, done, detected)


def _read_pages(items: list[str]) -> list[Formatted | None]:
    """Each item as an HTML page or fragment; one without letters is given back as it is."""
    return [
        formats.read(t.encode("utf-8"), "html", where="q") if has_letters(t) else None
        for t in items
    ]


def _groups(req: _Request, sources: list[str]) -> dict[str, list[int]]:
    """The items that need a model (with letters, not already in the target language), by
    source language: one pipeline call (one engine batch) for each."""
    groups: dict[str, list[int]] = {}
    for i, src in enumerate(sources):
        if src == req.target:
            continue
        wanted = [i] if has_letters(req.plain(i)) else []
        if wanted or req.source != "auto":  # an explicit pair must be one the server serves
            groups.setdefault(src, []).extend(wanted)
    return groups


def _route(state: ServerState, source: str, target: str) -> Translator:
    model = state.registry.for_pair(source, target)
    if model is None:
        raise bad_request(not_available(source, target))
    return model.translator(source, target)


def _run(translator: Translator, req: _Request, where: list[int]) -> list[TextResult]:
    """Translate the items ``where`` of one group, in one pipeline call."""
    if req.pages is None:
        texts = [req.items[i] for i in where]
        return translator.translate_texts(texts, alternatives=req.alternatives)
    pages = [page for i in where if (page := req.pages[i]) is not None]
    # A block without letters stays as it is; LibreTranslate offers no alternatives for html.
    done = translator.translate_formatted(pages, check=False, wanted=has_letters)
    return [TextResult(f.data.decode("utf-8"), []) for f in done]


def _body(req: _Request, done: dict[int, TextResult], detected: list[Any]) -> dict[str, Any]:
    """LibreTranslate's answer: an item that needed no model comes back as it was."""
    texts = [done[i].text if i in done else t for i, t in enumerate(req.items)]
    alts = [
        unique_alternatives(texts[i], done[i].alternatives) if i in done else []
        for i in range(len(req.items))
    ]
    body: dict[str, Any] = {"translatedText": texts if req.is_list else texts[0]}
    if req.source == "auto":
        body["detectedLanguage"] = detected if req.is_list else detected[0]
    if req.alternatives:
        body["alternatives"] = alts if req.is_list else alts[0]
    return body


def language_list(sources: dict[str, list[str]]) -> list[dict[str, Any]]:
    """LibreTranslate's /languages: every language a model reads or writes, with the
    targets it can go to, itself included (a text to its own language comes back as it
    is); with a single ar->en model, ``en`` is listed with the target ``en``."""
    codes = sorted({c for s, ts in sources.items() for c in (s, *ts)})
    return [
        {
            "code": code,
            "name": language_name(code),
            "targets": sorted({code, *sources.get(code, [])}),
        }
        for code in codes
    ]


@router.get("/languages")
async def languages(request: Request) -> list[dict[str, Any]]:
    """Every language the loaded models read or write, each with its targets."""
    return language_list(get_state(request).registry.sources())


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
        # Not LibreTranslate's: a client that sends lists needs --batch-limit, which
        # LibreTranslate's settings cannot tell it; clients read only the keys they know.
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
    """``--frontend-language-source`` (a code, or ``auto``: LibreTranslate's default) and
    ``--frontend-language-target`` (a code, or ``locale``: the browser's language).

    As LibreTranslate: a source no model reads falls back to one that is read (Arabic
    first); under ``auto`` a target not listed falls back to the second language listed
    (the first when there is one), which for Arabic and English is English."""
    sources = state.registry.sources()
    source = (state.settings.frontend_language_source or "auto").lower()
    if source != "auto" and source not in sources:
        source = "ar" if "ar" in sources else next(iter(sources))
    if source == "auto":
        targets = [entry["code"] for entry in language_list(sources)]
        fallback = targets[1] if len(targets) > 1 else targets[0]
    else:
        targets = sources[source]
        fallback = targets[0]
    choice = (state.settings.frontend_language_target or "").lower()
    if choice == "locale":
        spoken = [
            part.split(";")[0].strip().split("-")[0].lower() for part in accept_language.split(",")
        ]
        choice = next((code for code in spoken if code in targets), "")
    return source, choice if choice in targets else fallback
