"""LibreTranslate 1.9.6 conformance: one row per case where a client broke (issue H),
each with its request, the status LibreTranslate answers and the shape of its body.

A shape is a literal (equal), a type (an instance of it), a predicate, or a dict or list
of shapes (the same keys, the same length). Where tarjama answers better than
LibreTranslate (a JSON 404, a precise message for a wrong type), docs/libretranslate.md
says why. Sequences (rate windows) follow the table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tarjama.pipeline import Translator
from tarjama.server import KeyStore
from tarjama.server.access import KEY_INVALID, KEY_REQUIRED
from tarjama.server.libre import MAX_ALTERNATIVES

from ..fakes import FakeEngine
from .conftest import MakeClient

KEY = "5c6f2d0e-lt-key-0001"  # a LibreTranslate-style key, brought over with --key
SMALL_KEY = "5c6f2d0e-lt-key-0002"  # the same, with a character limit of its own


def translated(text: str, source: str = "ar", target: str = "en") -> str:
    """What the fake engine's pipeline makes of ``text`` (the server must agree)."""
    engine = FakeEngine(pairs=[(source, target)])
    return Translator(engine, source=source, target=target).translate_texts([text])[0].text


def is_(expected: Callable[[], Any]) -> Callable[[Any], bool]:
    return lambda value: value == expected()


def at_most(n: int) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, list) and 1 <= len(value) <= n


def detected(language: str, confidence: Any = float) -> dict[str, Any]:
    return {"confidence": confidence, "language": language}


def matches(shape: Any, value: Any) -> bool:
    if isinstance(shape, type):
        return isinstance(value, shape)
    if callable(shape):
        return bool(shape(value))
    if isinstance(shape, dict):
        return (
            isinstance(value, dict)
            and set(shape) == set(value)
            and all(matches(s, value[k]) for k, s in shape.items())
        )
    if isinstance(shape, list):
        return (
            isinstance(value, list)
            and len(shape) == len(value)
            and all(matches(s, v) for s, v in zip(shape, value, strict=True))
        )
    return bool(shape == value)


@dataclass
class Row:
    id: str
    method: str
    path: str
    request: dict[str, Any]
    status: int
    body: Any
    settings: dict[str, Any] = field(default_factory=dict)
    #: Response headers that must be present, with their values.
    headers: dict[str, str] = field(default_factory=dict)
    #: How many engine calls the request may cause (None: any).
    engine_calls: int | None = None


def translate(q: Any, source: str = "ar", target: str = "en", **more: Any) -> dict[str, Any]:
    return {"json": {"q": q, "source": source, "target": target, **more}}


