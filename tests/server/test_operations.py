"""What a production server needs: /metrics (parsed with prometheus_client's parser), the
access log (no text unless asked), the Host check, the URL prefix, bans and fingerprints,
and the coalescer's grouping by decoding settings."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from tarjama.engines import Signature
from tarjama.server.access import BANNED, Fingerprints, Flood
from tarjama.server.coalescer import CoalescedEngine, Coalescer
from tarjama.server.hosting import host_name, refusal

from ..fakes import FakeEngine
from .conftest import MakeClient

AR = "أعلن الوزير عن الخطة. وقال إنها ستكتمل قريبا."
GLOSSARY = "ar,en\nالوزير,the Minister\n"


@pytest.fixture(autouse=True)
def _isolated(home: Path) -> None:
    """An empty $TARJAMA_HOME for each test."""


def scrape(c: TestClient, **headers: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    r = c.get("/metrics", headers=headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(r.text)
        for s in family.samples
    }


def test_metrics_are_scraped_and_parsed(make_client: MakeClient, home: Path) -> None:
    (home / "glossary.csv").parent.mkdir(parents=True, exist_ok=True)
    (home / "glossary.csv").write_text(GLOSSARY, encoding="utf-8")
    with make_client(metrics=True) as c:
        assert c.post("/translate", json={"q": ["مرحبا", "شكرا"], "source": "ar", "target": "en"})
        assert c.post("/v1/translate", json={"text": AR}).status_code == 200
        assert (
            c.post("/translate", json={"q": "x", "source": "xx", "target": "en"}).status_code == 400
        )
        seen = scrape(c)
    route = (("method", "POST"), ("route", "/translate"))
    assert seen[("tarjama_http_requests_total", (*route, ("status", "200")))] == 1
    assert seen[("tarjama_http_requests_total", (*route, ("status", "400")))] == 1
    assert seen[("tarjama_http_request_duration_seconds_count", (("route", "/translate"),))] == 2
    pair = (("api", "libretranslate"), ("source", "ar"), ("target", "en"))
    assert seen[("tarjama_translated_characters_total", pair)] == len("مرحبا") + len("شكرا")
    assert seen[("tarjama_translated_texts_total", pair)] == 2
    native = (("api", "native"), ("source", "ar"), ("target", "en"))
    assert seen[("tarjama_translated_characters_total", native)] == len(AR)
    assert seen[("tarjama_glossary_hits_total", ())] == 1  # the Minister, in sentence one
    assert seen[("tarjama_translated_sentences_total", (("origin", "model"),))] == 1
    assert seen[("tarjama_translated_sentences_total", (("origin", "model+glossary"),))] == 1
    assert seen[("tarjama_memory_hits_total", ())] == 0
    batches = seen[("tarjama_engine_batch_sentences_count", (("model", "fake"),))]
    assert batches == 2  # one engine call per request
    assert seen[("tarjama_engine_batch_sentences_sum", (("model", "fake"),))] == 4
    assert seen[("tarjama_engine_queue_depth", (("model", "fake"),))] == 0
    assert ("tarjama_http_requests_in_flight", ()) in seen


def test_fidelity_issues_are_counted_by_check(make_client: MakeClient, home: Path) -> None:
    with make_client(metrics=True) as c:
        body = {"text": "قال إن 12 شخصا حضروا.", "translation": "He said 13 people came."}
        report = c.post("/v1/check", json=body).json()
        seen = scrape(c)
    assert report["errors"] >= 1
    counted = {k[1]: v for k, v in seen.items() if k[0] == "tarjama_fidelity_issues_total"}
    expected: dict[tuple[tuple[str, str], ...], float] = {}
    for issue in report["issues"]:
        key = (("check", issue["check"]), ("severity", issue["severity"]))
        expected[key] = expected.get(key, 0) + 1
    assert counted == expected


def test_the_access_log_has_no_text_unless_asked(
    make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    for log_text in (False, True):
        caplog.clear()
        with caplog.at_level(logging.INFO, "tarjama.access"), make_client(log_text=log_text) as c:
            c.post("/translate", json={"q": "مرحبا سرّي", "source": "ar", "target": "en"})
        (line,) = [json.loads(r.getMessage()) for r in caplog.records if r.name == "tarjama.access"]
        assert (line["route"], line["status"], line["chars"]) == ("/translate", 200, 10)
        assert line["ms"] >= 0 and line["key"] is None
        assert ("مرحبا سرّي" in json.dumps(line, ensure_ascii=False)) is log_text


def test_the_access_log_names_the_key_never_the_key(
    make_client: MakeClient, caplog: pytest.LogCaptureFixture, home: Path
) -> None:
    home.mkdir(parents=True, exist_ok=True)
    with (
        caplog.at_level(logging.INFO, "tarjama.access"),
        make_client(api_keys=True, home=home) as c,
    ):
        key, _ = c.app.state.server.keys.add("newsdesk")  # type: ignore[attr-defined]
        c.post("/detect", json={"q": "مرحبا", "api_key": key})
    text = " ".join(r.getMessage() for r in caplog.records if r.name == "tarjama.access")
    assert json.loads(text)["key"] == "newsdesk" and key not in text


@pytest.mark.parametrize(
    ("host", "allowed", "status"),
    [
        ("127.0.0.1:5000", (), 200),
        ("localhost:5000", (), 200),
        ("[::1]:5000", (), 200),
        ("10.1.2.3", (), 200),  # an address: no rebinding through a name
        ("attacker.example:5000", (), 400),  # DNS rebinding: a page's own name
        ("translate.desk.example", ("translate.desk.example",), 200),
        ("a.desk.example", (".desk.example",), 200),
        ("desk.example.evil", (".desk.example",), 400),
        ("anything.example", ("*",), 200),
    ],
)
def test_host_check(
    make_client: MakeClient, host: str, allowed: tuple[str, ...], status: int
) -> None:
    with make_client(allowed_hosts=allowed) as c:
        r = c.get("/languages", headers={"Host": host})
    assert r.status_code == status
    if status == 400:
        name = host_name(host)
        assert r.json() == {"error": refusal(name)}
        assert "--allowed-hosts" in r.json()["error"]


def test_url_prefix_serves_under_it_and_redirects_the_rest(make_client: MakeClient) -> None:
    with make_client(url_prefix="/lt") as c:
        assert c.post("/lt/translate", json={"q": "مرحبا", "source": "ar", "target": "en"}).json()
        assert c.get("/lt/health").json() == {"status": "ok"}
        assert c.get("/lt/").status_code == 200  # the page
        r = c.get("/translate", follow_redirects=False)
        assert (r.status_code, r.headers["location"]) == (301, "/lt/")


def test_ssl_makes_written_urls_https(make_client: MakeClient) -> None:
    with make_client(ssl=True) as c:
        assert c.get("/docs").status_code == 200
        seen: list[str] = []
        app = c.app
        assert isinstance(app, FastAPI)

        @app.get("/_scheme")
        async def scheme(request: Request) -> dict[str, str]:
            seen.append(str(request.url_for("health")))
            return {}

        c.get("/_scheme")
    assert seen and seen[0].startswith("https://")


def test_flood_bans_then_forgives() -> None:
    now = [0.0]
    flood = Flood(2, lambda: now[0])
    flood.report("1.2.3.4")
    assert not flood.banned("1.2.3.4")
    flood.report("1.2.3.4")
    assert flood.banned("1.2.3.4") and not flood.banned("5.6.7.8")
    now[0] = 601.0  # one violation forgiven per 10 minutes
    assert not flood.banned("1.2.3.4")


def test_flood_threshold_on_the_api(make_client: MakeClient) -> None:
    with make_client(req_limit=1, req_flood_threshold=2) as c:
        body = {"q": "x"}
        codes = [c.post("/detect", json=body).status_code for _ in range(4)]
        assert codes == [200, 429, 429, 403]
        assert c.post("/detect", json=body).json() == {"error": BANNED}


def test_fingerprints() -> None:
    now = [0.0]
    seen = Fingerprints(lambda: now[0])
    assert not seen.changed("ip", "Firefox")
    assert not seen.changed("ip", "Firefox") and seen.changed("ip", "curl")
    assert seen.changed("ip2", "")  # no fingerprint at all
    now[0] = 301.0
    assert not seen.changed("ip", "curl")  # forgotten after five minutes


@pytest.mark.timing  # the three requests must meet within the 50 ms window
def test_two_requests_with_the_same_beam_share_a_batch() -> None:
    """Each request with its own beam gets its own engine view; they must still batch."""

    class Beamed(FakeEngine):
        def __init__(self, beam: int = 4) -> None:
            super().__init__()
            self.beam = beam

        @property
        def signature(self) -> Signature:
            return dataclasses.replace(super().signature, decoding=(("beam", self.beam),))

    calls: list[int] = []

    async def main() -> None:
        coalescer = Coalescer("m", wait_ms=50)
        coalescer.on_batch = lambda name, jobs, texts: calls.append(jobs)
        coalescer.start()
        try:
            views = [Beamed(2), Beamed(2), Beamed(3)]
            engines = [CoalescedEngine(v, coalescer) for v in views]
            await asyncio.gather(
                *(asyncio.to_thread(e.translate_batch, ["a"], "ar", "en") for e in engines)
            )
        finally:
            await coalescer.close()

    asyncio.run(main())
    assert sorted(calls) == [1, 2]  # beam 2 twice in one call, beam 3 alone


@pytest.fixture
def keyed(make_client: MakeClient, home: Path) -> Iterator[TestClient]:
    home.mkdir(parents=True, exist_ok=True)
    with make_client(api_keys=True, home=home, require_api_key_fingerprint=True) as c:
        yield c


def test_fingerprint_rule_on_the_api(keyed: TestClient) -> None:
    body = {"q": "x"}
    assert keyed.post("/detect", json=body, headers={"User-Agent": "desk/1"}).status_code == 200
    r = keyed.post("/detect", json=body, headers={"User-Agent": "bot/2"})
    assert r.status_code == 400  # the address changed its fingerprint: a key is needed
