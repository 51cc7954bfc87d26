"""``--translation-cache``: whole /translate answers, kept for the clients it names.

As in LibreTranslate, the cache is on for the keys listed, or for everyone with ``all``.
An entry is keyed by the model's signature and everything that shapes the answer (pair,
format, alternatives, the texts), so an answer is never served for another model or
setting. The cache is bounded: the least recently used entries go first. Nothing expires
by time: a loaded model does not change while the server runs.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from ..pipeline import Signature


class TranslationCache:
    def __init__(self, clients: Sequence[str], size: int) -> None:
        self.all = any(c.lower() == "all" for c in clients)
        self.keys = {c for c in clients if c.lower() != "all"}
        self.size = size
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @property
    def enabled(self) -> bool:
        return self.all or bool(self.keys)

    def applies(self, api_key: str | None) -> bool:
        """Whether a request with this key (or none) uses the cache."""
        return self.all or (api_key is not None and api_key in self.keys)

    @staticmethod
    def key(signatures: Sequence[Signature], texts: Sequence[str], **shape: Any) -> str:
        models = [s.to_json() for s in signatures]
        blob = json.dumps([models, list(texts), shape], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: str, body: bytes) -> None:
        with self._lock:
            self._entries[key] = body
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
