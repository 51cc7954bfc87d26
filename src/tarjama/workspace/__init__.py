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
  alike, since the newsroom's memory, like its glossary, is its policy. A memory is only
  created on purpose: by ``memory import``, or by the first write (an editor's approval)
  to the home's default one; the lexicon it learned aligns later imports;
- **names**: the names check always runs; Arabic names are spelled in Latin letters by the
  character model installed as ``aren-transliteration`` when there is one, else by the
  built-in romaniser (:mod:`tarjama.text.romanize`).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from ..archive import Aligner, TranslationMemory
from ..document import Issue
from ..engines import Engine
from ..engines.characters import MODEL_NAME as TRANSLITERATION_MODEL
from ..engines.characters import Transliterator
from ..engines.loader import load_engine
from ..errors import ConfigError, InputError, NoModelForPair, UnsupportedPair
from ..fidelity import Glossary, NameMatcher, check_paragraphs
from ..pipeline import Translator, default_pair
from ..store import (
    CATALOGUE,
    DEFAULTS,
    ApiKey,
    CatalogueEntry,
    KeyStore,
    Manifest,
    ModelStore,
    default_home,
)
from ..store.glossaries import NONE as NO_GLOSSARY
from ..store.glossaries import GlossaryFiles
from ..store.keys import KeyLookup
from ..store.paths import COMET, MEMORY
from ..store.pull import pull
from ..store.results import ResultStore
from ..text import romanize
from ..text.phonetic import Transliterate
from .recipe import TranslatorFactory
from .stores import HomeStores

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
    "ResultStore",
    "TranslatorFactory",
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


class Workspace(HomeStores):
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
        self._translator_model(model)
        return load_engine(
            model,
            home=self.home,
            device=device,
            beam_size=beam_size,
            compute_type=compute_type,
            threads=threads,
        )

    def _translator_model(self, model: str | Path) -> tuple[Path, Manifest]:
        directory, manifest = self.models.resolve(model)
        if manifest.role != "translator":
            raise ConfigError(
                f"model '{manifest.name}' is a {manifest.role} ({manifest.family}: it serves "
                "the names check), not a translator"
            )
        return directory, manifest

    def pull(self, name: str, **options: Any) -> Manifest:
        """Download and install catalogue model ``name`` (the only network access)."""
        return pull(name, home=self.home, **options)

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
        """The translation memory to translate with, opened for the calling thread (the
        home's is kept open for the thread's next call: a server's requests share it).

        ``path`` names one. Without it, ``use_home`` decides about ``home/memory.sqlite``:
        None (the default), the home's when it exists; False, none; True, the home's,
        which must exist.
        """
        if path is not None:
            return TranslationMemory.open(path)
        if use_home is False:
            return None
        if self.memory_path.is_file():
            return TranslationMemory.for_thread(self.memory_path)
        if use_home:
            raise InputError(
                f"no translation memory at {self.memory_path}; "
                "add segments with 'tarjama memory import'"
            )
        return None

    def open_memory(
        self, path: str | Path | None = None, *, create: bool = False
    ) -> TranslationMemory:
        """A memory to manage (import, export, stats, search, approvals): ``path``, else
        the home's. It must exist unless ``create`` is set: a named one is then created in
        its (existing) folder, the home's own in the home, made if need be."""
        if path is None:
            path = self.memory_path
        if create and Path(path).absolute() == self.memory_path.absolute():
            self._make_home()
        return TranslationMemory.open(path, create=create)

    def _make_home(self) -> None:
        try:
            self.home.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(
                f"cannot create the tarjama home {self.home}: {exc.strerror}"
            ) from exc

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

    def aligner(self, *, threshold: float = 0.5, memory: str | Path | None = None) -> Aligner:
        """The aligner, with the home's names, and the lexicon learned by the memory at
        ``memory`` (else the home's) when that memory exists."""
        path = Path(memory) if memory is not None else self.memory_path
        lexicon = None
        if path.is_file() and path.stat().st_size:  # an empty file is a memory to be
            with TranslationMemory.open(path) as tm:
                lexicon = tm.lexicon()
        return Aligner(transliterate=self.transliterate, threshold=threshold, lexicon=lexicon)

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

    # -- batch jobs ---------------------------------------------------------------------

    def batch_translators(
        self,
        model: str | Path | None = None,
        *,
        source: str | None = None,
        target: str | None = None,
        glossary: str | Path | None = None,
        memory: str | Path | None = None,
        use_home_memory: bool | None = None,
        digits: str | None = None,
        device: str = "auto",
        beam_size: int = 4,
    ) -> TranslatorFactory:
        """What a batch job translates with: a recipe each of its workers (a thread, a Ray
        actor) calls once to load its own translator, under this home's policy. What can be
        checked without loading the model is checked now (the model, the pair, the glossary),
        and paths are made absolute: on a cluster, every worker needs them."""
        if model is None:
            source, target = complete_pair(source, target)
            model = self.model_for(source, target)
        directory, manifest = self._translator_model(model)
        if source is None or target is None:
            default_source, default_target = default_pair(manifest.pairs)
            source, target = source or default_source, target or default_target
        if (source, target) not in manifest.pairs:
            raise UnsupportedPair(manifest.name, source, target, manifest.pairs)
        glossary_path = Path(glossary) if glossary is not None else self.glossary_files.path(None)
        if glossary_path is not None:
            Glossary.load(glossary_path)
        # The translate policy decides, and a missing or foreign file is refused now.
        opened = self.memory(memory, use_home=use_home_memory)
        memory_path = opened.path if opened is not None else None
        if opened is not None:
            opened.close()
        return TranslatorFactory(
            home=str(self.home.resolve()),
            model=str(directory.resolve()),
            model_id=manifest.model_id,
            source=source,
            target=target,
            glossary=str(glossary_path.resolve()) if glossary_path else None,
            memory=str(memory_path.resolve()) if memory_path else None,
            digits=digits,
            device=device,
            beam=beam_size,
            transliteration_model=str(self._translit_dir) if self._translit_dir else None,
        )
