"""Checks every endpoint applies the same way: request size and languages."""

from __future__ import annotations

from .body import Fields, quoted, text_field
from .errors import bad_request
from .registry import Registry, language_name
from .settings import Settings


def over_limit(size: int, limit: int) -> str:
    return f"Invalid request: request ({size}) exceeds text limit ({limit})"


def check_batch(settings: Settings, items: list[str], is_list: bool) -> None:
    """``--batch-limit``: items in a list of ``q``."""
    if is_list and settings.batch_limit != -1 and len(items) > settings.batch_limit:
        raise bad_request(over_limit(len(items), settings.batch_limit))


def check_chars(texts: list[str], limit: int) -> None:
    """``--char-limit``: characters of each text (LibreTranslate checks each item)."""
    if limit == -1:
        return
    for text in texts:
        if len(text) > limit:
            raise bad_request(over_limit(len(text), limit))


def check_limits(settings: Settings, items: list[str], is_list: bool) -> None:
    check_batch(settings, items, is_list)
    check_chars(items, settings.char_limit)


def lang_field(fields: Fields, name: str, *, required: bool = True) -> str:
    """A language code, read in any case as LibreTranslate does (``AR`` is ``ar``)."""
    value = text_field(fields, name, required=required)
    return value.lower() if value is not None else ""


def check_language(registry: Registry, code: str, *, auto: bool = False) -> None:
    if (auto and code == "auto") or code in registry.languages():
        return
    raise bad_request(f"{quoted(code)} is not supported")


def not_available(source: str, target: str) -> str:
    return (
        f"{language_name(target)} ({target}) is not available as a target language "
        f"from {language_name(source)} ({source})"
    )
