"""Every flag of ``tarjama serve``: LibreTranslate 1.9.6's own (:mod:`.flags`), with
their ``LT_*`` variables, and tarjama's, with ``TARJAMA_*`` ones.

A flag wins over ``TARJAMA_*``, which wins over ``LT_*``, which wins over the default.
This module imports no web framework: the CLI builds its parser from it.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .flags import LIBRETRANSLATE, LIBRETRANSLATE_ENV, Option
from .settings import Settings

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _own(flag: str, setting: str, kind: str, help: str, env: str) -> Option:
    return Option(flag, setting, kind, help, libre=False, env=env)


TARJAMA: tuple[Option, ...] = (
    _own("--model", "models", "list", "model name or directory; repeat (all)", "TARJAMA_MODEL"),
    _own("--device", "device", "str", "cpu, cuda or auto", "TARJAMA_DEVICE"),
    _own(
        "--llm-post-edit",
        "llm_post_edit",
        "str",
        "an endpoint model edits the NMT models' drafts; kept where they pass the checks",
        "TARJAMA_LLM_POST_EDIT",
    ),
    _own("--home", "home", "path", "models, keys, glossaries", "TARJAMA_HOME"),
    _own(
        "--body-limit", "body_limit", "int", "largest body in bytes (2 MiB)", "TARJAMA_BODY_LIMIT"
    ),
    _own(
        "--body-timeout", "body_timeout", "float", "seconds to send a body", "TARJAMA_BODY_TIMEOUT"
    ),
    _own(
        "--allowed-hosts",
        "allowed_hosts",
        "list",
        "host names to answer; * any",
        "TARJAMA_ALLOWED_HOSTS",
    ),
    _own("--log-text", "log_text", "bool", "log request and translated text", "TARJAMA_LOG_TEXT"),
    _own(
        "--shutdown-timeout",
        "shutdown_timeout",
        "float",
        "seconds in flight after SIGTERM",
        "TARJAMA_SHUTDOWN_TIMEOUT",
    ),
    _own(
        "--engine-timeout",
        "engine_timeout",
        "float",
        "seconds a request waits for the model (300)",
        "TARJAMA_ENGINE_TIMEOUT",
    ),
    _own(
        "--document-timeout",
        "document_timeout",
        "float",
        "seconds a document job may take (600)",
        "TARJAMA_DOCUMENT_TIMEOUT",
    ),
    _own(
        "--result-store-mb",
        "result_store_mb",
        "int",
        "megabytes of results kept; oldest go first (1024)",
        "TARJAMA_RESULT_STORE_MB",
    ),
    _own(
        "--result-store-files",
        "result_store_files",
        "int",
        "results kept; oldest go first (1000)",
        "TARJAMA_RESULT_STORE_FILES",
    ),
    _own(
        "--evaluate-workers",
        "evaluate_workers",
        "int",
        "processes scoring /v1/evaluate",
        "TARJAMA_EVALUATE_WORKERS",
    ),
    _own(
        "--memory-readonly",
        "memory_readonly",
        "bool",
        "refuse approvals and suggestions",
        "TARJAMA_MEMORY_READONLY",
    ),
    _own(
        "--open-memory",
        "open_memory",
        "bool",
        "without keys, take memory writes (a desk on loopback)",
        "TARJAMA_OPEN_MEMORY",
    ),
    _own(
        "--translation-cache-size",
        "translation_cache_size",
        "int",
        "entries cached (10000)",
        "TARJAMA_TRANSLATION_CACHE_SIZE",
    ),
)
OPTIONS: tuple[Option, ...] = LIBRETRANSLATE + TARJAMA

#: Variables that are not flags: (setting, kind, warning).
EXTRA_ENV: dict[str, tuple[str | None, str, str | None]] = {
    **LIBRETRANSLATE_ENV,
    "TARJAMA_COALESCE": ("coalesce", "bool", None),
    "TARJAMA_BATCH_WAIT_MS": ("batch_wait_ms", "float", None),
    "TARJAMA_BATCH_TOKENS": ("batch_tokens", "int", None),
    "TARJAMA_DOCUMENT_BATCH_TOKENS": ("document_batch_tokens", "int", None),
    "TARJAMA_TUNE_ALLOCATOR": ("tune_allocator", "bool", None),
}


@dataclass
class Resolved:
    settings: Settings
    #: One line each, for the log at start.
    warnings: list[str]
    #: LT_POWERCYCLE: load everything, then exit without serving.
    powercycle: bool = False


def parse_value(kind: str, raw: str, where: str) -> Any:
    """A flag's or variable's text as its setting's type; ``where`` names it in errors."""
    text = raw.strip()
    if kind == "bool":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ConfigError(f"{where} must be true or false, not '{raw}'")
    if kind == "int":
        try:
            return int(text)
        except ValueError:
            raise ConfigError(f"{where} must be an integer, not '{raw}'") from None
    if kind == "float":
        try:
            return float(text)
        except ValueError:
            raise ConfigError(f"{where} must be a number, not '{raw}'") from None
    if kind == "list":
        return tuple(v.strip() for v in text.replace(" ", ",").split(",") if v.strip())
    if kind == "path":
        return Path(text).expanduser()
    return raw


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Every flag of the table on ``parser`` (values are parsed by :func:`resolve`)."""
    for opt in OPTIONS:
        names = [opt.flag, "-m"] if opt.flag == "--model" else [opt.flag]
        variables = [v for v in (opt.env, opt.lt_env) if v]
        hint = f"{opt.help} [{', '.join(variables)}]" if variables else opt.help
        if opt.kind == "bool":
            parser.add_argument(*names, dest=opt.dest, action="store_true", default=None, help=hint)
        elif opt.flag == "--model":
            parser.add_argument(
                *names, dest=opt.dest, action="append", metavar="NAME", default=None, help=hint
            )
        else:
            metavar = "N" if opt.kind in ("int", "float") else "VALUE"
            parser.add_argument(*names, dest=opt.dest, metavar=metavar, default=None, help=hint)


def resolve(environ: Mapping[str, str], args: argparse.Namespace | None = None) -> Resolved:
    """The settings from the defaults, ``LT_*``, ``TARJAMA_*`` and the flags in ``args``."""
    values: dict[str, Any] = {}
    warnings: list[str] = []
    for opt in OPTIONS:
        given = _given(opt, environ, args)
        if given is None:
            continue
        value = _value(opt.kind, given[0], given[1], opt.invert)
        if opt.setting is not None:
            values[opt.setting] = value
        if opt.warning and value not in (False, None, ""):
            warnings.append(opt.warning)
        if opt.check is not None and (line := opt.check(value)):
            warnings.append(line)
    for var, (opt_field, kind, warning) in EXTRA_ENV.items():
        if var in environ:
            value = _value(kind, environ[var], var, False)
            if opt_field is not None:
                values[opt_field] = value
            if warning:
                warnings.append(warning)
    prefix = values.get("url_prefix", "")
    if prefix and not prefix.startswith("/"):  # as LibreTranslate does
        values["url_prefix"] = "/" + prefix
    if values.get("url_prefix") == "/":
        values["url_prefix"] = ""
    values["load_only"] = tuple(c.lower() for c in values.get("load_only", ()))
    return Resolved(Settings(**values), warnings, powercycle="LT_POWERCYCLE" in environ)


def _given(
    opt: Option, environ: Mapping[str, str], args: argparse.Namespace | None
) -> tuple[Any, str] | None:
    """What ``opt`` was given and where: its flag, else ``TARJAMA_*``, else ``LT_*``."""
    given: tuple[Any, str] | None = None
    for var in (opt.lt_env, opt.env):  # later wins
        if var and var in environ:
            given = (environ[var], var)
    flag_value = getattr(args, opt.dest, None) if args is not None else None
    if flag_value is not None:
        given = (flag_value, opt.flag)
    return given


def _value(kind: str, raw: Any, where: str, invert: bool) -> Any:
    value = raw if isinstance(raw, (bool, list, tuple)) else parse_value(kind, raw, where)
    if isinstance(value, list):  # --model repeated; each may hold commas
        value = tuple(v for item in value for v in parse_value("list", item, where))
    return not value if invert else value


def variables() -> dict[str, str]:
    """Every variable read, with the flag or setting it stands for (for the docs' test)."""
    out: dict[str, str] = {}
    for opt in OPTIONS:
        for var in (opt.lt_env, opt.env):
            if var:
                out[var] = opt.flag
    out.update({var: spec[0] or var for var, spec in EXTRA_ENV.items()})
    return out
