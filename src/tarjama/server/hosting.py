"""Where the server is: its URL prefix, the host names it answers to, and its scheme.

- ``--url-prefix /lt``: the app is served under ``/lt``; any other path is redirected
  there (301), as LibreTranslate does.
- Host check: a page on another site can reach a server on localhost by DNS rebinding
  (its own name, resolving to the server's address), and the browser then treats the
  answers as the page's own. So a server bound to a loopback address answers only a
  ``Host`` that names it: an IP address, ``localhost``, the bound host, this machine's
  name, or a name given with ``--allowed-hosts`` (``*`` turns the check off,
  ``.example.org`` allows its subdomains). Anything else is a 400 that names the flag.
  A server bound to any other address answers any ``Host``, as LibreTranslate does: it
  is there to be reached by a docker-compose service name, a Kubernetes service or a
  proxy that passes the public name, none of which a default list could know; there
  ``--allowed-hosts`` turns the check on.
- ``--ssl``: URLs the server writes say ``https`` (TLS ends at a proxy in front).
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

from .limits import json_answer

log = logging.getLogger("tarjama.server")

WILDCARDS = {"0.0.0.0", "::", ""}


def route_path(scope: Scope) -> str:
    """The path inside the app (without the URL prefix)."""
    path: str = scope["path"]
    root = scope.get("root_path", "")
    if root and path.startswith(root):
        return path[len(root) :] or "/"
    return path


class PrefixMiddleware:
    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.prefix = prefix.rstrip("/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path.startswith(self.prefix + "/"):
            scope["root_path"] = scope.get("root_path", "") + self.prefix
            await self.app(scope, receive, send)
            return
        where = (self.prefix + "/").encode()
        await json_answer(
            send, 301, {"error": f"this server is at {self.prefix}/"}, [(b"location", where)]
        )


def is_loopback(bound: str) -> bool:
    """Whether ``--host`` is a loopback address (or ``localhost``): only this machine,
    and the pages its browser opens, can reach the server."""
    name = bound.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def checked_hosts(bound: str, allowed: Iterable[str] | None) -> tuple[str, ...] | None:
    """The names ``tarjama serve`` checks ``Host`` against; None: no check.

    ``--allowed-hosts`` given: those (besides the defaults). Else a loopback server
    checks against the defaults only, and any other server answers any ``Host``.
    """
    if allowed is not None:
        return tuple(allowed)
    return () if is_loopback(bound) else None


def default_hosts(bound: str) -> set[str]:
    # This machine's own name, as the system has it (no DNS lookup at start).
    return {"localhost", bound.lower().strip("[]"), socket.gethostname().lower()} - WILDCARDS


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def host_name(header: str) -> str:
    """``Host`` without its port, lower case (``[::1]:5000`` -> ``::1``)."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def refusal(name: str) -> str:
    return (
        f"Invalid request: this server does not answer for host '{name}' "
        f"(start it with --allowed-hosts {name or 'NAME'}, or --allowed-hosts '*')"
    )


class HostCheckMiddleware:
    def __init__(
        self, app: ASGIApp, *, bound: str, allowed: Iterable[str] | None, ssl: bool
    ) -> None:
        """``allowed`` None: no check (an app embedded elsewhere; ``tarjama serve`` checks)."""
        self.app = app
        names = {a.lower().strip() for a in allowed or () if a.strip()}
        self.any = allowed is None or "*" in names
        self.suffixes = tuple(n for n in names if n.startswith("."))
        self.names = (names - {"*"}) | default_hosts(bound)
        self.ssl = ssl
        self._warned: set[str] = set()

    def allows(self, header: str) -> bool:
        name = host_name(header)
        if self.any or name in self.names or _is_ip(name):
            return True
        return bool(self.suffixes) and any(name.endswith(s) or name == s[1:] for s in self.suffixes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.ssl:
            scope["scheme"] = "https"
        header = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), "")
        if self.allows(header):
            await self.app(scope, receive, send)
            return
        name = host_name(header)[:80]
        if name not in self._warned and len(self._warned) < 100:
            self._warned.add(name)
            log.warning("refused requests for host '%s' (add it with --allowed-hosts)", name)
        await json_answer(
            send,
            400,
            {"error": refusal(name)},
            [(b"connection", b"close")],
        )
