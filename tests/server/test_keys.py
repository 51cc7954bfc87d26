"""API keys (hashed in SQLite, `tarjama keys`), per-key and per-client rate limits, settings
from the environment and flags of `tarjama serve`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from tarjama.cli import main
from tarjama.errors import ConfigError, InputError
from tarjama.server import KeyStore, Registry, Settings, create_app
from tarjama.server.access import KEY_INVALID, KEY_REQUIRED
from tarjama.server.ratelimit import RateLimiter, Window

from ..fakes import FakeEngine
from ..servers import free_port
from .conftest import MakeClient

BODY = {"q": "مرحبا", "source": "ar", "target": "en"}


@pytest.fixture
def store(tmp_path: Path) -> KeyStore:
    return KeyStore.in_home(tmp_path)


def test_keys_are_stored_hashed(store: KeyStore) -> None:
    key, record = store.add("newsdesk", req_limit=30)
    assert key.startswith("tj_") and len(key) > 40
    assert store.lookup(key) == record
    assert store.lookup(key + "x") is None
    assert key.encode() not in store.path.read_bytes()
    assert [k.name for k in store.list()] == ["newsdesk"]


@pytest.mark.parametrize("how", ["id", "key"])
def test_revoke_by_id_or_key(store: KeyStore, how: str) -> None:
    key, record = store.add("a")
    other, _ = store.add("b")
    revoked = store.revoke(str(record.id) if how == "id" else key)
    assert revoked.revoked is not None
    assert store.lookup(key) is None and store.lookup(other) is not None
    with pytest.raises(InputError, match="no active key"):
        store.revoke(str(record.id))


def test_key_limit_must_be_positive(store: KeyStore) -> None:
    with pytest.raises(ConfigError):
        store.add("x", req_limit=0)


ROUTES = (("/translate", BODY), ("/detect", {"q": "x"}), ("/v1/translate", {"text": "x"}))


@pytest.mark.parametrize("api_key", [None, ""])
def test_keyless_requests_pass_at_the_default_limits(
    make_client: MakeClient, store: KeyStore, api_key: str | None
) -> None:
    """As in LibreTranslate: --api-keys makes keys count, it does not require them."""
    store.add("someone")
    with make_client(keys=store, api_keys=True) as c:
        for path, body in ROUTES:
            r = c.post(path, json={**body, "api_key": api_key} if api_key is not None else body)
            assert r.status_code == 200, r.text
        assert c.get("/frontend/settings").json()["keyRequired"] is False


def test_a_wrong_key_is_refused(make_client: MakeClient, store: KeyStore) -> None:
    store.add("someone")
    with make_client(keys=store, api_keys=True) as c:
        for path, body in ROUTES:
            r = c.post(path, json={**body, "api_key": "tj_wrong"})
            assert (r.status_code, r.json()) == (403, {"error": KEY_INVALID})
        assert c.get("/languages").status_code == 200  # metadata needs no key


def test_under_attack_a_key_is_required(make_client: MakeClient, store: KeyStore) -> None:
    key, _ = store.add("desk")
    with make_client(keys=store, api_keys=True, under_attack=True) as c:
        for path, body in ROUTES:
            r = c.post(path, json=body)  # 400, not 403: Mastodon reads 403 as a quota
            assert (r.status_code, r.json()) == (400, {"error": KEY_REQUIRED})
            assert c.post(path, json={**body, "api_key": key}).status_code == 200
        assert c.get("/frontend/settings").json()["keyRequired"] is True


def test_valid_key_revoked_while_serving(make_client: MakeClient, store: KeyStore) -> None:
    key, record = store.add("desk")
    with make_client(keys=store, api_keys=True) as c:
        assert c.post("/translate", json={**BODY, "api_key": key}).status_code == 200
        assert c.post("/translate", data={**BODY, "api_key": key}).status_code == 200
        store.revoke(str(record.id))
        r = c.post("/translate", json={**BODY, "api_key": key})
        assert (r.status_code, r.json()) == (403, {"error": KEY_INVALID})


def test_per_key_limit_overrides_the_default(make_client: MakeClient, store: KeyStore) -> None:
    slow, _ = store.add("slow", req_limit=2)
    fast, _ = store.add("fast")
    with make_client(keys=store, api_keys=True, req_limit=5) as c:
        codes = [c.post("/translate", json={**BODY, "api_key": slow}).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        r = c.post("/translate", json={**BODY, "api_key": slow})
        assert r.json() == {"error": "Slowdown: 2 per 1 minute"}
        codes = [c.post("/translate", json={**BODY, "api_key": fast}).status_code for _ in range(6)]
        assert codes == [200] * 5 + [429]


def test_client_limit_without_keys(make_client: MakeClient) -> None:
    with make_client(req_limit=3) as c:
        codes = [c.post("/detect", json={"q": "x"}).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        assert c.get("/health").status_code == 200


def test_rate_limiter_moving_window() -> None:
    now = [0.0]
    limiter = RateLimiter(clock=lambda: now[0])
    minute = [Window(2, 60.0, "1 minute")]
    assert [limiter.hit("a", "/t", minute) is None for _ in range(3)] == [True, True, False]
    assert limiter.hit("b", "/t", minute) is None  # another client has its own window
    assert limiter.hit("a", "/d", minute) is None  # and another route too
    now[0] = 59.0  # a moving window: still within the minute of the first two
    assert limiter.hit("a", "/t", minute) == minute[0]
    now[0] = 61.0
    assert [limiter.hit("a", "/t", minute) is None for _ in range(3)] == [True, True, False]
    assert limiter.hit("a", "/t", minute, cost=3) == minute[0]  # a list costs its items
    now[0] = 400.0
    limiter.hit("c", "/t", minute)
    assert len(limiter) == 1  # idle counters are forgotten


def test_rate_limiter_crossing_the_clocks_minute() -> None:
    """The last minute counts, not the clock's: 100 at 0:59 leave none at 1:00."""
    now = [59.5]
    limiter = RateLimiter(clock=lambda: now[0])
    minute = [Window(100, 60.0, "1 minute")]
    assert all(limiter.hit("a", "/t", minute) is None for _ in range(100))
    now[0] = 70.0
    assert limiter.hit("a", "/t", minute) == minute[0]
    now[0] = 120.0
    assert limiter.hit("a", "/t", minute) is None


