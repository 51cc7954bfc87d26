"""LibreTranslate 1.9.6's flags and ``LT_*`` variables, as ``tarjama serve`` reads them.

Each :class:`Option` says which setting a flag fills and how its value reads; a flag that
has no meaning here fills none and names the one line it warns with. The variable of a
LibreTranslate flag is ``LT_`` and its name (``--char-limit``: ``LT_CHAR_LIMIT``), as
LibreTranslate names them. docs/libretranslate.md says the same in prose (a test checks).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

MEMORY = "memory://"


def not_memory(what: str) -> Callable[[Any], str | None]:
    """The warning for a storage URI other than memory:// (one process shares nothing)."""

    def check(value: Any) -> str | None:
        if str(value).strip() in ("", MEMORY):
            return None
        return f"{what} {value!s} is ignored: tarjama is one process, its counters in memory"

    return check


@dataclass(frozen=True)
class Option:
    flag: str
    #: The setting it fills; None: accepted and ignored with :attr:`warning`.
    setting: str | None
    #: "str", "int", "float", "bool", "list" (comma-separated), "path"
    kind: str
    help: str
    #: A LibreTranslate flag (it has an ``LT_*`` variable).
    libre: bool = True
    #: tarjama's own variable for it, if any.
    env: str | None = None
    #: A "--disable-x" flag that turns setting x off.
    invert: bool = False
    #: The line warned when the flag is used and has no meaning here.
    warning: str | None = None
    #: Like ``warning``, but decided by the value.
    check: Callable[[Any], str | None] | None = field(default=None, compare=False)

    @property
    def lt_env(self) -> str | None:
        return "LT_" + self.flag[2:].upper().replace("-", "_") if self.libre else None

    @property
    def dest(self) -> str:
        return self.flag[2:].replace("-", "_")


def _lt(flag: str, setting: str | None, kind: str, help: str, **kw: Any) -> Option:
    return Option(flag, setting, kind, help, **kw)


_PULL = "models change only with 'tarjama models pull'"

