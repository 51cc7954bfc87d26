"""Documents written again with the editor's changes: ``POST /v1/documents/{id}/render``.

``/v1/translate`` given a file keeps its source beside what each sentence became
(:func:`tarjama.pipeline.render.kept`) and answers the kept document's ``id``. The page
sends the sentences the editor changed or approved, and gets the file written again
through the format's writer (:func:`tarjama.pipeline.render.render_file`). Kept documents
live in the home like ``/translate_file`` results (private files with random names that
expire, :meth:`~tarjama.workspace.Workspace.documents`), and only the key that made one
may render it. An edited sentence with inline codes is aligned anew by the model that
translated the document, where it can (:class:`~tarjama.engines.TargetAligner`).
"""

from __future__ import annotations

import base64
import binascii
import json
from pathlib import PurePath
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from .. import formats
from ..pipeline import TranslatedFile, can_align_targets
from ..pipeline.render import REVIEWS, AlignTargets, Edit, kept, render_file
from .access import Access
from .body import read_json_fields, text_field
from .errors import ApiError, bad_request
from .jobs import run_document
from .state import ServerState, get_state

router = APIRouter(prefix="/v1", tags=["tarjama"])

#: The most sentences one render may change, and the longest translation of one: a long
#: article has a few hundred sentences; a sentence of 20,000 characters is no sentence.
MAX_EDITS = 20_000
MAX_SENTENCE = 20_000

_GONE = "Invalid request: no such document (it may have expired); translate it again"
_FIELDS = {"segments", "api_key"}
#: What a kept document's record holds (:func:`keep`).
_KEPT = {"name", "kind", "source", "target", "owner", "data", "segments"}


def _owner(access: Access) -> str | None:
    """Whose document it is: the key's id, or None for a keyless request."""
    return f"key:{access.key.id}" if access.key is not None else None


def keep(
    state: ServerState,
    access: Access,
    name: str,
    data: bytes,
    result: TranslatedFile,
    model: str = "",
) -> str:
    """Store what rendering ``result`` again needs (``model``: the served model that
    translated it, to align edited sentences); returns the kept document's id."""
    doc = result.document
    record = {
        "name": name,
        "model": model,
        "kind": result.kind,
        "source": doc.source_lang,
        "target": doc.target_lang,
        "owner": _owner(access),
        "data": base64.b64encode(data).decode("ascii"),
        "segments": kept(doc),
    }
    store = state.documents()
    return store.save(json.dumps(record).encode("utf-8"), "document.json")


def _load(state: ServerState, doc_id: str, access: Access) -> dict[str, Any]:
    path = state.documents().path(doc_id)
    if path is None:
        raise ApiError(404, _GONE)
    try:
        record = json.loads(path.read_bytes())
    except (OSError, ValueError):  # swept meanwhile, or not one of ours
        raise ApiError(404, _GONE) from None
    if not isinstance(record, dict) or not set(record) >= _KEPT:
        raise ApiError(404, _GONE)
    if record["owner"] not in (None, _owner(access)):
        raise ApiError(404, _GONE)  # another key's: not even its existence is told
    return record


def _aligner(state: ServerState, record: dict[str, Any]) -> AlignTargets | None:
    """How to align edited sentences: the model that translated the document, when it is
    still served and can (a record kept before models were named has none)."""
    served = state.registry.named(str(record.get("model") or ""))
    if served is None:
        return None
    engine = served.engine
    if not can_align_targets(engine):
        return None
    source, target = str(record["source"]), str(record["target"])
    return lambda sources, targets: engine.align_targets(sources, targets, source, target)


def _edits(value: Any) -> list[Edit]:
    if not isinstance(value, list):
        raise bad_request("Invalid request: segments must be a list")
    if len(value) > MAX_EDITS:
        raise bad_request(f"Invalid request: at most {MAX_EDITS} segments")
    out = []
    for item in value:
        if not isinstance(item, dict):
            raise bad_request("Invalid request: each segment is an object")
        para, index = item.get("paragraph"), item.get("index")
        text, review = item.get("translation"), item.get("review", "edited")
        if type(para) is not int or type(index) is not int:
            raise bad_request("Invalid request: a segment's paragraph and index are integers")
        if not isinstance(text, str) or len(text) > MAX_SENTENCE:
            raise bad_request(
                f"Invalid request: a segment's translation is text of at most {MAX_SENTENCE} "
                "characters"
            )
        if review not in REVIEWS:
            raise bad_request(f"Invalid request: a segment's review is one of {', '.join(REVIEWS)}")
        out.append(Edit(para, index, text, review))
    return out


def file_json(name: str, source: str, target: str, result: TranslatedFile) -> dict[str, Any]:
    """The translated file as the answers carry it: name, format, media type, base64."""
    return {
        "name": PurePath(formats.output_name(name, source, target)).name,
        "format": result.kind,
        "media_type": result.media_type,
        "base64": base64.b64encode(result.data).decode("ascii"),
    }


@router.post("/documents/{doc_id}/render")
async def render_document(request: Request, doc_id: str) -> JSONResponse:
    """The document kept under ``doc_id`` written again with the sentences in ``segments``
    (``paragraph``, ``index``, ``translation``, ``review``: ``approved`` or ``edited``)
    replacing the first translation's; answers like ``/v1/translate`` with a file."""
    state = get_state(request)
    fields = await read_json_fields(request, _FIELDS)
    access = await state.check_access(request, text_field(fields, "api_key"))
    edits = _edits(fields.get("segments") or [])

    def work() -> dict[str, Any]:
        record = _load(state, doc_id, access)
        try:
            data = base64.b64decode(record["data"], validate=True)
        except (binascii.Error, TypeError):
            raise ApiError(404, _GONE) from None
        source, target = record["source"], record["target"]
        result = render_file(
            data,
            record["kind"],
            source=source,
            target=target,
            segments=record["segments"],
            edits=edits,
            where=record["name"],
            align=_aligner(state, record),
        )
        body = result.to_json()
        body["file"] = file_json(record["name"], source, target, result)
        body["document"] = {"id": doc_id}
        return body

    return JSONResponse(await run_document(state, request, work))
