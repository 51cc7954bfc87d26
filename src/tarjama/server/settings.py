"""Server settings: built-in defaults, then ``LT_*`` and ``TARJAMA_*`` environment
variables, then flags (:mod:`.options` holds the table of every flag and variable).

Nothing is read at import time; ``tarjama serve`` resolves the settings once at start.
Limits follow LibreTranslate's convention: ``-1`` means no limit, and its defaults are
off. The body cap is tarjama's own, on by default, for safety (docs/libretranslate.md).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError

#: Largest request body read at all, whatever the character limits (2 MiB: about a
#: million Arabic characters, far more than any article).
BODY_LIMIT = 2 << 20


def loopback(host: str) -> bool:
    """Whether a bind address is reachable from this machine only."""
    return host in ("localhost", "::1") or host.startswith("127.")


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 5000
    #: Model names or directories to serve; empty means every installed model.
    models: tuple[str, ...] = ()
    #: Only models (and pairs) whose languages are all in this list (``--load-only``).
    load_only: tuple[str, ...] = ()
    device: str = "auto"
    #: CPU threads of each engine (``--threads``); None: every core.
    threads: int | None = None
    #: An endpoint model that edits the NMT models' drafts (``--llm-post-edit``,
    #: docs/llm.md); None or "": off.
    llm_post_edit: str | None = None
    home: Path | None = None

    # -- limits (LibreTranslate's semantics) ----------------------------------------------
    #: Characters per item of ``q`` (and per text of the native API).
    char_limit: int = -1
    #: Items per list of ``q``.
    batch_limit: int = -1
    #: Requests per minute per client (key, else address), per route; a list costs its items.
    req_limit: int = -1
    hourly_req_limit: int = -1
    hourly_req_limit_decay: int = 0
    daily_req_limit: int = -1
    #: LibreTranslate's LT_HOURLY_REQ_LIMIT_MULTIPLIER and LT_DAILY_REQ_LIMIT_MULTIPLIER:
    #: a key's per-minute limit times these is its hourly and daily limit.
    hourly_req_limit_multiplier: int = 60
    daily_req_limit_multiplier: int = 1440
    #: Rate-limit violations before an address is refused (forgiven one per 10 minutes).
    req_flood_threshold: int = -1
    #: Seconds of work that cost one request (a slow request costs more); -1: off.
    req_time_cost: int = -1
    #: Most alternatives a request may ask for (-1: tarjama's own cap, see libre.py).
    alternatives_limit: int = -1

    # -- API keys ---------------------------------------------------------------------------
    #: Look keys up (``tarjama keys add``): a key raises its client's limits.
    api_keys: bool = False
    #: The key database: tarjama's (hashed) or LibreTranslate's; default the home's.
    api_keys_db_path: Path | None = None
    #: A LibreTranslate-style remote endpoint that validates keys.
    api_keys_remote: str = ""
    get_api_key_link: str = ""
    #: Keyless requests need a key unless their Origin matches this pattern.
    require_api_key_origin: str = ""
    #: Keyless requests need a key unless they come from the server's own page.
    require_api_key_secret: bool = False
    #: Keyless requests need a key when their fingerprint changes for one address.
    require_api_key_fingerprint: bool = False
    #: Every request needs a key.
    under_attack: bool = False

    # -- features ---------------------------------------------------------------------------
    #: Accept LibreTranslate's POST /suggest into the memory (origin "suggestion").
    suggestions: bool = False
    files_translation: bool = True
    web_ui: bool = True
    metrics: bool = False
    metrics_auth_token: str = ""
    #: Cache whole /translate results for these keys, or ``all``.
    translation_cache: tuple[str, ...] = ()
    #: Entries the translation cache keeps (least recently used go first).
    translation_cache_size: int = 10_000
    url_prefix: str = ""
    #: URLs the server writes say https (a TLS proxy is in front).
    ssl: bool = False
    debug: bool = False
    frontend_language_source: str | None = None
    frontend_language_target: str | None = None
    frontend_timeout: int = 500

    # -- tarjama's own ----------------------------------------------------------------------
    #: Host names the server answers to besides its address and localhost; None: no check.
    allowed_hosts: tuple[str, ...] | None = None
    #: Log the text of requests and translations (off: news copy is confidential).
    log_text: bool = False
    body_limit: int = BODY_LIMIT
    #: Seconds a client has to send its whole body.
    body_timeout: float = 30.0
    #: Seconds in-flight requests get to finish after SIGTERM.
    shutdown_timeout: float = 30.0
    #: Processes that score /v1/evaluate requests, at low priority.
    evaluate_workers: int = 1
    #: Set glibc's allocator for a long-running server at start (serving.tune_allocator).
    tune_allocator: bool = True
    #: Coalesce concurrent requests into shared engine batches.
    coalesce: bool = True
    #: How long the first request of a batch waits for company.
    batch_wait_ms: float = 5.0
    #: Stop collecting a batch once it holds this many source tokens.
    batch_tokens: int = 4096
    #: Seconds a request waits for the engine (queue and decoding) before its 503.
    engine_timeout: float = 300.0
    #: Seconds a document job (a file, a /v1 document, a render) may take before its 503.
    document_timeout: float = 600.0
    #: Source tokens of one chunk of a document's sentences (the document lane, coalescer.py).
    document_batch_tokens: int = 1024
    #: The most megabytes and files each store of downloads and kept documents holds; the
    #: oldest go first to make room (docs/server.md).
    result_store_mb: int = 1024
    result_store_files: int = 1000
    #: Refuse every write to the translation memory (approvals and suggestions): 403.
    memory_readonly: bool = False
    #: Without keys, let anyone who reaches the server write to the memory: a single-user
    #: desk on loopback (refused with a non-loopback host unless keys are on).
    open_memory: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.port <= 65535:
            raise ConfigError(f"port must be between 0 and 65535, not {self.port}")
        for name in (
            "char_limit",
            "batch_limit",
            "req_limit",
            "hourly_req_limit",
            "daily_req_limit",
            "req_flood_threshold",
            "req_time_cost",
        ):
            value = getattr(self, name)
            if value == 0 or value < -1:
                raise ConfigError(f"{name.replace('_', '-')} must be positive or -1, not {value}")
        if self.alternatives_limit < -1:
            raise ConfigError(
                f"alternatives-limit must be -1 or more, not {self.alternatives_limit}"
            )
        for name in ("hourly_req_limit_decay",):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name.replace('_', '-')} must not be negative")
        for name in (
            "body_limit",
            "translation_cache_size",
            "evaluate_workers",
            "batch_tokens",
            "document_batch_tokens",
            "result_store_mb",
            "result_store_files",
        ):
            if getattr(self, name) < 1:
                raise ConfigError(
                    f"{name.replace('_', '-')} must be positive, not {getattr(self, name)}"
                )
        self._check_durations()
        if self.threads is not None and self.threads < 1:
            raise ConfigError(f"threads must be positive, not {self.threads}")
        if self.url_prefix and (not self.url_prefix.startswith("/") or self.url_prefix == "/"):
            raise ConfigError(f"url-prefix must look like /name, not '{self.url_prefix}'")
        self._check_open_memory()
        if self.require_api_key_origin:
            try:
                re.compile(self.require_api_key_origin)
            except re.error as exc:
                raise ConfigError(f"require-api-key-origin is not a valid pattern: {exc}") from None

    def _check_durations(self) -> None:
        for name in ("body_timeout", "shutdown_timeout", "batch_wait_ms"):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name.replace('_', '-')} must not be negative")
        # Every wait on the engine has a bound: no "0 means forever".
        for name in ("engine_timeout", "document_timeout"):
            if not getattr(self, name) > 0:
                raise ConfigError(
                    f"{name.replace('_', '-')} must be positive, not {getattr(self, name)}"
                )

    def _check_open_memory(self) -> None:
        if self.open_memory and not self.api_keys and not loopback(self.host):
            raise ConfigError(
                f"--open-memory on {self.host} would let anyone on the network decide how "
                "a sentence is translated; bind a loopback address or turn on --api-keys"
            )

    @property
    def max_body_bytes(self) -> int:
        """Largest request body read at all."""
        return self.body_limit

    @property
    def key_rules(self) -> bool:
        """Whether some rule may require a key from a keyless client."""
        return self.api_keys and bool(
            self.under_attack
            or self.require_api_key_origin
            or self.require_api_key_secret
            or self.require_api_key_fingerprint
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Defaults overridden by whichever ``LT_*`` and ``TARJAMA_*`` variables are set
        (``TARJAMA_*`` wins over ``LT_*``)."""
        from .options import resolve

        return resolve(environ).settings

    def replace(self, **changes: Any) -> Settings:
        """A copy with the given settings changed; ``None`` values are ignored."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})
