"""Replays of the clients built for LibreTranslate: the exact requests each sends, and what
each reads from the answer (docs/libretranslate.md lists them, with where each comes from).

Each replay runs against a single-model server (ar->en only, the documented deployment)
and a two-model server (ar->en and en->ar), addressed as a container addresses it: by a
service name (``Host: libretranslate:5000``), the server bound to an address other than
loopback. In-process the app is built as ``tarjama serve`` builds it for such a bind;
the ``slow`` replays run a real ``tarjama serve`` bound to this machine's own network
address (or 0.0.0.0 where it has none), over the copy model; traffic stays on this machine.
"""

from __future__ import annotations

import ipaddress
import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import httpx
import pytest

from tarjama.server.hosting import checked_hosts, is_loopback, refusal
from tarjama.server.libre import MAX_ALTERNATIVES

from .. import commands
from ..fakes import FakeEngine
from ..servers import start_server, stop_server
from .conftest import MakeClient

SERVICE = "libretranslate:5000"  # a docker-compose service name, with its port

AR = "وصل الوفد إلى القاهرة اليوم"
EN = "The delegation arrived in Cairo today"

#: Mastodon's status HTML (Formatter): a mention, a hashtag, and a custom emoji shortcode
#: that TranslateStatusService wraps in ``<span translate="no">`` before sending.
MENTION = (
    '<span class="h-card" translate="no"><a href="https://news.example/@desk" '
    'class="u-url mention">@<span>desk</span></a></span>'
)
HASHTAG = (
    '<a href="https://news.example/tags/cairo" class="mention hashtag" rel="tag" '
    'translate="no">#<span>Cairo</span></a>'
)
EMOJI = '<span translate="no">:flag_eg:</span>'
CODE = "<pre><code>for i in range(3):\n    print(i)</code></pre>"


class OtherFake(FakeEngine):
    """A second model (its own name): the two-model server's en->ar."""

    name = "fake-en-ar"


@dataclass
class Deployment:
    """A server as an integration sees it: a client that sends the service-name Host,
    the pairs served, and whether a model visibly changes what it translates."""

    #: An httpx.Client or the app's TestClient (they share the API, not a type).
    http: Any
    pairs: set[tuple[str, str]]
    rewrites: bool

    def url_path(self, url: str) -> str:
        """A URL the server wrote, as a path this client can fetch (the service name only
        resolves inside the compose network)."""
        assert url.startswith(f"http://{SERVICE}/"), url
        return url.removeprefix(f"http://{SERVICE}")


