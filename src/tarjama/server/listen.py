"""Binding the server's socket before anything else, so that a port in use is one clear
error (exit 2) instead of a log line after "serving ... on"."""

from __future__ import annotations

import socket

from ..errors import ConfigError


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (IPv6 when the host is an IPv6 address)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family, backlog=2048)
    except OSError as exc:
        why = exc.strerror or str(exc)
        raise ConfigError(f"cannot listen on {host}:{port}: {why}") from exc
