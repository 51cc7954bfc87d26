"""The memory's keyed routes and its rules: writing is an editor's act (a key, or
--open-memory on loopback), approving over errors needs force, a size cap and a write
limit, removal a tombstone that restore undoes, and the history says who did what."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tarjama.archive import TranslationMemory
from tarjama.errors import ConfigError
from tarjama.server.memory_api import MAX_PAIR_CHARS, OPEN_MEMORY_OFF, WRITES_PER_MINUTE
from tarjama.server.settings import Settings
from tarjama.server.state import KEY_REQUIRED
from tarjama.workspace.stores import KeyStore

from .conftest import MakeClient

AR = "أعلنت الوزارة خطة جديدة لتوسعة الميناء."
EN = "The ministry announced a new plan to expand the port."
BAD = "Officials gave their approval to a plan for 2040."  # a number the source lacks: an error


def _segments(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for p in doc["paragraphs"] for s in p["segments"]]


def _only_id(c: Any, text: str, side: str = "target") -> int:
    r = c.get("/v1/memory/search", params={"q": text, "side": side})
    (entry,) = r.json()["entries"]
    return int(entry["id"])


def test_without_keys_writing_needs_open_memory(make_client: MakeClient, home: Path) -> None:
    with make_client() as c:
        for method, path, body in (
            ("POST", "/v1/memory", {"source": AR, "target": EN}),
            ("PATCH", "/v1/memory/1", {"target": EN}),
            ("DELETE", "/v1/memory/1", None),
            ("POST", "/v1/memory/1/restore", None),
            ("POST", "/v1/memory/1/unapprove", None),
        ):
            r = c.request(method, path, json=body)
            assert (r.status_code, r.json()) == (403, {"error": OPEN_MEMORY_OFF}), path
        state = c.get("/v1/memory").json()
        assert (state["writable"], state["open"]) == (False, False)
    assert not (home / "memory.sqlite").exists()


def test_open_memory_is_refused_on_the_network_without_keys() -> None:
    with pytest.raises(ConfigError, match=r"--open-memory on 0\.0\.0\.0"):
        Settings(host="0.0.0.0", open_memory=True)
    assert Settings(host="0.0.0.0", open_memory=True, api_keys=True).open_memory
    assert Settings(host="::1", open_memory=True).open_memory


def test_approve_edit_remove_restore_unapprove_and_the_history(
    make_client: MakeClient, home: Path
) -> None:
    with make_client(open_memory=True) as c:
        assert c.get("/v1/memory").json()["open"] is True
        assert c.post("/v1/memory", json={"source": AR, "target": EN}).status_code == 200
        ident = _only_id(c, "MINISTRY")
        entry = c.get(f"/v1/memory/{ident}").json()
        assert (entry["source"], entry["origin"], entry["removed"]) == (AR, "editor", False)
        new = "The ministry announced a new plan to widen the port."
        r = c.patch(f"/v1/memory/{ident}", json={"target": new, "context": "wire 7"})
        assert r.status_code == 200 and (r.json()["target"], r.json()["context"]) == (new, "wire 7")
        (seg,) = _segments(c.post("/v1/translate", json={"text": AR}).json())
        assert (seg["translation"], seg["origin"]) == (new, "memory")
        assert c.delete(f"/v1/memory/{ident}").json()["removed"] is True
        (seg,) = _segments(c.post("/v1/translate", json={"text": AR}).json())
        assert seg["origin"] == "model"  # no reader sees a removed entry
        assert (
            c.get("/v1/memory/search", params={"q": "ministry", "side": "target"}).json()["entries"]
            == []
        )
        assert c.post(f"/v1/memory/{ident}/restore").json()["removed"] is False
        (seg,) = _segments(c.post("/v1/translate", json={"text": AR}).json())
        assert seg["translation"] == new
        r = c.post(f"/v1/memory/{ident}/unapprove")
        assert r.json()["origin"] == "suggestion"  # the approval made it: now only offered
        assert c.post(f"/v1/memory/{ident}/unapprove").status_code == 409
        history = c.get(f"/v1/memory/{ident}/history").json()["history"]
        assert [(h["action"], h["actor"]) for h in history] == [
            ("created", "anonymous"), ("edited", "anonymous"), ("removed", "anonymous"),
            ("restored", "anonymous"), ("unapproved", "anonymous"),
        ]  # fmt: skip
        assert history[1]["detail"]["target"] == [EN, new]


def test_approving_over_errors_needs_force_and_the_history_keeps_them(
    make_client: MakeClient, home: Path
) -> None:
    with make_client(open_memory=True) as c:
        r = c.post(
            "/v1/memory",
            json={"pairs": [{"source": AR, "target": EN}, {"source": AR, "target": BAD}]},
        )
        assert r.status_code == 409
        body = r.json()
        assert "force" in body["error"] and body["issues"]
        assert {i["pair"] for i in body["issues"]} == {1}
        assert all(i["severity"] == "error" for i in body["issues"])
        assert not (home / "memory.sqlite").exists()  # nothing written
        r = c.post("/v1/memory", json={"source": AR, "target": BAD, "force": True})
        assert r.json() == {"added": 1, "present": 0}
        ident = _only_id(c, "approval")
        (created,) = c.get(f"/v1/memory/{ident}/history").json()["history"]
        assert created["detail"]["forced"] is True
        assert [i["check"] for i in created["detail"]["overrode"]] == [
            i["check"] for i in body["issues"]
        ]
        # An edit onto an erroneous target: the same rule.
        assert c.post("/v1/memory", json={"source": AR, "target": EN}).status_code == 200
        good = _only_id(c, "ministry")
        assert c.patch(f"/v1/memory/{good}", json={"target": BAD + " x"}).status_code == 409
        r = c.patch(f"/v1/memory/{good}", json={"target": BAD + " x", "force": True})
        assert r.status_code == 200
        edited = c.get(f"/v1/memory/{good}/history").json()["history"][-1]
        assert edited["action"] == "edited" and edited["detail"]["forced"] is True


def test_size_cap_write_limit_unknown_ids_and_bad_searches(
    make_client: MakeClient, home: Path
) -> None:
    with make_client(open_memory=True) as c:
        r = c.post("/v1/memory", json={"source": AR, "target": "x" * (MAX_PAIR_CHARS + 1)})
        assert r.status_code == 413 and "4000 characters" in r.json()["error"]
        assert c.post("/v1/memory", json={"source": AR, "target": EN}).status_code == 200
        assert c.get("/v1/memory/999").json() == {"error": "no memory entry 999"}
        assert c.get("/v1/memory/999/history").status_code == 404
        r = c.get("/v1/memory/search", params={"q": "x", "mode": "regex"})
        assert r.status_code == 400 and "mode must be one of" in r.json()["error"]
        codes = [c.delete("/v1/memory/999").status_code for _ in range(WRITES_PER_MINUTE)]
        assert set(codes) <= {404, 429} and codes.count(404) >= WRITES_PER_MINUTE - 2
        r = c.delete("/v1/memory/999")
        assert r.status_code == 429 and "memory writes" in r.json()["error"]
        # Reading is not a write: it goes on.
        assert c.get("/v1/memory/search", params={"q": AR}).status_code == 200


def test_with_keys_reading_and_writing_need_a_key(make_client: MakeClient, home: Path) -> None:
    key, _ = KeyStore.in_home(home).add("lina")
    with make_client(api_keys=True) as c:
        assert c.get("/v1/memory").json()["writable"] is True
        for method, path in (("GET", "/v1/memory/1"), ("GET", "/v1/memory/1/history"),
                             ("DELETE", "/v1/memory/1")):  # fmt: skip
            r = c.request(method, path)
            assert (r.status_code, r.json()) == (403, {"error": KEY_REQUIRED})
        r = c.post("/v1/memory", json={"source": AR, "target": EN, "api_key": key})
        assert r.status_code == 200
        r = c.get("/v1/memory/search", params={"q": "ministry", "side": "target", "api_key": key})
        ident = r.json()["entries"][0]["id"]
        assert c.delete(f"/v1/memory/{ident}", params={"api_key": key}).status_code == 200
        history = c.get(f"/v1/memory/{ident}/history", params={"api_key": key}).json()
        assert [h["actor"] for h in history["history"]] == ["lina", "lina"]
    with TranslationMemory(home / "memory.sqlite") as tm:
        assert len(tm) == 0 and tm.stats().removed == 1
