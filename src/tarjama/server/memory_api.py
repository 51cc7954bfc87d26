"""The translation memory over HTTP: editors' approvals, search, and LibreTranslate's
``/suggest``.

- ``POST /v1/memory`` stores approved pairs (one, or ``pairs``: many) with origin
  ``editor``, the key's name as author (``anonymous`` without keys) and the time; a pair
  already stored becomes an approval. A key is required when keys are on.
- ``GET /v1/memory/search`` answers what ``tarjama memory search --format json`` prints.
- ``GET /v1/memory`` says whether there is a memory and whether it may be written.
- ``POST /suggest`` (LibreTranslate: ``q``, ``s``, ``source``, ``target``) stores a pair
  with origin ``suggestion``, when the server runs with ``--suggestions``.

With ``--memory-readonly`` every write is refused with 403. Writes create the home's
memory on the first one, and run off the event loop, each with its own connection.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from ..archive import DEFAULT_THRESHOLD, EDITOR, SUGGESTION, Entry, search_report
from .body import Fields, body_doc, int_field, quoted, read_fields, read_json_fields, text_field
from .errors import ApiError, bad_request
from .registry import Registry
from .state import KEY_REQUIRED, ServerState, get_state
from .validate import check_language, check_limits

router = APIRouter()

#: Most pairs one approval request may carry.
MAX_PAIRS = 1000
MAX_CONTEXT = 500
MAX_ORIGIN = 100
MAX_RESULTS = 20
READ_ONLY = "The translation memory is read-only on this server"
SUGGESTIONS_OFF = "Suggestions are disabled on this server."
ANONYMOUS = "anonymous"


class Pair(BaseModel):
    """One approved pair: the source and its translation, their languages, and where the
    approval was made (an article's title or id)."""

    source: str
    target: str
    source_lang: str = "ar"
    target_lang: str = "en"
    origin: str = EDITOR
    context: str = ""


class MemoryBody(Pair):
    """The body of POST /v1/memory: one pair, or many as ``pairs`` (then without the
    pair's own fields)."""

    pairs: list[Pair] | None = None
    api_key: str | None = None


class SuggestBody(BaseModel):
    """The body of POST /suggest (LibreTranslate's): the text, the suggested translation."""

    q: str
    s: str
    source: str
    target: str
    api_key: str | None = None


_PAIR_FIELDS = set(Pair.model_fields)


async def _author(state: ServerState, request: Request, api_key: str | None) -> str:
    """Who writes: the key's name (or number) when keys are on (a key is then always required, even
    where translating may go without), else "anonymous"."""
    if state.keys is not None and not api_key:
        raise ApiError(403, KEY_REQUIRED)
    await state.check_access(request, api_key)
    if state.keys is None or api_key is None:
        return ANONYMOUS
    record = await asyncio.to_thread(state.keys.lookup, api_key)
    if record is None:
        return ANONYMOUS
    return record.name or f"key#{record.id}"  # a key brought in without a name


def _writable(state: ServerState) -> None:
    if state.settings.memory_readonly:
        raise ApiError(403, READ_ONLY)


def _pair(registry: Registry, fields: Fields, where: str, author: str) -> Entry:
    unknown = sorted(set(fields.values) - _PAIR_FIELDS)
    if unknown:
        raise bad_request(f"Invalid request: unknown field '{quoted(unknown[0])}'{where}")
    source = text_field(fields, "source", required=True)
    target = text_field(fields, "target", required=True)
    assert source is not None and target is not None
    if not source.strip() or not target.strip():
        raise bad_request(f"Invalid request: source and target must not be blank{where}")
    source_lang = text_field(fields, "source_lang") or "ar"
    target_lang = text_field(fields, "target_lang") or "en"
    check_language(registry, source_lang)
    check_language(registry, target_lang)
    if source_lang == target_lang:
        raise bad_request(f"Invalid request: source and target languages must differ{where}")
    origin = text_field(fields, "origin") or EDITOR
    if origin == SUGGESTION or len(origin) > MAX_ORIGIN:
        raise bad_request(
            f"Invalid request: origin must be at most {MAX_ORIGIN} characters and not "
            f"'{SUGGESTION}' (POST /suggest writes those){where}"
        )
    context = text_field(fields, "context") or ""
    if len(context) > MAX_CONTEXT:
        raise bad_request(
            f"Invalid request: context must be at most {MAX_CONTEXT} characters{where}"
        )
    return Entry(source, target, source_lang, target_lang, origin, author=author, context=context)


def _items(fields: Fields) -> list[tuple[Fields, str]]:
    """The pairs of a body: its ``pairs`` list, or the body itself as one pair."""
    raw = fields.get("pairs")
    if raw is None:
        own = {k: v for k, v in fields.values.items() if k != "api_key"}
        return [(Fields(own, True), "")]
    if set(fields.values) - {"pairs", "api_key"}:
        raise bad_request("Invalid request: send either pairs or one pair's fields, not both")
    if not isinstance(raw, list) or not raw:
        raise bad_request("Invalid request: pairs must be a non-empty list of objects")
    if len(raw) > MAX_PAIRS:
        raise bad_request(f"Invalid request: at most {MAX_PAIRS} pairs per request")
    out = []
    for k, item in enumerate(raw):
        if not isinstance(item, dict):
            raise bad_request(f"Invalid request: pairs[{k}] must be an object")
        out.append((Fields(item, True), f" (pairs[{k}])"))
    return out


def _store(registry: Registry, entries: list[Entry], *, approve: bool) -> tuple[int, int]:
    with registry.workspace.open_memory(create=True) as memory:
        result = memory.add_many(entries, update=approve)
    return result.added, result.present


@router.post("/v1/memory", tags=["tarjama"], openapi_extra=body_doc(MemoryBody))
async def add_pairs(request: Request) -> JSONResponse:
    """Store approved pairs in the translation memory (origin ``editor``)."""
    state = get_state(request)
    fields = await read_json_fields(request, set(MemoryBody.model_fields))
    author = await _author(state, request, text_field(fields, "api_key"))
    _writable(state)
    entries = [_pair(state.registry, f, where, author) for f, where in _items(fields)]
    check_limits(state.settings, [e.source + e.target for e in entries], False)
    registry = state.registry
    added, present = await state.in_thread(lambda: _store(registry, entries, approve=True))
    return JSONResponse({"added": added, "present": present})


@router.get("/v1/memory", tags=["tarjama"])
async def memory_state(request: Request) -> dict[str, Any]:
    """Whether the server has a translation memory, and whether it takes approvals."""
    state = get_state(request)
    registry = state.registry

    def count() -> int | None:
        memory = registry.open_memory(None)
        if memory is None:
            return None
        with memory:
            return len(memory)

    entries = await state.in_thread(count)
    return {
        "exists": entries is not None,
        "entries": entries or 0,
        "writable": not state.settings.memory_readonly,
        "suggestions": state.settings.suggestions,
    }


@router.get("/v1/memory/search", tags=["tarjama"])
async def search(request: Request) -> JSONResponse:
    """Exact and close matches for a sentence (``q``), as `tarjama memory search`."""
    state = get_state(request)
    fields = Fields(dict(request.query_params), False)
    await state.check_access(request, text_field(fields, "api_key"))
    q = text_field(fields, "q", required=True)
    assert q is not None
    if not q.strip():
        raise bad_request("Invalid request: nothing to search for: q is blank")
    source = text_field(fields, "source") or "ar"
    target = text_field(fields, "target") or "en"
    check_language(state.registry, source)
    check_language(state.registry, target)
    check_limits(state.settings, [q], False)
    limit = int_field(fields, "limit", 5, low=1, high=MAX_RESULTS)
    threshold = _threshold(text_field(fields, "threshold"))
    registry = state.registry

    def work() -> dict[str, Any]:
        memory = registry.open_memory(None)
        if memory is None:
            return search_report(None, [])
        with memory:
            exact = memory.lookup(q, source, target)
            found = memory.search(q, source, target, threshold=threshold, limit=limit)
        return search_report(exact, found)

    return JSONResponse(await state.in_thread(work))


def _threshold(raw: str | None) -> float:
    if raw is None:
        return DEFAULT_THRESHOLD
    try:
        value = float(raw)
    except ValueError:
        raise bad_request("Invalid request: threshold must be a number") from None
    if not 0 <= value <= 1:
        raise bad_request("Invalid request: threshold must be between 0 and 1")
    return value


@router.post("/suggest", tags=["LibreTranslate"], openapi_extra=body_doc(SuggestBody))
async def suggest(request: Request) -> JSONResponse:
    """Suggest a better translation (LibreTranslate's API): stored in the memory with
    origin ``suggestion``, offered to editors, never used unseen."""
    state = get_state(request)
    fields = await read_fields(request)
    if not state.settings.suggestions:
        raise ApiError(403, SUGGESTIONS_OFF)
    author = await _author(state, request, text_field(fields, "api_key"))
    _writable(state)
    q = text_field(fields, "q", required=True)
    s = text_field(fields, "s", required=True)
    source = text_field(fields, "source", required=True)
    target = text_field(fields, "target", required=True)
    assert q is not None and s is not None and source is not None and target is not None
    check_language(state.registry, source)
    check_language(state.registry, target)
    if source == target:
        raise bad_request("Invalid request: source and target languages must differ")
    check_limits(state.settings, [q, s], False)
    entry = Entry(q, s, source, target, SUGGESTION, author=author)
    registry = state.registry
    await state.in_thread(lambda: _store(registry, [entry], approve=False))
    return JSONResponse({"success": True})
