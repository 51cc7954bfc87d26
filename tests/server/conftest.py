"""Fixtures of the server tests: the app in a TestClient, and `tarjama serve` stopped just
before uvicorn would listen.

``make_client(*engines, keys=None, raise_server_exceptions=True, **settings)`` builds the
app over ``engines`` (one :class:`FakeEngine` when none is given) with
``Settings(**settings)``. With ``api_keys`` on and no ``keys``, keys are looked up where
``tarjama serve`` looks them up (by default the home's key store). The client is not
entered: a test enters it with ``with`` (that runs the app's startup and shutdown), so it
can check what the shutdown left.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import pytest
from fastapi.testclient import TestClient

from tarjama.engines import Engine
from tarjama.server import Registry, Settings, create_app
from tarjama.store.keys import KeyLookup
from tarjama.workspace import Workspace

from ..fakes import FakeEngine


class MakeClient(Protocol):
    def __call__(
        self,
        *engines: Engine,
        keys: KeyLookup | None = None,
        raise_server_exceptions: bool = True,
        **settings: Any,
    ) -> TestClient: ...


def build_client(
    *engines: Engine,
    keys: KeyLookup | None = None,
    raise_server_exceptions: bool = True,
    **settings: Any,
) -> TestClient:
    s = Settings(**settings)
    if keys is None and s.api_keys:
        keys = Workspace.open(s.home).key_source(s.api_keys_db_path, remote=s.api_keys_remote)
    app = create_app(s, Registry(list(engines) or [FakeEngine()], s), keys=keys)
    return TestClient(app, raise_server_exceptions=raise_server_exceptions)


@pytest.fixture(scope="session")
def make_client() -> MakeClient:
    """The app under test in a TestClient (this module's docstring says how)."""
    return build_client


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """Runs `tarjama serve` up to the point where uvicorn would start, and records it."""
    import uvicorn

    seen: dict[str, Any] = {}

    def fake_run(server: uvicorn.Server, sockets: list[Any] | None = None) -> None:
        (sock,) = sockets or []
        host, port = sock.getsockname()[:2]
        seen.update(app=server.config.app, host=host, port=port)
        sock.close()

    monkeypatch.setattr(uvicorn.Server, "run", fake_run)
    yield seen


@contextmanager
def desk_page(browser: Any, url: str) -> Iterator[Any]:
    """The page at ``url`` in a fresh browser context, ready (its languages loaded); on
    leaving, no script error may have happened on it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda exc: errors.append(str(exc)))
    p.goto(url)
    p.wait_for_selector("#source option", state="attached")
    yield p
    context.close()
    assert errors == []  # no script error on the page
