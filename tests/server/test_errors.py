"""A table of bad requests: each gets its status and its exact {"error": ...} message."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tarjama.errors import GlossaryError
from tarjama.server import Settings
from tarjama.server.errors import STORAGE_ERRORS

from .conftest import MakeClient

LIMITS: dict[str, Any] = {"char_limit": 100, "batch_limit": 3, "body_limit": 300_000}
SETTINGS = Settings(**LIMITS)
LIMIT = SETTINGS.max_body_bytes
OK = {"source": "ar", "target": "en"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
JSON = {"Content-Type": "application/json"}


def chunks(size: int) -> Iterator[bytes]:
    """A body with no Content-Length (sent chunked)."""
    for _ in range(size // 65536 + 1):
        yield b"x" * 65536


def raw_json(body: str | bytes) -> dict[str, Any]:
    data = body.encode() if isinstance(body, str) else body
    return {"content": data, "headers": {"Content-Type": "application/json"}}


# (id, method, path, request keyword arguments, status, message)
CASES: list[tuple[str, str, str, dict[str, Any], int, str]] = [
    # -- q: missing, empty, wrong types
    ("q-missing", "POST", "/translate", {"json": OK}, 400, "Invalid request: missing q parameter"),
    (
        "q-empty",
        "POST",
        "/translate",
        {"json": {"q": "", **OK}},
        400,
        "Invalid request: missing q parameter",
    ),
    (
        "q-empty-list",
        "POST",
        "/translate",
        {"json": {"q": [], **OK}},
        400,
        "Invalid request: missing q parameter",
    ),
    (
        "q-null",
        "POST",
        "/translate",
        {"json": {"q": None, **OK}},
        400,
        "Invalid request: missing q parameter",
    ),
    (
        "q-number",
        "POST",
        "/translate",
        {"json": {"q": 5, **OK}},
        400,
        "Invalid request: q must be a string or a list of strings",
    ),
    (
        "q-object",
        "POST",
        "/translate",
        {"json": {"q": {"a": 1}, **OK}},
        400,
        "Invalid request: q must be a string or a list of strings",
    ),
    (
        "q-list-of-numbers",
        "POST",
        "/translate",
        {"json": {"q": [1, 2], **OK}},
        400,
        "Invalid request: q must be a string or a list of strings",
    ),
    (
        "q-list-with-null",
        "POST",
        "/translate",
        {"json": {"q": ["a", None], **OK}},
        400,
        "Invalid request: q must be a string or a list of strings",
    ),
    (
        "q-nested-list",
        "POST",
        "/translate",
        {"json": {"q": [["a"]], **OK}},
        400,
        "Invalid request: q must be a string or a list of strings",
    ),
    (
        "q-lone-surrogate",
        "POST",
        "/translate",
        raw_json('{"q": "ab\\ud800", "source": "ar", "target": "en"}'),
        400,
        "Invalid request: q is not valid Unicode (lone surrogate at offset 2)",
    ),
    # -- languages and format
    (
        "source-missing",
        "POST",
        "/translate",
        {"json": {"q": "x", "target": "en"}},
        400,
        "Invalid request: missing source parameter",
    ),
    (
        "target-missing",
        "POST",
        "/translate",
        {"json": {"q": "x", "source": "ar"}},
        400,
        "Invalid request: missing target parameter",
    ),
    (
        "source-number",
        "POST",
        "/translate",
        {"json": {"q": "x", "source": 1, "target": "en"}},
        400,
        "Invalid request: source must be a string",
    ),
    (
        "target-list",
        "POST",
        "/translate",
        {"json": {"q": "x", "source": "ar", "target": ["en"]}},
        400,
        "Invalid request: target must be a string",
    ),
    (
        "source-unknown",
        "POST",
        "/translate",
        {"json": {"q": "x", "source": "xx", "target": "en"}},
        400,
        "xx is not supported",
    ),
    (
        "target-unknown",
        "POST",
        "/translate",
        {"json": {"q": "x", "source": "ar", "target": "fr"}},
        400,
        "fr is not supported",
    ),
    (
        "source-long-unknown",
        "POST",
        "/translate",
        {"json": {"q": "x", "source": "z" * 500, "target": "en"}},
        400,
        "z" * 39 + "… is not supported",
    ),
    (
        "format-unknown",
        "POST",
        "/translate",
        {"json": {"q": "x", **OK, "format": "pdf"}},
        400,
        "pdf format is not supported",
    ),
    (
        "format-number",
        "POST",
        "/translate",
        {"json": {"q": "x", **OK, "format": 3}},
        400,
        "Invalid request: format must be a string",
    ),
    # -- alternatives and api_key
    (
        "alternatives-text",
        "POST",
        "/translate",
        {"json": {"q": "x", **OK, "alternatives": "two"}},
        400,
        "Invalid request: alternatives parameter is not a number",
    ),
    (
        "alternatives-float",
        "POST",
        "/translate",
        {"json": {"q": "x", **OK, "alternatives": 1.5}},
        400,
        "Invalid request: alternatives parameter is not a number",
    ),
    (
        "alternatives-bool",
        "POST",
        "/translate",
        {"json": {"q": "x", **OK, "alternatives": True}},
        400,
        "Invalid request: alternatives parameter is not a number",
    ),
    (
        "alternatives-form-text",
        "POST",
        "/translate",
        {"data": {"q": "x", **OK, "alternatives": "abc"}},
        400,
        "Invalid request: alternatives parameter is not a number",
    ),
    (
        "api-key-number",
        "POST",
        "/translate",
        {"json": {"q": "x", **OK, "api_key": 7}},
        400,
        "Invalid request: api_key must be a string",
    ),
    # -- limits
    (
        "chars-over-limit",
        "POST",
        "/translate",
        {"json": {"q": "a" * 101, **OK}},
        400,
        "Invalid request: request (101) exceeds text limit (100)",
    ),
    (
        "chars-over-limit-list",
        "POST",
        "/translate",
        {"json": {"q": ["b" * 60, "a" * 101], **OK}},
        400,
        "Invalid request: request (101) exceeds text limit (100)",
    ),
    (
        "batch-over-limit",
        "POST",
        "/translate",
        {"json": {"q": ["a", "b", "c", "d"], **OK}},
        400,
        "Invalid request: request (4) exceeds text limit (3)",
    ),
    (
        "body-too-large",
        "POST",
        "/translate",
        {"content": b"x" * (LIMIT + 1), "headers": {"Content-Type": "application/json"}},
        413,
        f"Invalid request: body too large ({LIMIT + 1} bytes; the limit is {LIMIT} bytes)",
    ),
    (
        "body-too-large-chunked",
        "POST",
        "/translate",
        {"content": chunks(LIMIT), "headers": {"Content-Type": "application/json"}},
        413,
        f"Invalid request: body too large (the limit is {LIMIT} bytes)",
    ),
    (
        "body-too-large-native",
        "POST",
        "/v1/translate",
        {"content": b" " * (LIMIT + 10), "headers": {"Content-Type": "application/json"}},
        413,
        f"Invalid request: body too large ({LIMIT + 10} bytes; the limit is {LIMIT} bytes)",
    ),
    # -- malformed bodies
    (
        "invalid-utf8",
        "POST",
        "/translate",
        raw_json(b'{"q": "\xff\xfe", "source": "ar", "target": "en"}'),
        400,
        "Invalid request: body is not valid UTF-8 (first bad byte at offset 7)",
    ),
    (
        "json-syntax",
        "POST",
        "/translate",
        raw_json("{"),
        400,
        "Invalid JSON format: Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1)",
    ),
    ("json-not-object", "POST", "/translate", raw_json("[1, 2]"), 400, "Invalid JSON format"),
    (
        "json-too-deep",
        "POST",
        "/translate",
        raw_json("[" * 50_000),
        400,
        "Invalid JSON format: nested too deeply",
    ),
    ("json-string", "POST", "/translate", raw_json('"q"'), 400, "Invalid JSON format"),
    (
        "multipart-no-boundary",
        "POST",
        "/translate",
        {"content": b"q=x", "headers": {"Content-Type": "multipart/form-data"}},
        400,
        "Missing boundary in multipart.",
    ),
    (
        "form-missing-q",
        "POST",
        "/translate",
        {"data": OK},
        400,
        "Invalid request: missing q parameter",
    ),
    (
        "form-unknown-source",
        "POST",
        "/translate",
        {"data": {"q": "x", "source": "zz", "target": "en"}},
        400,
        "zz is not supported",
    ),
    ("no-body", "POST", "/translate", {}, 400, "Invalid request: missing q parameter"),
    (
        "form-invalid-utf8",
        "POST",
        "/translate",
        {"content": b"q=\xff&source=ar", "headers": FORM},
        400,
        "Invalid request: body is not valid UTF-8 (first bad byte at offset 2)",
    ),
    (
        "form-escaped-invalid-utf8",
        "POST",
        "/translate",
        {"content": b"q=%FF&source=ar", "headers": FORM},
        400,
        "Invalid request: a %-escaped form value is not valid UTF-8",
    ),
    (
        "form-too-many-fields",
        "POST",
        "/translate",
        {"content": b"&".join([b"a=1"] * 1001), "headers": FORM},
        400,
        "Invalid request: too many form fields",
    ),
    # -- /detect
    (
        "detect-missing-q",
        "POST",
        "/detect",
        {"json": {}},
        400,
        "Invalid request: missing q parameter",
    ),
    (
        "detect-q-list",
        "POST",
        "/detect",
        {"json": {"q": ["a"]}},
        400,
        "Invalid request: q must be a string",
    ),
    # -- /v1/translate
    (
        "native-form",
        "POST",
        "/v1/translate",
        {"data": {"text": "x"}},
        400,
        "Invalid request: send a JSON body (Content-Type: application/json)",
    ),
    (
        "native-missing-text",
        "POST",
        "/v1/translate",
        {"json": {}},
        400,
        "Invalid request: missing text parameter",
    ),
    (
        "native-text-number",
        "POST",
        "/v1/translate",
        {"json": {"text": 5}},
        400,
        "Invalid request: text must be a string",
    ),
    (
        "native-unknown-field",
        "POST",
        "/v1/translate",
        {"json": {"text": "x", "glosary": "a"}},
        400,
        "Invalid request: unknown field 'glosary'",
    ),
    (
        "native-unknown-model",
        "POST",
        "/v1/translate",
        {"json": {"text": "x", "model": "nope"}},
        400,
        "unknown model 'nope' (loaded: fake)",
    ),
    (
        "native-unknown-target",
        "POST",
        "/v1/translate",
        {"json": {"text": "x", "target": "de"}},
        400,
        "de is not supported",
    ),
    (
        "native-beam-zero",
        "POST",
        "/v1/translate",
        {"json": {"text": "x", "beam": 0}},
        400,
        "Invalid request: beam must be at least 1",
    ),
    (
        "native-beam-huge",
        "POST",
        "/v1/translate",
        {"json": {"text": "x", "beam": 17}},
        400,
        "Invalid request: beam must be at most 16",
    ),
    (
        "native-over-limit",
        "POST",
        "/v1/translate",
        {"json": {"text": "a" * 101}},
        400,
        "Invalid request: request (101) exceeds text limit (100)",
    ),
    # -- hardening (the hostile-input run of issue H)
    (
        "native-unknown-field-lone-surrogate",  # #3: the echo could not be encoded: 503
        "POST",
        "/v1/translate",
        raw_json('{"text": "x", "\\ud800": 1}'),
        400,
        "Invalid request: unknown field '\\ud800'",
    ),
    (
        "native-memory-absent",  # #10: no server path in the message
        "POST",
        "/v1/translate",
        {"json": {"text": "x", "memory": True}},
        400,
        'this server has no translation memory ("memory": true was asked)',
    ),
    (
        "evaluate-line-too-long",  # #1
        "POST",
        "/v1/evaluate",
        {"json": {"hypotheses": ["a" * 1001], "references": ["a"]}},
        400,
        "Invalid request: line 1 of hypotheses has 1001 characters (the limit is 1000)",
    ),
    (
        "evaluate-too-much",  # #1
        "POST",
        "/v1/evaluate",
        {"json": {"hypotheses": ["a b c d " * 100] * 63, "references": ["a b c d " * 100] * 63}},
        400,
        "Invalid request: request (100800) exceeds text limit (100000)",
    ),
    (
        "evaluate-source-line-too-long",  # #1
        "POST",
        "/v1/evaluate",
        {"json": {"hypotheses": ["a"], "references": ["a"], "sources": ["ب" * 1200]}},
        400,
        "Invalid request: line 1 of sources has 1200 characters (the limit is 1000)",
    ),
    (
        "bad-content-length",  # #12 (uvicorn's own parser answers it in a real server)
        "POST",
        "/translate",
        {"content": b"{}", "headers": {"Content-Length": "abc", **JSON}},
        400,
        "Invalid request: bad Content-Length header",
    ),
    # -- routes and methods
    ("unknown-path", "GET", "/nope", {}, 404, "Not Found"),
    ("wrong-method", "GET", "/translate", {}, 405, "Method Not Allowed"),
]


@pytest.fixture(scope="module")
def client(make_client: MakeClient) -> Iterator[TestClient]:
    with make_client(raise_server_exceptions=False, **LIMITS) as c:
        yield c


def test_every_route_that_takes_a_body_refuses_a_broken_one_in_json(client: TestClient) -> None:
    """Not only the table's routes: every POST route answers a body that is not JSON with
    a 4xx and ``{"error"}``, never a 500 or an HTML page."""
    spec = client.get("/openapi.json").json()["paths"]
    posts = {path for path, methods in spec.items() if "post" in methods}
    assert {"/translate", "/detect", "/v1/translate", "/v1/check"} <= posts
    for path in sorted(posts):
        r = client.post(path, **raw_json("{not json"))
        assert 400 <= r.status_code < 500, (path, r.status_code)
        assert r.headers["content-type"].startswith("application/json"), path
        assert set(r.json()) == {"error"}, (path, r.text)


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "message"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_bad_request(
    client: TestClient, method: str, path: str, kwargs: dict[str, Any], status: int, message: str
) -> None:
    r = client.request(method, path, **kwargs)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/json")
    assert r.json() == {"error": message}


def test_error_bodies_are_plain_json(client: TestClient) -> None:
    r = client.post("/translate", json={"q": "x", "source": "\u00e9t\u00e9", "target": "en"})
    assert json.loads(r.content.decode("utf-8")) == {"error": "été is not supported"}


def test_a_broken_glossary_in_the_home_is_the_servers_fault(
    make_client: MakeClient, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Hardening #10: it was a 400 that blamed the client, and named the server's path."""
    home = tmp_path / "home"
    (home / "glossaries").mkdir(parents=True)
    (home / "glossary.csv").write_bytes(b"\xff\xfe not utf-8\n")
    (home / "glossaries" / "desk.csv").write_text("Putin,بوتين\n", encoding="utf-8")
    with make_client(home=home) as c:
        for path, body in (
            ("/v1/translate", {"text": "مرحبا"}),
            ("/v1/check", {"text": "مرحبا", "translation": "Hello", "glossary": "desk"}),
        ):
            r = c.post(path, json=body)
            assert (r.status_code, r.json()) == (503, {"error": STORAGE_ERRORS[GlossaryError]})
            assert str(home) not in r.text
    assert str(home / "glossary.csv") in caplog.text  # the operator sees where
