"""Reading request fields the way LibreTranslate does, with its error messages.

A JSON body (any ``application/json`` or ``+json`` type) must be one object. Any other
request takes its fields from the query string and a form body (URL-encoded or
multipart), the form winning. Field types are checked by the small helpers below so that
every endpoint words its 400s the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request
from pydantic import BaseModel

from ..document import normalize_newlines
from .errors import bad_request


@dataclass
class Fields:
    values: dict[str, Any]
    is_json: bool

    def get(self, name: str) -> Any:
        return self.values.get(name)


async def read_fields(request: Request) -> Fields:
    mime = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if mime == "application/json" or mime.endswith("+json"):
        return Fields(parse_json(await request.body()), True)
    values: dict[str, Any] = dict(request.query_params)
    items: list[tuple[str, Any]] = []
    if mime == "application/x-www-form-urlencoded":
        items = parse_urlencoded(await request.body())
    elif mime == "multipart/form-data":
        items = list((await request.form()).multi_items())
    seen: set[str] = set()
    for name, value in items:
        if name not in seen:  # the first form value wins, also over the query string
            values[name] = value
            seen.add(name)
    return Fields(values, False)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise bad_request(
            f"Invalid request: body is not valid UTF-8 (first bad byte at offset {exc.start})"
        ) from None


def parse_urlencoded(raw: bytes) -> list[tuple[str, str]]:
    """A URL-encoded form, in UTF-8 whether its characters are %-escaped or sent raw.

    ``curl -d q=مرحبا`` sends raw UTF-8; Starlette's parser would read that as Latin-1.
    """
    try:
        return parse_qsl(_decode(raw), keep_blank_values=True, errors="strict", max_num_fields=1000)
    except UnicodeDecodeError:
        raise bad_request("Invalid request: a %-escaped form value is not valid UTF-8") from None
    except ValueError:
        raise bad_request("Invalid request: too many form fields") from None


def parse_json(raw: bytes) -> dict[str, Any]:
    text = _decode(raw)
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise bad_request(f"Invalid JSON format: {exc}") from None
    except RecursionError:
        raise bad_request("Invalid JSON format: nested too deeply") from None
    if not isinstance(data, dict):
        raise bad_request("Invalid JSON format")
    return data


def _check_unicode(name: str, text: str) -> str:
    """JSON may carry lone surrogates (\\ud800); no engine or response can hold them."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise bad_request(
            f"Invalid request: {name} is not valid Unicode (lone surrogate at offset {exc.start})"
        ) from None
    return text


def text_field(fields: Fields, name: str, *, required: bool = False) -> str | None:
    """A string field; ``required`` treats absent and empty alike, as LibreTranslate does."""
    value = fields.get(name)
    if value is None or value == "":
        if required:
            raise bad_request(f"Invalid request: missing {name} parameter")
        return None
    if not isinstance(value, str):
        raise bad_request(f"Invalid request: {name} must be a string")
    value = _check_unicode(name, value)
    return value if fields.is_json else normalize_newlines(value)


def texts_field(fields: Fields, name: str) -> tuple[list[str], bool]:
    """``q``: a string, or (JSON only) a non-empty list of strings; returns (items, is_list)."""
    value = fields.get(name)
    if value is None or value == "" or value == []:
        raise bad_request(f"Invalid request: missing {name} parameter")
    if isinstance(value, list):
        if not all(isinstance(v, str) for v in value):
            raise bad_request(f"Invalid request: {name} must be a string or a list of strings")
        return [_check_unicode(name, v) for v in value], True
    if not isinstance(value, str):
        raise bad_request(f"Invalid request: {name} must be a string or a list of strings")
    text = _check_unicode(name, value)
    return [text if fields.is_json else normalize_newlines(text)], False


def int_field(fields: Fields, name: str, default: int, *, low: int, high: int) -> int:
    value = fields.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        digits = value.strip()
        value = int(digits) if len(digits) <= 20 else (high + 1 if digits[0] != "-" else low - 1)
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request(f"Invalid request: {name} must be an integer")
    if value < low:
        raise bad_request(f"Invalid request: {name} must be at least {low}")
    if value > high:
        raise bad_request(f"Invalid request: {name} must be at most {high}")
    return value


def flag_field(fields: Fields, name: str) -> bool | None:
    """A JSON true or false; None when absent."""
    value = fields.get(name)
    if value is None or isinstance(value, bool):
        return value
    raise bad_request(f"Invalid request: {name} must be true or false")


def quoted(value: str, limit: int = 40) -> str:
    """A client's value inside an error message, cut short."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def body_doc(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI description of a body that a route reads itself (for /docs)."""
    schema = model.model_json_schema()
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": schema},
                "application/x-www-form-urlencoded": {"schema": schema},
            },
        }
    }


async def read_json_fields(request: Request, known: set[str]) -> Fields:
    """A JSON object with only ``known`` fields (a typo must not be silently ignored)."""
    fields = await read_fields(request)
    if not fields.is_json:
        raise bad_request("Invalid request: send a JSON body (Content-Type: application/json)")
    unknown = sorted(set(fields.values) - known)
    if unknown:
        raise bad_request(f"Invalid request: unknown field '{quoted(unknown[0])}'")
    return fields
