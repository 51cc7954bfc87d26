"""Files: LibreTranslate's ``/translate_file`` and ``/download_file``, and the native
``/v1/translate`` given a file.

An upload is translated through the whole pipeline (the home's default glossary, its
memory when there is one, the checks), like ``tarjama translate FILE``. The result is kept
in the home (:meth:`~tarjama.workspace.Workspace.results`: private files with random
names that expire) and downloaded by its name; ``/v1/translate`` returns it inline, in
base64, beside its report.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse
from starlette.datastructures import UploadFile

from .. import formats
from ..formats.budget import char_budget
from ..pipeline import TranslatedFile
from .body import Fields, flag_field, int_field, quoted, read_fields, text_field
from .documents import file_json, keep
from .errors import ApiError, bad_request
from .jobs import run_document
from .native import MAX_BEAM, Options, pick_model, pick_pair, with_translator
from .observe import note
from .state import get_state
from .validate import lang_field

#: The largest upload read (the body limit of the file endpoints): a long article's DOCX
#: with its pictures fits many times over; the formats cap what is inside (see docs/formats.md).
UPLOAD_LIMIT = 32 * 2**20
#: Paths whose multipart bodies may be that large.
UPLOAD_PATHS = ("/translate_file", "/v1/translate")

#: What ``/v1/translate`` takes with a file: the JSON body's fields, ``text`` replaced.
_NATIVE_FIELDS = {
    *("file", "source", "target", "model", "glossary", "memory", "beam", "api_key"),
    *("translate_all", "post_edit"),
}

router = APIRouter(tags=["files"])


async def _upload(fields: Fields) -> tuple[str, str, bytes]:
    """The uploaded file's name, its format and its bytes."""
    upload = fields.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise bad_request("Invalid request: missing file parameter")
    name = PurePath(upload.filename).name
    suffix = PurePath(name).suffix.lower()
    if suffix not in formats.extensions():
        advice = f"{formats.REFUSED[suffix]}; " if suffix in formats.REFUSED else ""
        raise bad_request(
            f"Invalid request: {quoted(suffix or name)} files are not supported "
            f"({advice}supported: {', '.join(formats.extensions())})"
        )
    data = await upload.read(UPLOAD_LIMIT + 1)
    if len(data) > UPLOAD_LIMIT:
        raise ApiError(413, f"Invalid request: file too large (the limit is {UPLOAD_LIMIT} bytes)")
    return name, formats.kind_of(name), data


def _sample(kind: str, data: bytes, name: str, limit: int | None) -> str:
    """The text of a document, for telling its language (read within the request's
    character limit, like the translation)."""
    if kind == "txt":
        return data[:65536].decode("utf-8", errors="ignore")
    with char_budget(limit, name):
        document = formats.read(data, kind, where=name)
    return " ".join(b.text for b in document.blocks)[:65536]


async def _translate(
    request: Request, fields: Fields, *, native: bool
) -> tuple[str, str, str, TranslatedFile, Callable[[], str]]:
    """Translate the upload; returns its name, source, target, the translated file, and
    how to keep its source for rendering again (:func:`.documents.keep`)."""
    state = get_state(request)
    if not state.settings.files_translation:  # --disable-files-translation
        raise ApiError(403, "Files translation are disabled on this server.")
    access = await state.check_access(request, text_field(fields, "api_key"))
    name, kind, data = await _upload(fields)
    asked = (
        lang_field(fields, "source", required=False) or "auto",
        lang_field(fields, "target", required=False) or None,
    )
    limit = access.char_limit(state.settings.char_limit)
    source, target = await state.in_thread(
        lambda: pick_pair(state, *asked, lambda: _sample(kind, data, name, limit))
    )
    options = Options()
    if native:
        beam = None
        if fields.get("beam") not in (None, ""):
            beam = int_field(fields, "beam", 0, low=1, high=MAX_BEAM)
        options = Options(
            text_field(fields, "glossary"),
            _memory_flag(fields),
            beam,
            _form_flag(fields, "post_edit"),
        )
    model = pick_model(state, text_field(fields, "model") if native else None, source, target)
    # Blocks already in the target language are kept as written unless asked otherwise.
    every = bool(_form_flag(fields, "translate_all"))
    note(request, chars=len(data))

    def work() -> TranslatedFile:
        return with_translator(
            state,
            model,
            source,
            target,
            options,
            lambda t: t.translate_file(
                data, kind, where=name, char_limit=limit, translate_all=every
            ),
        )

    result = await run_document(state, request, work)
    return name, source, target, result, lambda: keep(state, access, name, data, result, model.name)


def _memory_flag(fields: Fields) -> bool | None:
    return _form_flag(fields, "memory", auto=True)


def _form_flag(fields: Fields, name: str, *, auto: bool = False) -> bool | None:
    """A flag sent as JSON or as form text (``true``, ``1``, ``yes``...); None when
    absent, empty (or ``auto`` where that is allowed)."""
    value = fields.get(name)
    if isinstance(value, str):  # a form sends text
        lowered = value.strip().lower()
        if lowered == "" or (auto and lowered == "auto"):
            return None
        if lowered in ("true", "false", "1", "0", "yes", "no"):
            return lowered in ("true", "1", "yes")
        raise bad_request(f"Invalid request: {name} must be true or false")
    return flag_field(fields, name)


@router.post("/translate_file", tags=["LibreTranslate"])
async def translate_file(request: Request) -> JSONResponse:
    """Translate a file (multipart ``file``, ``source``, ``target``, ``api_key``) into the
    same format; answers ``{"translatedFileUrl": ...}`` (LibreTranslate's API)."""
    fields = await read_fields(request)
    if fields.is_json:
        raise bad_request("Invalid request: send the file as multipart/form-data")
    name, source, target, result, _ = await _translate(request, fields, native=False)
    results = get_state(request).results()
    stored = await get_state(request).in_thread(
        lambda: results.save(result.data, formats.output_name(name, source, target))
    )
    url = str(request.url_for("download_file", name=stored))
    return JSONResponse({"translatedFileUrl": url})


@router.get("/download_file/{name}", tags=["LibreTranslate"], name="download_file")
async def download_file(request: Request, name: str) -> FileResponse:
    """A translated file, until it expires."""
    results = get_state(request).results()
    path = results.path(name)
    if path is None:
        raise ApiError(404, "Invalid request: no such file (it may have expired)")
    filename = results.filename(name)
    kind = formats.kind_of(filename)
    return FileResponse(path, media_type=formats.media_type(kind), filename=filename)


async def translate_upload(request: Request, fields: Fields) -> JSONResponse:
    """``POST /v1/translate`` with a file: the report of ``tarjama translate --format json``
    and the translated file beside it (``file``: name, format, media type, base64)."""
    unknown = sorted(set(fields.values) - _NATIVE_FIELDS)
    if unknown:  # a misspelt option must not be silently ignored
        raise bad_request(f"Invalid request: unknown field '{quoted(unknown[0])}'")
    name, source, target, result, keeping = await _translate(request, fields, native=True)
    body = result.to_json()
    body["file"] = file_json(name, source, target, result)
    # Kept so that the editor's changes can be written into it (/v1/documents/{id}/render).
    body["document"] = {"id": await get_state(request).in_thread(keeping)}
    return JSONResponse(body)
