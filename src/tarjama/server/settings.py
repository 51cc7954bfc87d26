"""Server settings: built-in defaults, then ``TARJAMA_*`` environment variables, then flags.

Nothing is read at import time; :meth:`Settings.from_env` is called by ``tarjama serve``.
Limits follow LibreTranslate's convention: ``-1`` means no limit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError

#: Environment variable for each setting (flags of ``tarjama serve`` override them).
ENV = {
    "host": "TARJAMA_HOST",
    "port": "TARJAMA_PORT",
    "models": "TARJAMA_MODEL",
    "api_keys": "TARJAMA_API_KEYS",
    "char_limit": "TARJAMA_CHAR_LIMIT",
    "batch_limit": "TARJAMA_BATCH_LIMIT",
    "req_limit": "TARJAMA_REQ_LIMIT",
    "device": "TARJAMA_DEVICE",
    "coalesce": "TARJAMA_COALESCE",
    "batch_wait_ms": "TARJAMA_BATCH_WAIT_MS",
    "batch_tokens": "TARJAMA_BATCH_TOKENS",
    "suggestions": "TARJAMA_SUGGESTIONS",
    "memory_readonly": "TARJAMA_MEMORY_READONLY",
}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 5000
    #: Model names or directories to serve; empty means every installed model.
    models: tuple[str, ...] = ()
    #: Require an API key (``tarjama keys add``) on every translation request.
    api_keys: bool = False
    #: Characters per request (all items of a list together).
    char_limit: int = 50_000
    #: Items per list of ``q``.
    batch_limit: int = 128
    #: Requests per minute per API key (or per client address without keys).
    req_limit: int = -1
    device: str = "auto"
    home: Path | None = None
    #: Coalesce concurrent requests into shared engine batches.
    coalesce: bool = True
    #: How long the first request of a batch waits for company.
    batch_wait_ms: float = 5.0
    #: Stop collecting a batch once it holds this many source tokens.
    batch_tokens: int = 4096
    #: Accept LibreTranslate's POST /suggest into the memory (origin "suggestion").
    suggestions: bool = False
    #: Refuse every write to the translation memory (approvals and suggestions): 403.
    memory_readonly: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.port <= 65535:
            raise ConfigError(f"port must be between 0 and 65535, not {self.port}")
        for name in ("char_limit", "batch_limit", "req_limit"):
            value = getattr(self, name)
            if value == 0 or value < -1:
                raise ConfigError(f"{name.replace('_', '-')} must be positive or -1, not {value}")
        if self.batch_wait_ms < 0:
            raise ConfigError(f"batch wait must not be negative, not {self.batch_wait_ms}")
        if self.batch_tokens < 1:
            raise ConfigError(f"batch tokens must be positive, not {self.batch_tokens}")

    @property
    def max_body_bytes(self) -> int:
        """Largest request body read at all: room for the character limit as JSON escapes."""
        if self.char_limit == -1:
            return 16 << 20
        # A client may send every character as a 6-byte \\uXXXX escape.
        return 8 * self.char_limit + (64 << 10)

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Defaults overridden by whichever ``TARJAMA_*`` variables are set."""
        values: dict[str, Any] = {}
        for field in dataclasses.fields(cls):
            var = ENV.get(field.name)
            if var is None or var not in environ:
                continue
            values[field.name] = _parse(field.name, var, environ[var])
        if "TARJAMA_HOME" in environ:
            values["home"] = Path(environ["TARJAMA_HOME"]).expanduser()
        return cls(**values)

    def replace(self, **changes: Any) -> Settings:
        """A copy with the given settings changed; ``None`` values are ignored."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


def _parse(name: str, var: str, raw: str) -> Any:
    default = getattr(Settings, name)
    if name == "models":
        return tuple(m for m in raw.replace(",", " ").split() if m)
    if isinstance(default, bool):
        lowered = raw.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ConfigError(f"{var} must be true or false, not '{raw}'")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"{var} must be an integer, not '{raw}'") from None
    if isinstance(default, float):
        try:
            return float(raw)
        except ValueError:
            raise ConfigError(f"{var} must be a number, not '{raw}'") from None
    return raw