ROWS = [
    # -- 1. text already in the target language, or without letters: given back unchanged
    Row("auto-already-english", "POST", "/translate", translate("BBC", "auto"), 200,
        {"translatedText": "BBC", "detectedLanguage": detected("en")}, engine_calls=0),
    Row("auto-digits", "POST", "/translate", translate("2025", "auto"), 200,
        {"translatedText": "2025", "detectedLanguage": detected("en", 0.0)}, engine_calls=0),
    Row("auto-emoji", "POST", "/translate", translate("👍🎉", "auto"), 200,
        {"translatedText": "👍🎉", "detectedLanguage": detected("en", 0.0)}, engine_calls=0),
    Row("auto-mixed-list", "POST", "/translate", translate(["مرحبا", "BBC"], "auto"), 200,
        {"translatedText": [is_(lambda: translated("مرحبا")), "BBC"],
         "detectedLanguage": [detected("ar"), detected("en")]}, engine_calls=1),
    Row("mastodon-html-list", "POST", "/translate",
        translate(["<p>مرحبا</p>", "BBC"], "auto", format="html", api_key=None), 200,
        {"translatedText": [is_(lambda: "<p>&lt;مرحبا&gt;</p>"), "BBC"],
         "detectedLanguage": [detected("ar"), detected("en")]}, engine_calls=1),
    Row("same-source-and-target", "POST", "/translate", translate("مرحبا", "ar", "ar"), 200,
        {"translatedText": "مرحبا"}, engine_calls=0),
    Row("letterless-explicit-pair", "POST", "/translate", translate(["2025", "!؟", "مرحبا"]), 200,
        {"translatedText": ["2025", "!؟", is_(lambda: translated("مرحبا"))]}, engine_calls=1),
    Row("html-letterless-nodes", "POST", "/translate",
        translate("<p>2025</p><b>مرحبا</b>", format="html"), 200,
        {"translatedText": "<p>2025</p><b>&lt;مرحبا&gt;</b>"}, engine_calls=1),
    # -- 2. language codes in any case
    Row("codes-upper-case", "POST", "/translate", translate("مرحبا", "AR", "EN"), 200,
        {"translatedText": is_(lambda: translated("مرحبا"))}),
    Row("auto-upper-case", "POST", "/translate", translate("مرحبا", "AUTO", "En"), 200,
        {"translatedText": str, "detectedLanguage": detected("ar")}),
    Row("detect-form", "POST", "/detect", {"data": {"q": "مرحبا"}}, 200, [detected("ar", 100.0)]),
    # -- 3. limits: off by default; per item; alternatives clamped; the body cap and its CORS
    Row("no-char-limit-by-default", "POST", "/translate", translate("ب" * 60_000), 200,
        {"translatedText": str}),
    Row("no-batch-limit-by-default", "POST", "/translate", translate(["مرحبا"] * 200), 200,
        {"translatedText": at_most(200)}),
    Row("char-limit-per-item", "POST", "/translate", translate(["ب" * 60, "ت" * 60]), 200,
        {"translatedText": [str, str]}, settings={"char_limit": 100}),
    Row("char-limit-item-over", "POST", "/translate", translate(["ب" * 60, "ت" * 101]), 400,
        {"error": "Invalid request: request (101) exceeds text limit (100)"},
        settings={"char_limit": 100}),
    Row("batch-limit", "POST", "/translate", translate(["a", "b", "c"]), 400,
        {"error": "Invalid request: request (3) exceeds text limit (2)"},
        settings={"batch_limit": 2}),
    Row("alternatives-negative-is-zero", "POST", "/translate",
        translate("مرحبا", alternatives=-3), 200, {"translatedText": str}),
    Row("alternatives-over-the-cap", "POST", "/translate",
        translate("مرحبا", alternatives=99), 200,
        {"translatedText": str, "alternatives": at_most(MAX_ALTERNATIVES)}),
    Row("alternatives-form-digits", "POST", "/translate",
        {"data": {"q": "مرحبا", "source": "ar", "target": "en", "alternatives": "9" * 30}}, 200,
        {"translatedText": str, "alternatives": at_most(MAX_ALTERNATIVES)}),
    Row("alternatives-limit", "POST", "/translate", translate("مرحبا", alternatives=3), 400,
        {"error": "Invalid request: alternatives parameter must be <= 2"},
        settings={"alternatives_limit": 2}),
    Row("alternatives-not-a-number", "POST", "/translate", translate("x", alternatives="two"), 400,
        {"error": "Invalid request: alternatives parameter is not a number"}),
    Row("body-over-the-cap-has-cors", "POST", "/translate",
        {"content": b"x" * 5000, "headers": {"Content-Type": "application/json",
                                             "Origin": "https://elsewhere.example"}},
        413, {"error": "Invalid request: body too large (5000 bytes; the limit is 4096 bytes)"},
        settings={"body_limit": 4096}, headers={"access-control-allow-origin": "*"}),
    # -- 4. keys: they raise limits; keyless use stays allowed unless a rule requires one
    Row("keys-keyless-allowed", "POST", "/translate", translate("مرحبا"), 200,
        {"translatedText": str}, settings={"api_keys": True}),
    Row("keys-wrong-key", "POST", "/translate", translate("مرحبا", api_key="nope-nope"), 403,
        {"error": KEY_INVALID}, settings={"api_keys": True}),
    Row("keys-imported-key", "POST", "/translate", translate("مرحبا", api_key=KEY), 200,
        {"translatedText": str}, settings={"api_keys": True}),
    Row("keys-required-by-origin", "POST", "/translate",
        {**translate("مرحبا"), "headers": {"Origin": "https://other.example"}}, 400,
        {"error": KEY_REQUIRED},
        settings={"api_keys": True, "require_api_key_origin": r"https://desk\.example"}),
    Row("keys-origin-matches", "POST", "/translate",
        {**translate("مرحبا"), "headers": {"Origin": "https://desk.example"}}, 200,
        {"translatedText": str},
        settings={"api_keys": True, "require_api_key_origin": r"https://desk\.example"}),
    Row("keys-under-attack-link", "POST", "/detect", {"json": {"q": "x"}}, 400,
        {"error": "Visit https://desk.example/keys to get an API key"},
        settings={"api_keys": True, "under_attack": True,
                  "get_api_key_link": "https://desk.example/keys"}),
    Row("keys-secret-same-origin-page", "POST", "/translate",
        {**translate("مرحبا"), "headers": {"Sec-Fetch-Site": "same-origin"}}, 200,
        {"translatedText": str}, settings={"api_keys": True, "require_api_key_secret": True}),
    Row("keys-secret-other-client", "POST", "/translate", translate("مرحبا"), 400,
        {"error": KEY_REQUIRED}, settings={"api_keys": True, "require_api_key_secret": True}),
    Row("key-char-limit", "POST", "/translate", translate("ب" * 11, api_key=SMALL_KEY), 400,
        {"error": "Invalid request: request (11) exceeds text limit (10)"},
        settings={"api_keys": True}),
    # -- 6. endpoints
    Row("spec", "GET", "/spec", {}, 200,
        lambda b: "/translate" in b["paths"] and b["swagger"] == "2.0"
        and b["info"]["title"] == "LibreTranslate"),
    Row("metrics-off", "GET", "/metrics", {}, 404, {"error": "Not Found"}),
    Row("metrics-on", "GET", "/metrics", {}, 200, None, settings={"metrics": True}),
    Row("metrics-token-missing", "GET", "/metrics", {}, 401, {"error": "Unauthorized"},
        settings={"metrics": True, "metrics_auth_token": "s3cret"}),
    Row("metrics-token", "GET", "/metrics", {"headers": {"Authorization": "Bearer s3cret"}},
        200, None, settings={"metrics": True, "metrics_auth_token": "s3cret"}),
    Row("frontend-settings", "GET", "/frontend/settings", {}, 200,
        lambda b: (b["frontendTimeout"], b["filesTranslation"], b["suggestions"], b["charLimit"])
        == (500, True, False, -1)),
    Row("frontend-settings-flags", "GET", "/frontend/settings", {}, 200,
        lambda b: (b["frontendTimeout"], b["filesTranslation"], b["suggestions"],
                   b["supportedFilesFormat"]) == (900, False, True, []),
        settings={"frontend_timeout": 900, "files_translation": False, "suggestions": True}),
    Row("frontend-settings-languages", "GET", "/frontend/settings",
        {"headers": {"Accept-Language": "ar-SA,ar;q=0.9"}}, 200,
        lambda b: b["language"] == {"source": {"code": "en", "name": "English"},
                                    "target": {"code": "ar", "name": "Arabic"}},
        settings={"frontend_language_source": "en", "frontend_language_target": "locale"}),
    # -- 7. /docs from the package
    Row("docs-offline", "GET", "/docs", {}, 200,
        None, headers={"content-type": "text/html; charset=utf-8"}),
    Row("docs-assets", "GET", "/docs/assets/swagger-ui-bundle.js", {}, 200, None),
    # -- better than LibreTranslate: JSON 404s and precise type errors
    Row("json-404", "GET", "/nowhere", {}, 404, {"error": "Not Found"}),
    Row("q-wrong-type", "POST", "/translate", translate(5), 400,
        {"error": "Invalid request: q must be a string or a list of strings"}),
]  # fmt: skip


