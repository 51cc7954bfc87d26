"""Arabic -> Latin transliteration of names, and a phonetic key to compare spellings.

The transliteration model is a real character-level CTranslate2 model (by default
``../shared/models/aren-transliteration`` next to the repository, or any directory given).
It writes what it hears (بيلاوسوف -> bellausov), so spellings are compared on
:func:`phonetic_key`, which folds the differences between transliteration conventions
(bellausov ~ Belousov, darcheev ~ Darchiev).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import ctranslate2

from .errors import CorruptModel, EngineError

#: Where the repository's tests and scripts find the shared model.
SHARED_MODEL = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "models" / "aren-transliteration"
)


def default_model_dir() -> Path | None:
    """The transliteration model in ``$TARJAMA_HOME/models/aren-transliteration`` or shared/."""
    from .models import default_home

    for candidate in (default_home() / "models" / "aren-transliteration", SHARED_MODEL):
        if (candidate / "model.bin").is_file():
            return candidate.resolve()
    return None


#: Words kept in a transliterator's cache; news vocabulary repeats, so this covers a lot.
_CACHE_LIMIT = 100_000


class Transliterator:
    """Batch transliteration of Arabic words with a character model."""

    def __init__(self, translator: ctranslate2.Translator, *, beam_size: int = 2) -> None:
        self._translator = translator
        self._beam = beam_size
        self._cache: dict[str, str] = {}

    @classmethod
    def load(cls, model_dir: str | Path | None = None) -> Transliterator:
        path = Path(model_dir) if model_dir is not None else default_model_dir()
        if path is None or not (path / "model.bin").is_file():
            raise CorruptModel(
                f"transliteration model not found ({path or 'no aren-transliteration model'}); "
                "add it with 'tarjama models add DIR --name aren-transliteration'"
            )
        try:
            # float32: the model is tiny, and int8 changes its spellings (bottin -> botten).
            translator = ctranslate2.Translator(str(path), device="cpu", compute_type="float32")
        except (RuntimeError, ValueError) as exc:
            raise CorruptModel(f"cannot load transliteration model {path}: {exc}") from exc
        return cls(translator)

    def transliterate(self, words: Sequence[str]) -> list[str]:
        """Latin spelling of each Arabic word (empty string for a word with no letters)."""
        todo = list(dict.fromkeys(w for w in words if w and w not in self._cache))
        if len(self._cache) + len(todo) > _CACHE_LIMIT:
            self._cache.clear()  # a long-running server must not grow without bound
        if todo:
            try:
                results = self._translator.translate_batch(
                    [list(w) for w in todo], beam_size=self._beam, max_decoding_length=64
                )
            except (RuntimeError, ValueError) as exc:
                raise EngineError(f"transliteration failed: {exc}") from exc
            for word, result in zip(todo, results, strict=False):
                self._cache[word] = "".join(result.hypotheses[0])
        return [self._cache.get(w, "") for w in words]


_FOLDS = (
    (r"ph", "f"),
    (r"p", "b"),  # Arabic has no /p/: ب serves for both
    (r"f", "v"),
    (r"[kq]h", "k"),
    (r"gh", "g"),
    (r"[ck]", "k"),
    (r"q", "k"),
    (r"th", "t"),
    (r"dh", "d"),
    (r"sh|ch|tch|tsch", "s"),
    (r"[sz]", "s"),
    (r"[jy]", "y"),
    (r"x", "ks"),
)


@lru_cache(maxsize=65536)
def phonetic_key(word: str) -> str:
    """A coarse sound key: consonant skeleton with common spelling variants folded.

    Vowels and semi-vowels are dropped except a leading one, ``al-``/``el-`` prefixes are
    removed, and doubled letters collapse, so bellausov and Belousov share the key ``blsv``.
    """
    w = unicodedata.normalize("NFKD", word.lower())
    w = "".join(ch for ch in w if "a" <= ch <= "z")
    w = re.sub(r"^(al|el|ul)", "", w) if len(w) > 4 else w
    for pattern, repl in _FOLDS:
        w = re.sub(pattern, repl, w)
    if not w:
        return ""
    head, tail = w[0], w[1:]
    # Vowels, h and the semi-vowels w/y are written inconsistently across conventions.
    tail = re.sub(r"[aeiouhwy]", "", tail)
    key = head if head not in "aeiou" else "a"
    for ch in tail:
        if ch != key[-1]:
            key += ch
    return key
