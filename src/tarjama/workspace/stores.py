"""The stores of a home that the faces reach through the workspace: API keys (tarjama's
own, LibreTranslate's database, a remote endpoint) and translated files awaiting
download.

This is also the one public module for the store's types that a face may name (a key, a
key store, a manifest, the catalogue): faces import them from here, never from
``tarjama.store``, and ``tarjama.workspace`` does not re-export them."""

from __future__ import annotations

from pathlib import Path

from ..errors import ConfigError
from ..store import CATALOGUE, DEFAULTS, ApiKey, CatalogueEntry, KeyStore, Manifest
from ..store.keys import (
    KeyLookup,
    LibreTranslateKeys,
    RemoteKeys,
    import_libretranslate,
    is_libretranslate_db,
)
from ..store.paths import DOCUMENTS, RESULTS
from ..store.results import DEFAULT_TTL, ResultStore

__all__ = [
    "CATALOGUE",
    "DEFAULTS",
    "ApiKey",
    "CatalogueEntry",
    "HomeStores",
    "KeyLookup",
    "KeyStore",
    "Manifest",
    "ResultStore",
]


class HomeStores:
    """Part of :class:`~tarjama.workspace.Workspace`: what it opens in ``self.home``."""

    home: Path

    def keys(self, path: str | Path | None = None) -> KeyStore:
        """The API keys to manage: the home's store, or the tarjama store at ``path``."""
        store = KeyStore(path) if path is not None else KeyStore.in_home(self.home)
        if is_libretranslate_db(store.path):
            raise ConfigError(
                f"{store.path} is LibreTranslate's key database: bring its keys over with "
                "'tarjama keys import' (the server can also read it as it is)"
            )
        return store

    def key_source(self, path: str | Path | None = None, *, remote: str = "") -> KeyLookup:
        """Where the server looks keys up: a remote endpoint, LibreTranslate's database
        read as it is, or a tarjama store (the home's by default)."""
        if remote:
            return RemoteKeys(remote)
        if path is not None and is_libretranslate_db(Path(path)):
            return LibreTranslateKeys(path)
        return self.keys(path)

    def import_keys(
        self, libretranslate_db: str | Path, path: str | Path | None = None
    ) -> tuple[int, int]:
        """Bring LibreTranslate's keys (and their limits) into a tarjama store."""
        return import_libretranslate(self.keys(path), libretranslate_db)

    def results(self, *, ttl: float = DEFAULT_TTL, **quota: int) -> ResultStore:
        """Translated files waiting for download: ``home/results``, private, expiring,
        within a quota (``max_bytes``, ``max_files``: :class:`ResultStore`)."""
        return ResultStore(self.home / RESULTS, ttl=ttl, **quota)

    def documents(self, *, ttl: float = DEFAULT_TTL, **quota: int) -> ResultStore:
        """Translated documents kept to be written again with an editor's changes
        (``home/documents``): private, expiring and within a quota like the results."""
        return ResultStore(self.home / DOCUMENTS, ttl=ttl, **quota)