def table_keys(tmp: Path) -> KeyStore:
    """The table's two keys (the app ignores them unless its settings turn keys on)."""
    keys = KeyStore(tmp / "keys.sqlite3")
    keys.add("imported", key=KEY)
    keys.add("small", key=SMALL_KEY, char_limit=10)
    return keys


@pytest.fixture(autouse=True)
def _isolated(home: Path) -> None:
    """An empty $TARJAMA_HOME: no default glossary or memory."""


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_conformance(make_client: MakeClient, row: Row, tmp_path: Path) -> None:
    engine = FakeEngine()
    with make_client(engine, keys=table_keys(tmp_path), **row.settings) as c:
        r = c.request(row.method, row.path, **row.request)
    assert r.status_code == row.status, r.text
    if row.body is not None:
        assert matches(row.body, r.json()), r.json()
    for name, value in row.headers.items():
        assert r.headers.get(name) == value
    if row.engine_calls is not None:
        assert len(engine.calls) == row.engine_calls


#: LibreTranslate 1.9.6's endpoints (docs/libretranslate.md), which its clients call.
ENDPOINTS = [
    ("POST", "/translate"), ("POST", "/detect"), ("GET", "/languages"),
    ("GET", "/frontend/settings"), ("GET", "/spec"), ("POST", "/suggest"),
    ("POST", "/translate_file"), ("GET", "/health"), ("GET", "/metrics"),
]  # fmt: skip


