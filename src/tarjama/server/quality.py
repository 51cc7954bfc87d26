"""/v1/check and /v1/evaluate: the `tarjama check` and `tarjama evaluate` commands over HTTP."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from ..evaluate import evaluate
from ..fidelity import report
from .body import Fields, body_doc, read_json_fields, text_field, texts_field
from .errors import bad_request
from .observe import note
from .scoring import check_lines
from .state import get_state
from .validate import check_chars

router = APIRouter(prefix="/v1", tags=["tarjama"])

LANGUAGES = ("ar", "en")


class CheckBody(BaseModel):
    """The body of POST /v1/check: a paragraph-aligned source and translation."""

    text: str
    translation: str
    source: str = "ar"
    target: str = "en"
    glossary: str | None = None
    api_key: str | None = None


class EvaluateBody(BaseModel):
    """The body of POST /v1/evaluate: one line per segment, as lists or as text."""

    hypotheses: str | list[str]
    references: str | list[str]
    sources: str | list[str] | None = None
    api_key: str | None = None


def _language(fields: Fields, name: str, default: str) -> str:
    code = (text_field(fields, name) or default).lower()
    if code not in LANGUAGES:
        raise bad_request(f"{code[:40]} is not supported")
    return code


def _lines(fields: Fields, name: str) -> list[str]:
    """A list of lines, or one text to be cut into lines."""
    items, is_list = texts_field(fields, name)
    return items if is_list else items[0].splitlines()


@router.post("/check", openapi_extra=body_doc(CheckBody))
async def check(request: Request) -> JSONResponse:
    """Check a translation (anyone's) against its source: numbers, names, omissions..."""
    state = get_state(request)
    fields = await read_json_fields(request, set(CheckBody.model_fields))
    access = await state.check_access(request, text_field(fields, "api_key"))
    text = text_field(fields, "text", required=True)
    translation = text_field(fields, "translation", required=True)
    assert text is not None and translation is not None
    source = _language(fields, "source", "ar")
    target = _language(fields, "target", "en")
    if source == target:
        raise bad_request("Invalid request: source and target must differ")
    glossary_name = text_field(fields, "glossary")
    check_chars([text, translation], access.char_limit(state.settings.char_limit))
    note(request, chars=len(text) + len(translation), text=text, translation=translation)
    registry = state.registry

    def work() -> dict[str, Any]:
        workspace = registry.workspace
        issues = workspace.check(
            text,
            translation,
            source_lang=source,
            target_lang=target,
            glossary=workspace.named_glossary(glossary_name),
        )
        state.metrics.checked(issues)
        return report(issues)

    return JSONResponse(await state.in_thread(work))


@router.post("/evaluate", openapi_extra=body_doc(EvaluateBody))
async def evaluate_lines(request: Request) -> JSONResponse:
    """Score hypotheses against references: BLEU, chrF++ and TER with their signatures.

    Lines are capped (1,000 characters each, 100,000 in all) and scored in a separate,
    low-priority process, so that scoring never slows translation (:mod:`.scoring`)."""
    state = get_state(request)
    fields = await read_json_fields(request, set(EvaluateBody.model_fields))
    await state.check_access(request, text_field(fields, "api_key"))
    hypotheses = _lines(fields, "hypotheses")
    references = _lines(fields, "references")
    sources = _lines(fields, "sources") if fields.get("sources") is not None else None
    named = {"hypotheses": hypotheses, "references": references}
    check_lines({**named, "sources": sources} if sources is not None else named)
    if len(hypotheses) != len(references):
        raise bad_request(
            f"{len(hypotheses)} hypothesis lines but {len(references)} reference lines"
        )
    if sources is not None and len(sources) != len(references):
        raise bad_request(f"{len(sources)} source lines but {len(references)} reference lines")
    note(request, chars=sum(len(t) for lines in named.values() for t in lines))
    comet = state.registry.workspace.comet_model()
    result = await state.scoring.run(evaluate, hypotheses, references, sources, comet_model=comet)
    return JSONResponse(result.to_json())
