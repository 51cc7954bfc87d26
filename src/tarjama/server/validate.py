"""Checks every endpoint applies the same way: request size and languages."""

from __future__ import annotations

from .body import quoted
from .errors import bad_request
from .registry import Registry, language_name
from .settings import Settings


def over_limit(size: int, limit: int) -> str:
    return f"Invalid request: request ({size}) exceeds text limit ({limit})"


def check_limits(settings: Settings, items: list[str], is_list: bool) -> None:
    if is_list and settings.batch_limit != -1 and len(items) > settings.batch_limit:
        raise bad_request(over_limit(len(items), settings.batch_limit))
    chars = sum(len(t) for t in items)
    if settings.char_limit != -1 and chars > settings.char_limit:
        raise bad_request(over_limit(chars, settings.char_limit))


def check_language(registry: Registry, code: str, *, auto: bool = False) -> None:
    if (auto and code == "auto") or code in registry.languages():
        return
    raise bad_request(f"{quoted(code)} is not supported")


def not_available(source: str, target: str) -> str:
    return (
        f"{language_name(target)} ({target}) is not available as a target language "
        f"from {language_name(source)} ({source})"
    )
