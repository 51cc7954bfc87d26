"""The one assembly point: a home directory, its policy, and ready translators.

Every face (the CLI, the server, scripts) opens a :class:`Workspace` and asks it for what
it needs, so that the defaults below are decided once:

- **models**: the store in ``home/models``; a name or a model directory opens an engine;
  without a name, the pair decides (:meth:`Workspace.model_for`): the catalogue's default
  for the pair when installed, else the best installed translator for it. A helper (the
  transliteration model) never translates;
- **glossary**: a file the user names, else ``home/glossary.csv`` when it exists (the
  newsroom's spelling policy applies unless asked otherwise); the server's named
  glossaries live in ``home/glossaries/`` and are read again when they change;
- **memory**: the file the user names, else ``home/memory.sqlite`` when it exists, unless
  the user turns it off (``--no-memory``, ``"memory": false``): the CLI and the server
  alike, since the newsroom's memory, like its glossary, is its policy;
- **names**: the names check always runs; Arabic names are spelled in Latin letters by the
  character model installed as ``aren-transliteration`` when there is one, else by the
  built-in romaniser (:mod:`tarjama.text.romanize`).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from .archive import Aligner, TranslationMemory
from .document import Issue
from .engines import Engine
from .engines.characters import MODEL_NAME as TRANSLITERATION_MODEL
from .engines.characters import Transliterator
from .engines.loader import load_engine
from .errors import ConfigError, InputError, NoModelForPair
from .fidelity import Glossary, NameMatcher, check_paragraphs
from .pipeline import Translator
from .store import (
    CATALOGUE,
    DEFAULTS,
    ApiKey,
    CatalogueEntry,
    KeyStore,
    Manifest,
    ModelStore,
    default_home,
)
from .store.glossaries import NONE as NO_GLOSSARY
from .store.glossaries import GlossaryFiles
from .store.keys import (
    KeyLookup,
    LibreTranslateKeys,
    RemoteKeys,
    import_libretranslate,
    is_libretranslate_db,
)
from .store.paths import COMET, MEMORY
from .store.pull import pull
from .text import romanize
from .text.phonetic import Transliterate

__all__ = [
    "CATALOGUE",
    "DEFAULTS",
    "MAX_BEAM",
    "NO_GLOSSARY",
    "TRANSLITERATION_MODEL",
    "ApiKey",
    "CatalogueEntry",
    "KeyLookup",
    "KeyStore",
    "Manifest",
    "ModelStore",
    "Workspace",
    "complete_pair",
]

LANGUAGES = ("ar", "en")
#: The widest beam anyone may ask for, in the CLI and the server alike: each step costs
#: memory in proportion, and a beam of a million takes gigabytes before the first token.
MAX_BEAM = 16


def complete_pair(source: str | None, target: str | None) -> tuple[str, str]:
    """A pair from what the user gave: ar->en by default, the other language when one is
    given (``--target ar`` is en->ar)."""
    other = {"ar": "en", "en": "ar"}
    if source is None and target is None:
        return "ar", "en"
    if source is None:
        return other.get(target or "", "ar"), target or "en"
    return source, target or other.get(source, "en")


class Workspace:
    """A tarjama home (``$TARJAMA_HOME``) and the policy for using what it holds.

    ``transliteration_model`` overrides where the names check finds its character model
    (tests and benchmarks pass one in; otherwise the installed ``aren-transliteration``).
    """

    def __init__(self, home: str | Path, *, transliteration_model: str | Path | None = None):
        self.home = Path(home)
        self.models = ModelStore(self.home)
        self.glossary_files = GlossaryFiles(self.home)
        self._translit_dir = Path(transliteration_model) if transliteration_model else None
        self._transliterator: Transliterator | None = None
        self._transliterator_loaded = False
        self._glossaries: dict[Path, tuple[float, Glossary]] = {}
        self._lock = threading.Lock()

    @classmethod
    def open(
        cls, home: str | Path | None = None, *, transliteration_model: str | Path | None = None
    ) -> Workspace:
        """The workspace at ``home``, by default ``$TARJAMA_HOME`` (else the XDG data dir)."""
        return cls(
            home if home is not None else default_home(),
            transliteration_model=transliteration_model,
        )

    # -- the store ----------------------------------------------------------------------

    def model_for(self, source: str, target: str) -> str:
        """The installed translator for a pair: the catalogue's default for it when it is
        installed, else the installed catalogue model best for the pair, else the first
        other installed translator by name. Never a helper."""
        found = [
            m.name
            for m in self.models.manifests()
            if m.role == "translator" and (source, target) in m.pairs
        ]
        if not found:
            raise NoModelForPair(source, target, DEFAULTS.get((source, target)))

        def rank(name: str) -> tuple[int, float, str]:
            entry = CATALOGUE.get(name)
            quality = entry.quality(source, target) if entry else 0.0
            return (DEFAULTS.get((source, target)) != name, -quality, name)

        return min(found, key=rank)

    def add_model(self, directory: str | Path, name: str, **options: Any) -> Manifest:
        """Install a model directory or a transformers checkpoint, and prove it loads: a
        model that cannot load is removed again, with the reason."""
        manifest = self.models.add(directory, name, **options)
        try:
            load_engine(name, home=self.home, device="cpu")
        except Exception:
            self.models.remove(name)
            raise
        return manifest

    def engine(
        self,
        model: str | Path,
        *,
        device: str = "auto",
        beam_size: int = 4,
        compute_type: str | None = None,
        threads: int | None = None,
    ) -> Engine:
        """An installed translator by name, or a model directory, loaded as an engine.
        A helper model (transliteration) is refused: it serves the checks, not users."""
        if not 1 <= beam_size <= MAX_BEAM:
            raise ConfigError(f"beam must be between 1 and {MAX_BEAM}, not {beam_size}")
        _, manifest = self.models.resolve(model)
        if manifest.role != "translator":
            raise ConfigError(
                f"model '{manifest.name}' is a {manifest.role} ({manifest.family}: it serves "
                "the names check), not a translator"
            )
        return load_engine(
            model,
            home=self.home,
            device=device,
            beam_size=beam_size,
            compute_type=compute_type,
            threads=threads,
        )

    def pull(self, name: str, **options: Any) -> Manifest:
        """Download and install catalogue model ``name`` (the only network access)."""
        return pull(name, home=self.home, **options)

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

    # -- policy -------------------------------------------------------------------------

    def glossary(self, path: str | Path | None = None) -> Glossary | None:
        """The glossary file the user named, else the home's default one (if any)."""
        if path is not None:
            return Glossary.load(path)
        return self.named_glossary(None)

    def named_glossary(self, name: str | None) -> Glossary | None:
        """A glossary of the home by name; the default for None; none for ``"none"``.
        Each file is read once, and again when it changes."""
        path = self.glossary_files.path(name)
        if path is None:
            return None
        stamp = path.stat().st_mtime
        with self._lock:
            cached = self._glossaries.get(path)
            if cached is None or cached[0] != stamp:
                cached = (stamp, Glossary.load(path))
                self._glossaries[path] = cached
            return cached[1]

    @property
    def memory_path(self) -> Path:
        return self.home / MEMORY

    def memory(
        self, path: str | Path | None = None, *, use_home: bool | None = None
    ) -> TranslationMemory | None:
        """The translation memory to translate with, opened for the calling thread.

        ``path`` names one. Without it, ``use_home`` decides about ``home/memory.sqlite``:
        None (the default), the home's when it exists; False, none; True, the home's,
        which must exist.
        """
        if path is not None:
            return TranslationMemory.open(path)
        if use_home is False:
            return None
        if self.memory_path.is_file():
            return TranslationMemory.open(self.memory_path)
        if use_home:
            raise InputError(
                f"no translation memory at {self.memory_path}; "
                "add segments with 'tarjama memory import'"
            )
        return None

    def open_memory(self, path: str | Path | None = None) -> TranslationMemory:
        """A memory to manage (import, export, stats, search): ``path``, else the home's."""
        return TranslationMemory.open(path if path is not None else self.memory_path)

    @property
    def transliterate(self) -> Transliterate:
        """Arabic -> Latin spelling for names: the installed character model (loaded once,
        on first use), else the built-in romaniser."""
        with self._lock:
            if not self._transliterator_loaded:
                found = self._translit_dir or self.models.path(TRANSLITERATION_MODEL)
                if (found / "model.bin").is_file():
                    self._transliterator = Transliterator.load(found)
                self._transliterator_loaded = True
        return (
            self._transliterator.transliterate if self._transliterator else romanize.transliterate
        )

    def names(self, glossary: Glossary | None) -> NameMatcher:
        return NameMatcher(self.transliterate, glossary)

    def aligner(self, *, threshold: float = 0.5) -> Aligner:
        return Aligner(transliterate=self.transliterate, threshold=threshold)

    def comet_model(self) -> Path | None:
        """A local COMET checkpoint: ``$TARJAMA_COMET_MODEL``, else ``home/models/comet``."""
        env = os.environ.get("TARJAMA_COMET_MODEL")
        return Path(env) if env else self.home / COMET

    # -- translating and checking -------------------------------------------------------

    def translator(
        self,
        model: str | Path | Engine | None = None,
        *,
        source: str | None = None,
        target: str | None = None,
        glossary: Glossary | None = None,
        memory: TranslationMemory | None = None,
        digits: str | None = None,
        device: str = "auto",
        beam_size: int = 4,
    ) -> Translator:
        """A translator over ``model`` (a name, a directory or a loaded engine; by default
        the one :meth:`model_for` picks for the pair) with the glossary and memory given,
        and the home's names check."""
        if model is None:
            source, target = complete_pair(source, target)
            model = self.model_for(source, target)
        engine = (
            model
            if isinstance(model, Engine)
            else self.engine(model, device=device, beam_size=beam_size)
        )
        return Translator(
            engine,
            source=source,
            target=target,
            glossary=glossary,
            names=self.names(glossary),
            memory=memory,
            digits=digits,
        )

    def check(
        self,
        source_text: str,
        translation_text: str,
        *,
        source_lang: str = "ar",
        target_lang: str = "en",
        glossary: Glossary | None = None,
    ) -> list[Issue]:
        """Check a paragraph-aligned translation with the home's names check."""
        return check_paragraphs(
            source_text,
            translation_text,
            source_lang=source_lang,
            target_lang=target_lang,
            glossary=glossary,
            names=self.names(glossary),
        )
