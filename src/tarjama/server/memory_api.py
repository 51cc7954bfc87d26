"""The translation memory over HTTP: editors' approvals, search, one entry by its id, and
LibreTranslate's ``/suggest``.

- ``POST /v1/memory`` stores approved pairs (one, or ``pairs``: many) with origin
  ``editor``, the key's name as author (``anonymous`` without keys) and the time; a pair
  already stored becomes an approval. A pair whose target has error-severity issues is
  refused with 409 and the issues unless ``force`` is true; the history keeps what a
  forced approval overrode.
- ``GET /v1/memory/search`` answers what ``tarjama memory search --format json`` prints;
  with ``mode`` (``substring``, ``fuzzy``) or ``side`` (``source``, ``target``) also the
  ``entries`` found, with their ids.
- ``GET/PATCH/DELETE /v1/memory/{id}``, ``POST /v1/memory/{id}/restore`` and
  ``/unapprove``, ``GET /v1/memory/{id}/history``: one entry (docs/memory.md).
- ``GET /v1/memory`` says whether there is a memory and whether it may be written.
- ``POST /suggest`` (LibreTranslate: ``q``, ``s``, ``source``, ``target``) stores a pair
  with origin ``suggestion``, when the server runs with ``--suggestions``.

Writing is an editor's act: with keys on every write needs a key, and so does every read;
with keys off, editors' writes need ``--open-memory`` (a single-user desk on loopback).
Each pair's source and target are at most :data:`MAX_PAIR_CHARS` (413), and writes are
limited per key (:data:`WRITES_PER_MINUTE`, 429). With ``--memory-readonly`` every write
is refused with 403. Writes create the home's memory on the first one, and run off the
event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from ..archive import (
    DEFAULT_THRESHOLD,
    EDITOR,
    SUGGESTION,
    Entry,
    Record,
    TranslationMemory,
    search_report,
)
from ..errors import InputError, UnknownEntry
from ..fidelity import ERROR
from .access import Access
from .body import (
    Fields,
    body_doc,
    flag_field,
    int_field,
    quoted,
    read_fields,
    read_json_fields,
    text_field,
)
from .errors import ApiError, bad_request
from .ratelimit import Window
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
OPEN_MEMORY_OFF = (
    "writing to the translation memory needs an API key (--api-keys) or a single-user "
    "desk (--open-memory)"
)
#: Most characters of a pair's source, and of its target: a long paragraph.
MAX_PAIR_CHARS = 4000
#: Write requests per minute per key (per address without keys), whatever --req-limit says.
WRITES_PER_MINUTE = 60
_WRITES = [Window(WRITES_PER_MINUTE, 60.0, "1 minute")]
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
    #: Approve even where the fidelity checks find errors (the history keeps them).
    force: bool = False
    api_key: str | None = None


class EditBody(BaseModel):
    """The body of PATCH /v1/memory/{id}: a new target and/or context."""

    target: str | None = None
    context: str | None = None
    force: bool = False
    api_key: str | None = None


class SuggestBody(BaseModel):
    """The body of POST /suggest (LibreTranslate's): the text, the suggested translation."""

    q: str
    s: str
    source: str
    target: str
    api_key: str | None = None


_PAIR_FIELDS = set(Pair.model_fields)


async def _admit(state: ServerState, request: Request, api_key: str | None) -> Access:
    """Let a memory request in: when keys are on a key is always required (for reading
    too), even where translating may go without."""
    if state.keys is not None and not api_key:
        raise ApiError(403, KEY_REQUIRED)
    return await state.check_access(request, api_key)


async def _author(state: ServerState, request: Request, api_key: str | None) -> str:
    """Who writes: the key's name (or number) when keys are on, else "anonymous"."""
    return (await _admit(state, request, api_key)).key_name or ANONYMOUS


async def _editor(state: ServerState, request: Request, api_key: str | None) -> str:
    """An editor's write (approve, edit, remove, restore, unapprove): who writes, after
    the rules of the module (a key, or --open-memory; the write limit)."""
    if state.keys is None and not state.settings.open_memory:
        raise ApiError(403, OPEN_MEMORY_OFF)
    _writable(state)
    access = await _admit(state, request, api_key)
    refused = state.gate.limiter.hit(access.client, "memory-writes", _WRITES, 1)
    if refused is not None:
        raise ApiError(429, f"Slowdown: memory writes, {refused.describe()}")
    return access.key_name or ANONYMOUS


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
    _capped(source, target, where=where)
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


def _capped(*texts: str, where: str = "") -> None:
    if any(len(t) > MAX_PAIR_CHARS for t in texts):
        raise ApiError(
            413,
            f"A memory pair's source and target are at most {MAX_PAIR_CHARS} characters "
            f"each (a paragraph){where}",
        )


_OWN = {"api_key", "force"}


def _items(fields: Fields) -> list[tuple[Fields, str]]:
    """The pairs of a body: its ``pairs`` list, or the body itself as one pair."""
    raw = fields.get("pairs")
    if raw is None:
        own = {k: v for k, v in fields.values.items() if k not in _OWN}
        return [(Fields(own, True), "")]
    if set(fields.values) - {"pairs", *_OWN}:
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


def _errors(registry: Registry, entries: list[Entry]) -> list[dict[str, Any]]:
    """The error-severity issues of each approval's target, each with its pair's index."""
    workspace = registry.workspace
    glossary = workspace.named_glossary(None)
    found = []
    for k, e in enumerate(entries):
        if e.origin != EDITOR:
            continue
        issues = workspace.check(
            e.source, e.target, source_lang=e.source_lang, target_lang=e.target_lang,
            glossary=glossary,
        )  # fmt: skip
        found += [{"pair": k, **i.to_json()} for i in issues if i.severity == ERROR]
    return found


def _over_errors(issues: list[dict[str, Any]], force: bool) -> JSONResponse | None:
    """409 naming the issues, unless the approval is forced."""
    if not issues or force:
        return None
    n = len(issues)
    return JSONResponse(
        {
            "error": f'the translation has {n} error(s); send "force": true to approve it '
            "anyway (the memory keeps what it overrode)",
            "issues": issues,
        },
        status_code=409,
    )


def _overrode(issues: list[dict[str, Any]], k: int) -> tuple[tuple[str, object], ...]:
    mine = [{key: v for key, v in i.items() if key != "pair"} for i in issues if i["pair"] == k]
    return (("forced", True), ("overrode", mine)) if mine else ()


@router.post("/v1/memory", tags=["tarjama"], openapi_extra=body_doc(MemoryBody))
async def add_pairs(request: Request) -> JSONResponse:
    """Store approved pairs in the translation memory (origin ``editor``); over errors
    only with ``force``."""
    state = get_state(request)
    fields = await read_json_fields(request, set(MemoryBody.model_fields))
    author = await _editor(state, request, text_field(fields, "api_key"))
    force = bool(flag_field(fields, "force"))
    entries = [_pair(state.registry, f, where, author) for f, where in _items(fields)]
    check_limits(state.settings, [e.source + e.target for e in entries], False)
    registry = state.registry
    issues = await state.in_thread(lambda: _errors(registry, entries))
    refused = _over_errors(issues, force)
    if refused is not None:
        return refused
    entries = [replace(e, detail=_overrode(issues, k)) for k, e in enumerate(entries)]
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
    s = state.settings
    return {
        "exists": entries is not None,
        "entries": entries or 0,
        # Whether an editor may write here: with a key when keys are on, or a desk.
        "writable": not s.memory_readonly and (state.keys is not None or s.open_memory),
        "open": s.open_memory,
        "readonly": s.memory_readonly,
        "keys": state.keys is not None,
        "suggestions": s.suggestions,
    }


@router.get("/v1/memory/search", tags=["tarjama"])
async def search(request: Request) -> JSONResponse:
    """Exact and close matches for a sentence (``q``), as `tarjama memory search`."""
    state = get_state(request)
    fields = Fields(dict(request.query_params), False)
    await _admit(state, request, text_field(fields, "api_key"))
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
    mode, side = (
        _choice(fields, "mode", ("fuzzy", "substring")),
        _choice(fields, "side", ("source", "target")),
    )
    listing = mode is not None or side is not None
    registry = state.registry

    def work() -> dict[str, Any]:
        memory = registry.open_memory(None)
        if memory is None:
            return {**search_report(None, []), **({"entries": []} if listing else {})}
        with memory:
            exact = memory.lookup(q, source, target)
            found = memory.search(q, source, target, threshold=threshold, limit=limit)
            report = search_report(exact, found)
            if listing:
                records = memory.find(
                    q, source, target, side=side or "source", mode=mode or "substring",
                    threshold=threshold, limit=limit,
                )  # fmt: skip
                report["entries"] = [{**r.to_json(), "score": sc} for r, sc in records]
        return report

    return JSONResponse(await state.in_thread(work))


def _choice(fields: Fields, name: str, allowed: tuple[str, ...]) -> str | None:
    value = text_field(fields, name)
    if value is not None and value not in allowed:
        raise bad_request(f"Invalid request: {name} must be one of {', '.join(allowed)}")
    return value


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


# --- one entry by its id -------------------------------------------------------------------


def _memory(registry: Registry, entry_id: int) -> TranslationMemory:
    memory = registry.open_memory(None)
    if memory is None:
        raise ApiError(404, f"no memory entry {entry_id}")
    return memory


async def _on_entry(
    state: ServerState, entry_id: int, work: Callable[[TranslationMemory], Any]
) -> Any:
    """Run ``work`` on the memory, off the loop: an unknown id is 404, an act that does
    not apply (unapproving what is no approval, an edit onto a target the source already
    has) 409."""
    registry = state.registry

    def run() -> Any:
        with _memory(registry, entry_id) as memory:
            return work(memory)

    try:
        return await state.in_thread(run)
    except UnknownEntry as exc:
        raise ApiError(404, str(exc)) from None
    except InputError as exc:
        raise ApiError(409, str(exc)) from None


@router.get("/v1/memory/{entry_id:int}", tags=["tarjama"])
async def show_entry(request: Request, entry_id: int) -> JSONResponse:
    """One memory entry, removed or not."""
    state = get_state(request)
    await _admit(state, request, text_field(await read_fields(request), "api_key"))
    record: Record = await _on_entry(state, entry_id, lambda m: m.get(entry_id))
    return JSONResponse(record.to_json())


@router.get("/v1/memory/{entry_id:int}/history", tags=["tarjama"])
async def entry_history(request: Request, entry_id: int) -> JSONResponse:
    """Who did what to the entry, and when, oldest first."""
    state = get_state(request)
    await _admit(state, request, text_field(await read_fields(request), "api_key"))
    events = await _on_entry(state, entry_id, lambda m: m.history(entry_id))
    return JSONResponse({"id": entry_id, "history": [e.to_json() for e in events]})


@router.patch("/v1/memory/{entry_id:int}", tags=["tarjama"], openapi_extra=body_doc(EditBody))
async def edit_entry(request: Request, entry_id: int) -> JSONResponse:
    """A new target and/or context: an editor's approval, over errors only with ``force``."""
    state = get_state(request)
    fields = await read_json_fields(request, set(EditBody.model_fields))
    actor = await _editor(state, request, text_field(fields, "api_key"))
    target, context = text_field(fields, "target"), text_field(fields, "context")
    if target is not None and not target.strip():
        raise bad_request("Invalid request: target must not be blank")
    _capped(target or "")
    if context is not None and len(context) > MAX_CONTEXT:
        raise bad_request(f"Invalid request: context must be at most {MAX_CONTEXT} characters")
    record: Record = await _on_entry(state, entry_id, lambda m: m.get(entry_id))
    issues: list[dict[str, Any]] = []
    if target is not None:
        edited = replace(record.entry, target=target, origin=EDITOR)
        registry = state.registry
        issues = await state.in_thread(lambda: _errors(registry, [edited]))
        refused = _over_errors(issues, bool(flag_field(fields, "force")))
        if refused is not None:
            return refused
    detail = dict(_overrode(issues, 0))
    done: Record = await _on_entry(
        state,
        entry_id,
        lambda m: m.edit(entry_id, actor, target=target, context=context, detail=detail),
    )
    return JSONResponse(done.to_json())


async def _act(request: Request, entry_id: int, act: str) -> JSONResponse:
    state = get_state(request)
    actor = await _editor(state, request, text_field(await read_fields(request), "api_key"))
    acts: dict[str, Callable[[TranslationMemory], Record]] = {
        "remove": lambda m: m.remove(entry_id, actor),
        "restore": lambda m: m.restore(entry_id, actor),
        "unapprove": lambda m: m.unapprove(entry_id, actor),
    }
    record: Record = await _on_entry(state, entry_id, acts[act])
    return JSONResponse(record.to_json())


@router.delete("/v1/memory/{entry_id:int}", tags=["tarjama"])
async def remove_entry(request: Request, entry_id: int) -> JSONResponse:
    """Remove the entry: a tombstone no reader sees, undone by ``restore``."""
    return await _act(request, entry_id, "remove")


@router.post("/v1/memory/{entry_id:int}/restore", tags=["tarjama"])
async def restore_entry(request: Request, entry_id: int) -> JSONResponse:
    """Bring a removed entry back."""
    return await _act(request, entry_id, "restore")


@router.post("/v1/memory/{entry_id:int}/unapprove", tags=["tarjama"])
async def unapprove_entry(request: Request, entry_id: int) -> JSONResponse:
    """Take an editor's approval back (the entry gets its former origin)."""
    return await _act(request, entry_id, "unapprove")