LIBRETRANSLATE: tuple[Option, ...] = (
    _lt("--host", "host", "str", "address to bind (127.0.0.1)", env="TARJAMA_HOST"),
    _lt("--port", "port", "int", "port (5000)", env="TARJAMA_PORT"),
    _lt("--load-only", "load_only", "list", "serve only these languages, e.g. ar,en"),
    _lt("--threads", "threads", "int", "CPU threads of each engine (every core)"),
    # -- limits
    _lt(
        "--char-limit",
        "char_limit",
        "int",
        "characters per text (-1: none)",
        env="TARJAMA_CHAR_LIMIT",
    ),
    _lt(
        "--batch-limit", "batch_limit", "int", "texts per list of q (-1)", env="TARJAMA_BATCH_LIMIT"
    ),
    _lt(
        "--req-limit",
        "req_limit",
        "int",
        "requests a minute per client (-1)",
        env="TARJAMA_REQ_LIMIT",
    ),
    _lt(
        "--req-limit-storage",
        None,
        "str",
        "limiter storage",
        check=not_memory("--req-limit-storage"),
    ),
    _lt("--hourly-req-limit", "hourly_req_limit", "int", "requests an hour per client (-1)"),
    _lt("--hourly-req-limit-decay", "hourly_req_limit_decay", "int", "extra hourly windows (0)"),
    _lt("--daily-req-limit", "daily_req_limit", "int", "requests a day per client (-1)"),
    _lt("--req-flood-threshold", "req_flood_threshold", "int", "violations before a ban (-1)"),
    _lt("--req-time-cost", "req_time_cost", "int", "seconds of work per request charged (-1)"),
    _lt("--alternatives-limit", "alternatives_limit", "int", "most alternatives (-1: 5)"),
    # -- keys
    _lt(
        "--api-keys",
        "api_keys",
        "bool",
        "look up API keys: a key raises limits",
        env="TARJAMA_API_KEYS",
    ),
    _lt(
        "--api-keys-db-path",
        "api_keys_db_path",
        "path",
        "key database, tarjama's or LibreTranslate's",
    ),
    _lt("--api-keys-remote", "api_keys_remote", "str", "URL that validates keys instead"),
    _lt("--get-api-key-link", "get_api_key_link", "str", "where users get a key"),
    _lt(
        "--require-api-key-origin", "require_api_key_origin", "str", "keyless only from this Origin"
    ),
    _lt("--require-api-key-secret", "require_api_key_secret", "bool", "keyless only from the page"),
    _lt("--require-api-key-fingerprint", "require_api_key_fingerprint", "bool", "keyless: same UA"),
    _lt("--under-attack", "under_attack", "bool", "every request needs a key"),
    # -- features
    _lt(
        "--suggestions",
        "suggestions",
        "bool",
        "accept suggestions (POST /suggest)",
        env="TARJAMA_SUGGESTIONS",
    ),
    _lt("--disable-files-translation", "files_translation", "bool", "no files", invert=True),
    _lt("--disable-web-ui", "web_ui", "bool", "no web page at /", invert=True),
    _lt("--metrics", "metrics", "bool", "Prometheus metrics at /metrics"),
    _lt("--metrics-auth-token", "metrics_auth_token", "str", "bearer token /metrics requires"),
    _lt("--translation-cache", "translation_cache", "list", "cache results: keys, or all"),
    _lt("--url-prefix", "url_prefix", "str", "serve under this path, e.g. /translate"),
    _lt("--ssl", "ssl", "bool", "URLs the server writes say https (TLS at the proxy)"),
    _lt("--debug", "debug", "bool", "log at debug level"),
    # -- the page's
    _lt(
        "--frontend-language-source",
        "frontend_language_source",
        "str",
        "the page's source, or auto",
    ),
    _lt("--frontend-language-target", "frontend_language_target", "str", "its target, or locale"),
    _lt("--frontend-timeout", "frontend_timeout", "int", "the page's translation delay, ms"),
    _lt(
        "--frontend-language",
        None,
        "str",
        "interface language",
        warning="--frontend-language is ignored: the page's interface is in English",
    ),
    _lt(
        "--frontend-title",
        None,
        "str",
        "page title",
        warning="--frontend-title is ignored: the page's title is fixed",
    ),
    _lt(
        "--hide-api",
        None,
        "bool",
        "hide the page's API fields",
        warning="--hide-api is ignored: the page shows no API fields",
    ),
    # -- LibreTranslate's deployment, no meaning here
    _lt(
        "--shared-storage",
        None,
        "str",
        "multi-process storage",
        check=not_memory("--shared-storage"),
    ),
    _lt(
        "--secondary",
        None,
        "bool",
        "secondary node",
        warning="--secondary is ignored: a tarjama server shares nothing with others",
    ),
    _lt(
        "--update-models",
        None,
        "bool",
        "update models at start",
        warning=f"--update-models is ignored: {_PULL}",
    ),
    _lt(
        "--force-update-models",
        None,
        "bool",
        "reinstall models at start",
        warning=f"--force-update-models is ignored: {_PULL}",
    ),
)

#: Variables LibreTranslate reads that are not flags: (setting, kind, warning).
LIBRETRANSLATE_ENV: dict[str, tuple[str | None, str, str | None]] = {
    "LT_HOURLY_REQ_LIMIT_MULTIPLIER": ("hourly_req_limit_multiplier", "int", None),
    "LT_DAILY_REQ_LIMIT_MULTIPLIER": ("daily_req_limit_multiplier", "int", None),
    "LT_POWERCYCLE": (None, "str", None),  # load everything, then exit 0 (cli/serve.py)
    "LT_WEB": (None, "str", "LT_WEB is ignored: it marks LibreTranslate's public site"),
}