def non_loopback_address() -> str:
    """This machine's own address on its network, else 0.0.0.0 (reached via 127.0.0.1).

    A UDP ``connect`` sends nothing: it only asks the kernel which source address a
    packet to a documentation address would leave from."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))
            address = str(s.getsockname()[0])
    except OSError:
        return "0.0.0.0"
    return "0.0.0.0" if ipaddress.ip_address(address).is_loopback else address


BIND = non_loopback_address()


def _app(make_client: MakeClient, *engines: FakeEngine) -> Iterator[Deployment]:
    # What `tarjama serve --host 0.0.0.0` gives the app: no Host check.
    with make_client(*engines, host=BIND, allowed_hosts=checked_hosts(BIND, None)) as c:
        c.headers["Host"] = SERVICE
        pairs = {p for e in engines for p in e.pairs}
        yield Deployment(c, pairs, rewrites=True)


def _served(home: Path, model: Path, two: bool) -> Iterator[Deployment]:
    r = commands.tarjama("models", "add", str(model), "--name", "ar-en", home=home)
    assert r.returncode == 0, r.stderr
    pairs = {("ar", "en")}
    if two:
        args = ["--name", "en-ar", "--source", "en", "--target", "ar"]
        r = commands.tarjama("models", "add", str(model), *args, home=home)
        assert r.returncode == 0, r.stderr
        pairs.add(("en", "ar"))
    proc, url = start_server(None, home, "--host", BIND, address=BIND)
    try:
        with httpx.Client(base_url=url, headers={"Host": SERVICE}, timeout=120) as http:
            yield Deployment(http, pairs, rewrites=False)
    finally:
        stop_server(proc)


@pytest.fixture(
    scope="module",
    params=[
        "app-one",
        "app-two",
        pytest.param("served-one", marks=pytest.mark.slow),
        pytest.param("served-two", marks=pytest.mark.slow),
    ],
)
def lt(
    request: pytest.FixtureRequest,
    make_client: MakeClient,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Deployment]:
    kind, size = str(request.param).split("-")
    if kind == "app":
        engines = [FakeEngine(pairs=[("ar", "en")])]
        if size == "two":
            engines.append(OtherFake(pairs=[("en", "ar")]))
        yield from _app(make_client, *engines)
    else:
        model: Path = request.getfixturevalue("copy_model_dir")
        yield from _served(tmp_path_factory.mktemp("home"), model, size == "two")


class Answer(Protocol):
    """What the replays read of an answer (httpx's, or the TestClient's)."""

    @property
    def status_code(self) -> int: ...
    @property
    def text(self) -> str: ...
    def json(self) -> Any: ...


def ok(r: Answer) -> Any:
    assert r.status_code == 200, (r.status_code, r.text)
    return r.json()


def translated(lt: Deployment, before: str, after: str) -> None:
    """The Arabic went through a model (the fake rewrites; the copy model writes it back)."""
    if lt.rewrites:
        assert after != before
    assert after.strip()


# -- Mastodon: app/lib/translation_service/libre_translate.rb, TranslateStatusService ----


def mastodon_languages(lt: Deployment) -> dict[str | None, list[str]]:
    """Mastodon's map: each code's targets without itself; nil: every target."""
    listed = ok(lt.http.get("/languages", headers={"Content-Type": "application/json"}))
    languages: dict[str | None, list[str]] = {
        x["code"]: [t for t in x["targets"] if t != x["code"]] for x in listed
    }
    languages[None] = sorted({t for ts in languages.values() if ts for t in ts})
    return languages


@pytest.mark.parametrize("status_language", ["ar", None])
def test_mastodon(lt: Deployment, status_language: str | None) -> None:
    # TranslateStatusService#permitted?: the status's language must list the target.
    assert "en" in mastodon_languages(lt)[status_language]
    content = f"<p>{MENTION} {AR} {HASHTAG} {EMOJI}</p><p>{AR}</p>"
    spoiler = "تحذير: صور من موقع الحادث"  # html_escape'd plain text
    poll = ["نعم", "لا"]
    media = "صورة الوفد &amp; المضيفين"
    q = [content, spoiler, *poll, media]
    body = {
        "q": q,
        "source": status_language or "auto",
        "target": "en",
        "format": "html",
        "api_key": None,  # Oj.dump of an unset key
    }
    data = ok(lt.http.post("/translate", content=_json(body), headers=_JSON))
    texts = data["translatedText"]
    assert isinstance(texts, list) and len(texts) == len(q)
    # What Mastodon keeps from the content: mention, hashtag and emoji, byte for byte.
    for kept in (MENTION, HASHTAG, EMOJI):
        assert texts[0].count(kept) == 1, texts[0]
    translated(lt, AR, texts[1])
    if status_language is None:
        langs = [d["language"] for d in data["detectedLanguage"]]
        assert langs == ["ar"] * len(q)
    else:
        assert "detectedLanguage" not in data  # Mastodon falls back to the status's


def test_mastodon_two_model_server_offers_english_to_arabic(lt: Deployment) -> None:
    languages = mastodon_languages(lt)
    assert ("ar" in languages["en"]) == (("en", "ar") in lt.pairs)


# -- Weblate: weblate/machinery/libretranslate.py -------------------------------------------


def test_weblate(lt: Deployment) -> None:
    codes = [x["code"] for x in ok(lt.http.get("/languages"))]
    # Weblate offers a pair when both codes are listed: en must be, with one ar->en model.
    assert {"ar", "en"} <= set(codes)
    texts = [AR, "مرحبا", "%s ملفات"]
    body = {"api_key": "", "q": texts, "source": "ar", "target": "en"}
    out = ok(lt.http.post("/translate", json=body))["translatedText"]
    assert isinstance(out, list) and len(out) == len(texts)
    for before, after in zip(texts, out, strict=True):
        translated(lt, before, after)


# -- Discourse: discourse-translator, provider/libre_translate.rb -------------------------


def test_discourse_detects_then_translates_form_bodies(lt: Deployment) -> None:
    listed = ok(lt.http.get("/languages"))
    # translate_supported?: the detected source and the site's locale are both listed.
    assert {"ar", "en"} <= {x["code"] for x in listed}
    prose = f"{AR}، وقال المتحدث باسم الوزارة إن المحادثات ستستمر حتى نهاية الأسبوع."
    raw = f"{prose}\n\n```\nprint(1)\n```"  # what Discourse detects on: the post's raw
    cooked = f"<p>{prose}</p>\n{CODE}"  # what it translates: the cooked HTML
    found = ok(lt.http.post("/detect", data={"q": raw[:5000], "api_key": ""}))
    source = found[0]["language"]
    assert source == "ar"
    form = {"q": cooked, "source": source, "target": "en", "format": "html", "api_key": ""}
    out = ok(lt.http.post("/translate", data=form))["translatedText"]
    assert isinstance(out, str)
    assert CODE in out  # a code block is never translated
    translated(lt, cooked, out)


# -- Akkoma: Pleroma.Akkoma.Translators.LibreTranslate --------------------------------------


def test_akkoma(lt: Deployment) -> None:
    languages = [{"code": x["code"], "name": x["name"]} for x in ok(lt.http.get("/languages"))]
    assert {"code": "en", "name": "English"} in languages
    body = {
        "q": f"<p>{AR} {MENTION}</p>",
        "source": "auto",
        "target": "en",
        "format": "html",
        "api_key": "",
    }
    data = ok(lt.http.post("/translate", json=body))
    # %{"translatedText" => translated, "detectedLanguage" => %{"language" => detected}}
    assert data["detectedLanguage"]["language"] == "ar"
    assert MENTION in data["translatedText"]


# -- SearXNG: searx/engines/libretranslate.py ------------------------------------------------


def test_searxng_reads_alternatives(lt: Deployment) -> None:
    body = {"q": AR, "source": "ar", "target": "en", "alternatives": 3, "api_key": "k"}
    data = ok(lt.http.post("/translate", content=_json(body), headers=_JSON))
    translated(lt, AR, data["translatedText"])
    examples = data.get("alternatives", [])
    assert isinstance(examples, list) and len(examples) <= 3
    assert data["translatedText"] not in examples
    if lt.rewrites:  # the fake offers distinct hypotheses; the copy model may not
        assert len(examples) == 3


@pytest.mark.parametrize(("asked", "given"), [(8, 8), (10**6, MAX_ALTERNATIVES)])
def test_alternatives_without_a_limit_are_not_capped_at_five(
    make_client: MakeClient, asked: int, given: int
) -> None:
    # LibreTranslate has no cap without --alternatives-limit; tarjama's bound is far above.
    with make_client() as c:
        body = {"q": AR, "source": "ar", "target": "en", "alternatives": asked}
        assert len(ok(c.post("/translate", json=body))["alternatives"]) == given


# -- GNOME Dialect: dialect/providers/modules/libretrans.py -------------------------------


def test_dialect_accepts_the_instance_and_translates(lt: Deployment) -> None:
    spec = ok(lt.http.get("/spec"))
    assert spec["info"]["title"] == "LibreTranslate"  # validate_instance
    for lang in ok(lt.http.get("/languages")):
        assert isinstance(lang["code"], str) and isinstance(lang["name"], str)
    settings = ok(lt.http.get("/frontend/settings"))
    assert settings.get("charLimit", 0) == -1
    assert settings.get("apiKeys") is False and settings.get("keyRequired") is False
    # validate_api_key: a form /detect; the first entry has a confidence.
    assert "confidence" in ok(lt.http.post("/detect", data={"q": "hello", "api_key": "x"}))[0]
    data = ok(lt.http.post("/translate", json={"q": AR, "source": "auto", "target": "en"}))
    assert data.get("detectedLanguage", {}).get("language") == "ar"
    translated(lt, AR, data["translatedText"])


# -- Crow Translate (QOnlineTranslator) and the npm `libretranslate`/`translate` packages ----


def test_crow_translate_form_with_auto(lt: Deployment) -> None:
    form = {"q": AR, "source": "auto", "target": "en"}
    data = ok(lt.http.post("/translate", data=form))
    assert data["detectedLanguage"]["language"] == "ar"
    translated(lt, AR, data["translatedText"])


def test_npm_clients(lt: Deployment) -> None:
    # npm `libretranslate`: checks both codes against /languages before it sends.
    codes = {x["code"] for x in ok(lt.http.get("/languages"))}
    assert {"ar", "en"} <= codes
    body = {"q": AR, "source": "ar", "target": "en", "format": "text", "api_key": ""}
    data = ok(lt.http.post("/translate", json=body))
    assert "error" not in data  # npm `translate` throws on an `error` field
    translated(lt, AR, data["translatedText"])


# -- Nextcloud: integration_libretranslate (text, and documents) ---------------------------


def test_nextcloud_text_and_file(lt: Deployment) -> None:
    listed = {x["code"]: x["targets"] for x in ok(lt.http.get("/languages"))}
    # Initialisation checks the configured pair: "en is not an available language" else.
    assert "en" in listed and "en" in listed["ar"]
    body = {"q": AR, "source": "ar", "target": "en", "format": "text", "api_key": ""}
    translated(lt, AR, ok(lt.http.post("/translate", json=body))["translatedText"])
    files = {"file": ("report.txt", f"{AR}\n\n{AR}\n".encode(), "text/plain")}
    form = {"source": "ar", "target": "en", "api_key": ""}
    url = ok(lt.http.post("/translate_file", data=form, files=files))["translatedFileUrl"]
    got = lt.http.get(lt.url_path(url))
    assert got.status_code == 200
    paragraphs = [p for p in got.text.split("\n\n") if p.strip()]
    assert len(paragraphs) == 2


# -- what the integrations depend on, exactly ---------------------------------------------


def test_languages_in_libretranslates_shape(lt: Deployment) -> None:
    listed = ok(lt.http.get("/languages"))
    expected = [
        {"code": "ar", "name": "Arabic", "targets": ["ar", "en"]},
        {
            "code": "en",
            "name": "English",
            "targets": ["ar", "en"] if ("en", "ar") in lt.pairs else ["en"],
        },
    ]
    assert listed == expected


def test_each_language_translates_to_itself_unchanged(lt: Deployment) -> None:
    for code, text in (("ar", AR), ("en", EN)):
        body = {"q": text, "source": code, "target": code}
        assert ok(lt.http.post("/translate", json=body)) == {"translatedText": text}


def test_a_pair_not_listed_is_refused(lt: Deployment) -> None:
    r = lt.http.post("/translate", json={"q": EN, "source": "en", "target": "ar"})
    if ("en", "ar") in lt.pairs:
        assert r.status_code == 200
    else:
        assert r.status_code == 400
        assert r.json() == {
            "error": "Arabic (ar) is not available as a target language from English (en)"
        }


def test_frontend_settings_as_libretranslate_gives_them(lt: Deployment) -> None:
    settings = ok(lt.http.get("/frontend/settings"))
    libre = {
        "charLimit",
        "frontendTimeout",
        "apiKeys",
        "keyRequired",
        "suggestions",
        "filesTranslation",
        "supportedFilesFormat",
        "language",
    }
    assert set(settings) - libre == {"batchLimit"}  # docs/libretranslate.md says why
    assert settings["language"] == {
        "source": {"code": "auto", "name": "Auto Detect"},
        "target": {"code": "en", "name": "English"},
    }


def test_spec_is_libretranslates_swagger(lt: Deployment) -> None:
    spec = ok(lt.http.get("/spec"))
    assert (spec["swagger"], spec["info"]["title"], spec["basePath"]) == (
        "2.0",
        "LibreTranslate",
        "/",
    )
    assert "openapi" not in spec
    libre = {"/translate", "/detect", "/languages", "/frontend/settings", "/translate_file"}
    assert libre <= set(spec["paths"])
    assert not any(p.startswith("/v1/") for p in spec["paths"])  # tarjama's own: elsewhere
    fields = {p["name"]: p for p in spec["paths"]["/translate"]["post"]["parameters"]}
    assert {"q", "source", "target", "format", "alternatives", "api_key"} <= set(fields)
    assert all(p["in"] == "formData" for p in fields.values())
    assert fields["q"]["required"] is True and fields["format"]["enum"] == ["text", "html"]
    assert ok(lt.http.get("/openapi.json"))["openapi"].startswith("3.1")


def test_spec_base_path_is_the_url_prefix(make_client: MakeClient) -> None:
    with make_client(url_prefix="/lt") as c:
        spec = ok(c.get("/lt/spec"))
    assert (spec["info"]["title"], spec["basePath"]) == ("LibreTranslate", "/lt")


# -- the Host check --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bound", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.0.2.2", False),
        ("translate.example", False),
    ],
)
def test_is_loopback(bound: str, loopback: bool) -> None:
    assert is_loopback(bound) is loopback
    assert checked_hosts(bound, None) == (() if loopback else None)
    assert checked_hosts(bound, ["a.example"]) == ("a.example",)


def _serve_app(make_client: MakeClient, bound: str, allowed: list[str] | None) -> Any:
    """The app as `tarjama serve --host BOUND [--allowed-hosts ...]` builds it."""
    return make_client(host=bound, allowed_hosts=checked_hosts(bound, allowed))


@pytest.mark.parametrize(
    ("bound", "allowed", "host", "status"),
    [
        ("0.0.0.0", None, SERVICE, 200),  # a container: any name
        ("0.0.0.0", None, "translate.example.org", 200),  # a proxy passing its name
        ("192.0.2.2", None, "translator.desk.svc.cluster.local", 200),  # Kubernetes
        ("127.0.0.1", None, SERVICE, 400),  # loopback: DNS rebinding stays refused
        ("127.0.0.1", None, "localhost:5000", 200),
        ("127.0.0.1", ["libretranslate"], SERVICE, 200),
        ("0.0.0.0", ["translate.example.org"], SERVICE, 400),  # the flag turns it on
        ("0.0.0.0", ["translate.example.org"], "translate.example.org", 200),
    ],
)
def test_host_check_follows_the_bind(
    make_client: MakeClient, bound: str, allowed: list[str] | None, host: str, status: int
) -> None:
    with _serve_app(make_client, bound, allowed) as c:
        r = c.get("/languages", headers={"Host": host})
    assert r.status_code == status
    if status == 400:
        name = host.rsplit(":", 1)[0]
        assert r.json() == {"error": refusal(name)}
        assert f"--allowed-hosts {name}" in r.json()["error"]


@pytest.mark.slow
def test_real_loopback_server_refuses_a_service_name_naming_the_flag(
    copy_model_dir: Path, tmp_path: Path
) -> None:
    proc, url = start_server(copy_model_dir, tmp_path / "home")
    try:
        r = httpx.get(f"{url}/languages", headers={"Host": SERVICE}, timeout=60)
        assert r.status_code == 400
        assert "--allowed-hosts libretranslate" in r.json()["error"]
        assert httpx.get(f"{url}/languages", timeout=60).status_code == 200
    finally:
        stop_server(proc)


_JSON = {"Content-Type": "application/json"}


def _json(body: dict[str, Any]) -> bytes:
    """A body as a Ruby or Python client serialises it (UTF-8, not ASCII-escaped)."""
    return json.dumps(body, ensure_ascii=False).encode("utf-8")