def test_every_libretranslate_endpoint_answers_in_its_own_way(make_client: MakeClient) -> None:
    """Each endpoint is served (an empty request is refused in JSON, never a 404 or 405),
    whether or not a row of the table reaches it."""
    with make_client(suggestions=True, metrics=True) as c:
        for method, path in ENDPOINTS:
            r = c.request(method, path)
            assert r.status_code not in (404, 405, 500), (method, path, r.status_code)
            if r.status_code >= 400:
                assert set(r.json()) == {"error"}, (method, path, r.text)


# -- 5. rate limits: one window per route, a list charged per item ------------------------


@pytest.fixture
def limited(make_client: MakeClient) -> Iterator[TestClient]:
    with make_client(req_limit=3) as c:
        yield c


def test_each_route_has_its_own_window(limited: TestClient) -> None:
    codes = [limited.post("/translate", **translate("مرحبا")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert limited.post("/detect", json={"q": "x"}).status_code == 200  # its own window
    r = limited.post("/translate", **translate("مرحبا"))
    assert (r.status_code, r.json()) == (429, {"error": "Slowdown: 3 per 1 minute"})


def test_a_list_costs_its_items(limited: TestClient) -> None:
    assert limited.post("/translate", **translate(["a", "b", "c"])).status_code == 200
    assert limited.post("/translate", **translate("مرحبا")).status_code == 429


def test_a_key_has_its_own_window_and_limit(make_client: MakeClient, tmp_path: Path) -> None:
    with make_client(FakeEngine(), keys=table_keys(tmp_path), req_limit=1, api_keys=True) as c:
        c.app.state.server.keys.add("fast", key="fast-key-000", req_limit=3)  # type: ignore[attr-defined]
        keyed = [c.post("/translate", **translate("x", api_key="fast-key-000")) for _ in range(4)]
        assert [r.status_code for r in keyed] == [200, 200, 200, 429]
        keyless = [c.post("/translate", **translate("x")).status_code for _ in range(2)]
        assert keyless == [200, 429]


def test_translation_cache_serves_the_same_answer(make_client: MakeClient, tmp_path: Path) -> None:
    engine = FakeEngine()
    with make_client(engine, translation_cache=("all",)) as c:
        first = c.post("/translate", **translate(["مرحبا", "شكرا"], alternatives=1))
        again = c.post("/translate", **translate(["مرحبا", "شكرا"], alternatives=1))
        other = c.post("/translate", **translate(["مرحبا", "شكرا"], alternatives=2))
    assert first.json() == again.json() and first.status_code == 200
    assert other.json() != first.json()
    assert len(engine.calls) == 2  # the repeat never reached the engine


def test_translation_cache_only_for_the_keys_named(make_client: MakeClient, tmp_path: Path) -> None:
    engine = FakeEngine()
    with make_client(
        engine, keys=table_keys(tmp_path), api_keys=True, translation_cache=(KEY,)
    ) as c:
        for _ in range(2):
            c.post("/translate", **translate("مرحبا"))
        assert len(engine.calls) == 2  # keyless: not cached
        for _ in range(2):
            c.post("/translate", **translate("مرحبا", api_key=KEY))
        assert len(engine.calls) == 3


def test_docs_load_nothing_from_elsewhere(make_client: MakeClient, tmp_path: Path) -> None:
    """#7: /docs was blank offline: it loaded Swagger UI from a CDN."""
    with make_client(url_prefix="/lt") as c:
        page = c.get("/lt/docs")
        assert page.status_code == 200
        links = [part.split('"')[0] for part in page.text.split('="')[1:]]
        assets = [u for u in links if u.startswith(("http", "/"))]
        assert assets and all(u.startswith("/lt/") for u in assets), assets
        for url in assets:
            assert c.get(url).status_code == 200, url
