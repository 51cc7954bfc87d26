"""Arabic -> Latin transliteration of names with a character model, as an engine.

The model is a CTranslate2 character-level model (one token per character, one unit per
word) loaded like any other engine; :class:`Transliterator` adds what name matching needs:
float32 (int8 changes its spellings: bottin -> botten), a narrow beam, and a bounded cache,
since news vocabulary repeats. Its output is compared on
:func:`tarjama.text.phonetic.phonetic_key`.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from ..errors import CorruptModel
from .base import Engine

#: The name under which ``tarjama models add`` installs the model for the names check.
MODEL_NAME = "aren-transliteration"
#: Words kept in a transliterator's cache; news vocabulary repeats, so this covers a lot.
_CACHE_LIMIT = 100_000


class Transliterator:
    """Batch transliteration of Arabic words through a character engine.

    Request threads share one: the cache is read and written under a lock (the model runs
    outside it), and a call answers from what it read and made itself, so a ``clear()``
    by another thread at the cache's limit never leaves it an empty spelling.
    """

    def __init__(self, engine: Engine) -> None:
        if ("ar", "en") not in engine.pairs:
            raise CorruptModel(f"model '{engine.name}' does not write Arabic in Latin letters")
        self.engine = engine
        self._cache: dict[str, str] = {}
        self._lock = threading.Lock()

    @classmethod
    def load(cls, model_dir: str | Path) -> Transliterator:
        """The character model in ``model_dir`` (installed or not), on the CPU in float32."""
        from .loader import load_engine

        path = Path(model_dir)
        if not (path / "model.bin").is_file():
            raise CorruptModel(
                f"transliteration model not found in {path}; add one with "
                f"'tarjama models add DIR --name {MODEL_NAME}'"
            )
        engine = load_engine(path, device="cpu", compute_type="float32", beam_size=2)
        if engine.family != "characters":
            raise CorruptModel(f"{path} is a {engine.family} model, not a character model")
        return cls(engine)

    def transliterate(self, words: Sequence[str]) -> list[str]:
        """Latin spelling of each Arabic word (empty string for a word with no letters)."""
        wanted = list(dict.fromkeys(w for w in words if w))
        with self._lock:
            known = {w: self._cache[w] for w in wanted if w in self._cache}
        todo = [w for w in wanted if w not in known]
        if todo:
            hyps = self.engine.translate_batch(todo, "ar", "en")
            made = {w: h.text for w, h in zip(todo, hyps, strict=True)}
            with self._lock:
                if len(self._cache) + len(made) > _CACHE_LIMIT:
                    self._cache.clear()  # a long-running server must not grow without bound
                self._cache.update(made)
            known.update(made)
        return [known.get(w, "") for w in words]
