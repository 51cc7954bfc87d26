"""The HTTP API through FastAPI's test client: every endpoint, JSON and form bodies, lists,
html, detection, the native document API, and engine failures (503, never 500)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tarjama.engines.loader import load_engine
from tarjama.errors import EngineError
from tarjama.fidelity.names import NameMatcher
from tarjama.pipeline import Translator
from tarjama.server import Registry, Settings, create_app
from tarjama.server.errors import INTERNAL_ERROR
from tarjama.text import detect_script, romanize

from ..conftest import (
    ARTICLE_AR,
)
from ..fakes import FakeEngine
from .conftest import MakeClient

AR = "أعلن الوزير عن الخطة. وقال إنها ستكتمل قريبا."
EN = "The minister announced the plan. He said it would be finished soon."


@pytest.fixture(autouse=True)
def _isolated(home: Path) -> None:
    """Every test gets an empty $TARJAMA_HOME (no default glossary, no keys)."""


@pytest.fixture
def engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
def client(make_client: MakeClient, engine: FakeEngine) -> Iterator[TestClient]:
    with make_client(engine, raise_server_exceptions=False) as c:
        yield c


def library(text: str, source: str = "ar", target: str = "en") -> str:
    """What the library itself makes of ``text`` (the server must agree)."""
    engine = FakeEngine(pairs=[(source, target)])
    return Translator(engine, source=source, target=target).translate_document(text).text


def test_health_and_docs(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/translate", "/languages", "/detect", "/v1/translate", "/v1/models"):
        assert path in paths


def test_languages_come_from_the_models(client: TestClient) -> None:
    assert client.get("/languages").json() == [
        {"code": "ar", "name": "Arabic", "targets": ["ar", "en"]},
        {"code": "en", "name": "English", "targets": ["ar", "en"]},
    ]


def test_translate_json_string(client: TestClient) -> None:
    r = client.post("/translate", json={"q": AR, "source": "ar", "target": "en"})
    assert r.status_code == 200
    assert r.json() == {"translatedText": library(AR)}


def test_translate_form_body_and_crlf(client: TestClient) -> None:
    r = client.post("/translate", data={"q": AR + "\r\n" + AR, "source": "ar", "target": "en"})
    assert r.status_code == 200
    assert r.json() == {"translatedText": library(AR + "\n" + AR)}


def test_form_body_with_raw_utf8(client: TestClient) -> None:
    """What `curl -d q=...` sends: UTF-8 bytes, not %-escaped."""
    raw = f"q={AR}&source=ar&target=en".encode()
    r = client.post(
        "/translate", content=raw, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert r.json() == {"translatedText": library(AR)}


def test_translate_query_string_fields(client: TestClient) -> None:
    r = client.post("/translate", params={"q": EN, "source": "en", "target": "ar"})
    assert r.json() == {"translatedText": library(EN, "en", "ar")}


def test_a_list_goes_to_the_engine_as_one_batch(client: TestClient, engine: FakeEngine) -> None:
    items = [AR, "شكرا لكم.", "مرحبا"]
    r = client.post("/translate", json={"q": items, "source": "ar", "target": "en"})
    assert r.json() == {"translatedText": [library(t) for t in items]}
    assert len(engine.calls) == 1
    assert len(engine.calls[0]) == 4  # two sentences, then one each


def test_auto_detection_per_item(client: TestClient, engine: FakeEngine) -> None:
    r = client.post("/translate", json={"q": [AR, EN], "source": "auto", "target": "en"})
    assert r.status_code == 200  # English is already the target: given back unchanged
    assert r.json()["translatedText"] == [library(AR), EN]
    assert [d["language"] for d in r.json()["detectedLanguage"]] == ["ar", "en"]
    assert engine.calls == [[AR.split(". ")[0] + ".", AR.split(". ")[1]]]
    r = client.post("/translate", json={"q": AR, "source": "auto", "target": "en"})
    lang, confidence = detect_script(AR)
    assert r.json() == {
        "translatedText": library(AR),
        "detectedLanguage": {"confidence": round(confidence * 100, 1), "language": lang},
    }


def test_auto_list_with_two_sources_makes_one_batch_per_source(make_client: MakeClient) -> None:
    engine = FakeEngine(pairs=[("ar", "fr"), ("en", "fr")])
    with make_client(engine, raise_server_exceptions=False) as c:
        r = c.post("/translate", json={"q": [AR, EN, AR], "source": "auto", "target": "fr"})
    body = r.json()
    assert [d["language"] for d in body["detectedLanguage"]] == ["ar", "en", "ar"]
    assert body["translatedText"][0] == body["translatedText"][2] == library(AR, "ar", "fr")
    assert len(engine.calls) == 2


@pytest.mark.parametrize("n", [1, 3])
def test_alternatives(client: TestClient, n: int) -> None:
    r = client.post(
        "/translate",
        json={"q": ["مرحبا", "شكرا"], "source": "ar", "target": "en", "alternatives": n},
    )
    body = r.json()
    assert len(body["alternatives"]) == 2
    assert all(len(a) == n for a in body["alternatives"])
    single = client.post(
        "/translate", json={"q": "مرحبا", "source": "ar", "target": "en", "alternatives": n}
    ).json()
    assert single["alternatives"] == body["alternatives"][0]
    assert single["translatedText"] not in single["alternatives"]


def test_html_keeps_tags_and_translates_like_an_html_file(client: TestClient) -> None:
    html = '<p class="lead">مرحبا <b>بكم</b> &amp; شكرا</p><script>var x = "<b>";</script>'
    r = client.post(
        "/translate", json={"q": html, "source": "ar", "target": "en", "format": "html"}
    )
    out = r.json()["translatedText"]
    translator = Translator(FakeEngine(pairs=[("ar", "en")]), source="ar", target="en")
    assert out == translator.translate_file(html.encode(), "html").data.decode()
    assert out.startswith('<p class="lead">') and '<script>var x = "<b>";</script>' in out


def test_html_escapes_model_output(client: TestClient) -> None:
    # The fake engine wraps text in <...>: it must come back as text, not as a tag.
    r = client.post(
        "/translate", json={"q": "<i>مرحبا</i>", "source": "ar", "target": "en", "format": "html"}
    )
    assert r.json()["translatedText"] == "<i>&lt;مرحبا&gt;</i>"


def test_detect(client: TestClient) -> None:
    r = client.post("/detect", data={"q": AR})
    assert r.json() == [{"confidence": 100.0, "language": "ar"}]
    mixed = client.post("/detect", json={"q": "Putin بوتين"}).json()
    assert [d["language"] for d in mixed] == ["ar", "en"]
    assert sum(d["confidence"] for d in mixed) == pytest.approx(100.0)
    assert client.post("/detect", json={"q": "12 34"}).json() == [
        {"confidence": 0.0, "language": "en"}
    ]


def test_frontend_settings(client: TestClient) -> None:
    body = client.get("/frontend/settings").json()
    assert body["charLimit"] == Settings().char_limit
    assert body["keyRequired"] is False
    assert body["language"]["source"]["code"] == "auto"  # LibreTranslate's default
    assert body["language"]["target"]["code"] == "en"


def test_native_translate_passes_the_document_json_through(client: TestClient) -> None:
    text = (ARTICLE_AR).read_text(encoding="utf-8")
    r = client.post("/v1/translate", json={"text": text, "target": "en"})
    assert r.status_code == 200
    expected = Translator(FakeEngine(), source="ar", target="en").translate_document(text)
    assert r.json() == expected.to_json()
    assert all(
        "origin" in s and "issues" in s for p in r.json()["paragraphs"] for s in p["segments"]
    )


def test_native_translate_detects_source_and_picks_a_model(client: TestClient) -> None:
    body = client.post("/v1/translate", json={"text": EN, "model": "fake"}).json()
    assert (body["source"], body["target"]) == ("en", "ar")
    models = client.get("/v1/models").json()
    assert models == [
        {
            "name": "fake",
            "pairs": [["ar", "en"], ["en", "ar"]],
            "signature": FakeEngine().signature.to_json(),
        }
    ]


def test_page_is_served_with_a_strict_policy(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and 'dir="rtl"' in r.text
    assert "script-src 'self'" in r.headers["content-security-policy"]
    js = client.get("/static/app.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert "innerHTML" not in js.text and "insertAdjacentHTML" not in js.text
    assert client.get("/static/style.css").status_code == 200


@pytest.mark.parametrize(
    ("fail", "status", "message"),
    [
        (
            EngineError("model 'fake' failed to translate: out of memory"),
            503,
            "model 'fake' failed to translate: out of memory",
        ),
        (RuntimeError("a bug"), 503, INTERNAL_ERROR),
    ],
)
def test_engine_failure_is_503_never_500(
    make_client: MakeClient, fail: Exception, status: int, message: str
) -> None:
    with make_client(FakeEngine(fail=fail), raise_server_exceptions=False) as c:
        for path, body in (
            ("/translate", {"q": "مرحبا", "source": "ar", "target": "en"}),
            ("/v1/translate", {"text": "مرحبا"}),
        ):
            r = c.post(path, json=body)
            assert (r.status_code, r.json()) == (status, {"error": message})
        assert c.get("/health").status_code == 200  # the worker survived


def test_beam_needs_an_engine_that_has_one(client: TestClient) -> None:
    r = client.post("/v1/translate", json={"text": "مرحبا", "beam": 2})
    assert r.json() == {"error": "model 'fake' has a fixed beam size"}


# -- the real tiny model ----------------------------------------------------------------


@pytest.fixture(scope="module")
def real_client(
    tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    home = tmp_path_factory.mktemp("home")
    s = Settings(models=(str(tiny_model_dir),), home=home)
    with TestClient(create_app(s, Registry.load(s))) as c:
        yield c


def test_real_model_document_matches_the_library(
    real_client: TestClient, tiny_model_dir: Path
) -> None:
    text = (ARTICLE_AR).read_text(encoding="utf-8")
    body = real_client.post("/v1/translate", json={"text": text, "source": "ar"}).json()
    names = NameMatcher(romanize.transliterate)  # as by the CLI: the home's default
    engine = load_engine(tiny_model_dir)
    expected = Translator(engine, source="ar", target="en", names=names).translate_document(text)
    assert body == expected.to_json()
    assert len(body["paragraphs"]) == len(text.strip().splitlines())


def test_real_model_beam_and_alternatives(real_client: TestClient) -> None:
    body = real_client.post("/v1/translate", json={"text": "مرحبا بكم", "beam": 2}).json()
    assert body["model"]["signature"]["beam"] == 2
    r = real_client.post(
        "/translate",
        json={"q": ["مرحبا بكم", "شكرا"], "source": "ar", "target": "en", "alternatives": 2},
    )
    alts = r.json()["alternatives"]
    # As LibreTranslate: distinct alternatives, none equal to the best translation.
    assert len(alts) == 2 and all(1 <= len(a) <= 2 for a in alts)
    for best, pair in zip(r.json()["translatedText"], alts, strict=True):
        assert all(isinstance(a, str) and a and a != best for a in pair)
        assert len(set(pair)) == len(pair)