def test_keys_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = ["keys", "--home", str(tmp_path)]
    assert main([*home, "add", "--name", "desk", "--req-limit", "10"]) == 0
    key = capsys.readouterr().out.strip()
    assert KeyStore.in_home(tmp_path).lookup(key) is not None
    assert main([*home, "list"]) == 0
    listing = capsys.readouterr().out
    assert "desk" in listing and "10/min" in listing and "active" in listing and key not in listing
    assert main([*home, "revoke", key]) == 0
    assert main([*home, "list"]) == 0
    assert "revoked" in capsys.readouterr().out
    assert main([*home, "revoke", "99"]) == 2
    assert "no active key" in capsys.readouterr().err


# -- settings ---------------------------------------------------------------------------


def test_settings_from_environment() -> None:
    s = Settings.from_env(
        {
            "TARJAMA_HOST": "0.0.0.0",
            "TARJAMA_PORT": "8080",
            "TARJAMA_MODEL": "a, b",
            "TARJAMA_API_KEYS": "yes",
            "TARJAMA_CHAR_LIMIT": "-1",
            "TARJAMA_BATCH_LIMIT": "10",
            "TARJAMA_REQ_LIMIT": "60",
            "TARJAMA_COALESCE": "0",
            "TARJAMA_BATCH_WAIT_MS": "2.5",
            "TARJAMA_HOME": "/tmp/h",
        }
    )
    assert (s.host, s.port, s.models, s.api_keys) == ("0.0.0.0", 8080, ("a", "b"), True)
    assert (s.char_limit, s.batch_limit, s.req_limit) == (-1, 10, 60)
    assert (s.coalesce, s.batch_wait_ms, s.home) == (False, 2.5, Path("/tmp/h"))
    assert Settings.from_env({}) == Settings()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TARJAMA_PORT": "http"}, "TARJAMA_PORT must be an integer, not 'http'"),
        ({"TARJAMA_API_KEYS": "maybe"}, "TARJAMA_API_KEYS must be true or false, not 'maybe'"),
        ({"TARJAMA_CHAR_LIMIT": "0"}, "char-limit must be positive or -1, not 0"),
        ({"TARJAMA_REQ_LIMIT": "-5"}, "req-limit must be positive or -1, not -5"),
        ({"TARJAMA_PORT": "70000"}, "port must be between 0 and 65535, not 70000"),
        ({"TARJAMA_BATCH_WAIT_MS": "soon"}, "TARJAMA_BATCH_WAIT_MS must be a number, not 'soon'"),
    ],
)
def test_bad_settings(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as err:
        Settings.from_env(env)
    assert str(err.value) == message


def test_serve_flags_override_environment(
    served: dict[str, Any], tiny_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    monkeypatch.setenv("TARJAMA_PORT", str(port))
    monkeypatch.setenv("TARJAMA_CHAR_LIMIT", "10")
    monkeypatch.setenv("TARJAMA_MODEL", "not-installed")
    argv = ["serve", "--model", str(tiny_model_dir), "--char-limit", "20", "--api-keys"]
    assert main([*argv, "--home", str(tmp_path)]) == 0
    assert (served["host"], served["port"]) == ("127.0.0.1", port)
    state = served["app"].state.server
    assert state.settings.char_limit == 20 and state.keys is not None
    assert [m.name for m in state.registry.models] == [tiny_model_dir.name]


def test_serve_without_models_is_a_clear_error(
    served: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--home", str(tmp_path)]) == 2
    assert "no translation models installed" in capsys.readouterr().err
    assert main(["serve", "--home", str(tmp_path), "--model", "missing"]) == 2
    assert "unknown model 'missing'" in capsys.readouterr().err
    assert not served


def test_a_port_in_use_is_exit_2_before_serving(
    served: dict[str, Any], tiny_model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        argv = ["serve", "--model", str(tiny_model_dir), "--port", str(port)]
        assert main([*argv, "--home", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in err
    assert "serving" not in err and err.count("\n") == 1
    assert not served


def test_serve_parser_lists_every_flag() -> None:
    from tarjama.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    flags = {o for a in sub.choices["serve"]._actions for o in a.option_strings}
    expected = ["--host", "--port", "--model", "--api-keys", "--char-limit", "--batch-limit"]
    assert {*expected, "--req-limit"} <= flags


def test_keys_on_without_a_store_is_a_config_error(home: Path) -> None:
    s = Settings(api_keys=True)
    with pytest.raises(ConfigError, match="no KeyStore"):
        create_app(s, Registry([FakeEngine()], s))


# -- keys brought over from LibreTranslate -----------------------------------------------


def libretranslate_db(path: Path, rows: list[tuple[str, int, int | None]]) -> Path:
    """A key database in LibreTranslate 1.9.6's schema (libretranslate/api_keys.py)."""
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute(
        'CREATE TABLE api_keys ("api_key" TEXT NOT NULL, "req_limit" INTEGER NOT NULL, '
        '"char_limit" INTEGER DEFAULT NULL, PRIMARY KEY("api_key"))'
    )
    conn.executemany("INSERT INTO api_keys VALUES (?, ?, ?)", rows)
    conn.commit()
    conn.close()
    return path


def test_the_key_store_is_owner_only(store: KeyStore) -> None:
    store.add("desk")
    assert store.path.stat().st_mode & 0o777 == 0o600


def test_keys_cli_brings_over_an_existing_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["keys", "--home", str(tmp_path), "add", "--key", "4b7e-old-lt-key"]
    assert main([*argv, "--char-limit", "500", "--req-limit", "30"]) == 0
    record = KeyStore.in_home(tmp_path).lookup("4b7e-old-lt-key")
    assert record is not None and (record.char_limit, record.req_limit) == (500, 30)
    assert main(argv) == 2
    assert "already in the store" in capsys.readouterr().err


def test_keys_import_from_libretranslate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = libretranslate_db(
        tmp_path / "api_keys.db", [("k-one-0001", 60, None), ("k-two-0002", 10, 900)]
    )
    home = ["keys", "--home", str(tmp_path / "h")]
    assert main([*home, "import", str(db)]) == 0
    assert "2 key(s) imported, 0 already present" in capsys.readouterr().err
    assert main([*home, "import", str(db)]) == 0
    assert "0 key(s) imported, 2 already present" in capsys.readouterr().err
    found = KeyStore.in_home(tmp_path / "h").lookup("k-two-0002")
    assert found is not None and (found.req_limit, found.char_limit) == (10, 900)
    assert b"k-two-0002" not in (tmp_path / "h" / "keys.sqlite3").read_bytes()  # hashed
    assert main([*home, "import", str(tmp_path / "h" / "keys.sqlite3")]) == 2
    assert "not a LibreTranslate key database" in capsys.readouterr().err


def test_the_server_reads_libretranslates_database_as_it_is(
    make_client: MakeClient, tmp_path: Path
) -> None:
    from tarjama.workspace import Workspace

    db = libretranslate_db(tmp_path / "api_keys.db", [("k-one-0001", 2, 5)])
    before = db.read_bytes()
    keys = Workspace.open(tmp_path / "h").key_source(db)
    with make_client(keys=keys, api_keys=True) as c:
        body = {**BODY, "api_key": "k-one-0001"}
        assert c.post("/translate", json=body).status_code == 200
        r = c.post("/translate", json={**body, "q": "مرحبا بكم"})  # 9 characters: over 5
        assert r.json() == {"error": "Invalid request: request (9) exceeds text limit (5)"}
        assert c.post("/translate", json=body).status_code == 429  # its own 2 per minute
        assert c.post("/translate", json={**body, "api_key": "nope-0000"}).status_code == 403
    assert db.read_bytes() == before  # never written


def test_remote_keys_as_libretranslate_asks_them(tmp_path: Path) -> None:
    import http.server
    import threading
    from urllib.parse import parse_qs

    from tarjama.errors import KeyStoreError
    from tarjama.workspace import Workspace

    asked: list[str] = []

    class Service(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
            key = form["api_key"][0]
            asked.append(key)
            good = key == "remote-good-key"
            body = {"req_limit": 7, "char_limit": 100} if good else {"error": "Invalid API key"}
            data = json.dumps(body).encode()
            self.send_response(200 if good else 403)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Service)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/check"
        keys = Workspace.open(tmp_path).key_source(remote=url)
        good = keys.lookup("remote-good-key")
        assert good is not None and (good.req_limit, good.char_limit) == (7, 100)
        assert "remote-good-key" not in good.name
        assert keys.lookup("remote-bad-key") is None
        assert keys.lookup("remote-good-key") == good
        assert asked == ["remote-good-key", "remote-bad-key"]  # the answer was kept
    finally:
        # Closed, not only stopped: an open listening socket would accept the next lookup
        # and leave it waiting out its whole timeout (60 s) instead of being refused.
        server.shutdown()
        server.server_close()
    with pytest.raises(KeyStoreError, match="did not answer"):
        keys.lookup("another-key-01")
