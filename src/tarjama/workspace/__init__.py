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
  built-in romaniser (:mod:`tarjama.text.romanize`); the names the home's memory learned
  from its archive (or the named memory's) join CLDR's in the gazetteer, so a name the
  newsroom spells one way is checked against that spelling;
- **serving**: :meth:`Workspace.serving_plan` decides what a server serves
  (:mod:`.serving`); ``tarjama.Translator.load`` is :meth:`Workspace.translator` on the
  home it names, so the library keeps the same policy.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path

from .. import pipeline
from ..archive import Aligner, TranslationMemory
from ..archive.lexicon import Translation
from ..document import Issue
from ..engines import Engine
from ..engines.characters import MODEL_NAME as TRANSLITERATION_MODEL
from ..engines.characters import Transliterator
from ..errors import ConfigError, InputError, UnsupportedPair
from ..fidelity import Glossary, NameMatcher, check_paragraphs
from ..fidelity.gazetteer import Gazetteer, cldr
from ..fidelity.learned import learned_names
from ..pipeline import default_pair
from ..pipeline.guard import PostEditEngine
from ..store import ModelStore, default_home
from ..store.glossaries import GlossaryFiles
from ..store.paths import COMET, MEMORY
from ..text import romanize
from ..text.phonetic import Transliterate
from .models import MAX_BEAM, HomeModels
from .recipe import TranslatorFactory
from .serving import (
    PlannedModel,
    ServingPlan,
    ServingSettings,
    TranslatorOptions,
    load_only,
    plan_engines,
)
from .stores import HomeStores

__all__ = [
    "MAX_BEAM",
    "TRANSLITERATION_MODEL",
    "PlannedModel",
    "ServingPlan",
    "Translator",
    "TranslatorFactory",
    "TranslatorOptions",
    "Workspace",
    "complete_pair",
]

LANGUAGES = ("ar", "en")


def complete_pair(source: str | None, target: str | None) -> tuple[str, str]:
    """A pair from what the user gave: ar->en by default, the other language when one is
    given (``--target ar`` is en->ar)."""
    other = {"ar": "en", "en": "ar"}
    if source is None and target is None:
        return "ar", "en"
    if source is None:
        return other.get(target or "", "ar"), target or "en"
    return source, target or other.get(source, "en")


class Translator(pipeline.Translator):
    """The public translator (``tarjama.Translator``): the pipeline's orchestrator, as the
    workspace hands it out, with :meth:`load`. Opening a model is the workspace's policy,
    and the pipeline may not import the workspace, so ``load`` lives here."""

    @classmethod
    def load(
        cls,
        name_or_dir: str | Path,
        *,
        source: str | None = None,
        target: str | None = None,
        device: str = "auto",
        beam_size: int = 4,
        home: str | Path | None = None,
        compute_type: str | None = None,
        threads: int | None = None,
        glossary: Glossary | None = None,
        memory: TranslationMemory | None = None,
        digits: str | None = None,
    ) -> Translator:
        """An installed translator by name, or a model directory, under the policy of the
        home ``home`` (default ``$TARJAMA_HOME``): a helper model is refused, the beam is
        at most ``MAX_BEAM``, and names are spelled by the home's transliteration model.

        >>> t = Translator.load("opus-mt-ar-en")          # doctest: +SKIP
        >>> t.translate_document("...").text              # doctest: +SKIP
        """
        return Workspace.open(home).translator(
            name_or_dir,
            source=source,
            target=target,
            glossary=glossary,
            memory=memory,
            digits=digits,
            device=device,
            beam_size=beam_size,
            compute_type=compute_type,
            threads=threads,
        )


class Workspace(HomeModels, HomeStores):
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
        self._gazetteers: dict[Path, tuple[tuple[int, int], Gazetteer]] = {}
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

    # -- serving ------------------------------------------------------------------------

    def serving_plan(
        self, settings: ServingSettings, *, engines: Sequence[Engine] | None = None
    ) -> ServingPlan:
        """What a server serves: ``engines`` when given (already loaded), else the models
        the settings name, else every installed translator (a helper never serves), each
        with the pairs inside ``--load-only``. A model with no pair there is not loaded:
        its manifest says so first. With ``--llm-post-edit``, that endpoint model edits
        the NMT models' drafts for the pairs it translates (:class:`PlannedModel`)."""
        # The editor first: a bad name is refused before any model loads.
        editor = self.post_editor(settings.llm_post_edit) if settings.llm_post_edit else None
        if engines is None:
            names = list(settings.models) or self.installed_translators()
            if not names:
                raise ConfigError(
                    f"no translation models installed in {self.models_root}; add one with "
                    "'tarjama models add DIR --name NAME' or 'tarjama models pull NAME', or "
                    "pass --model DIR"
                )
            if settings.load_only:
                pairs = {n: self.models.resolve(n)[1].pairs for n in names}
                names = load_only(pairs, settings.load_only)
            engines = [
                self.engine(n, device=settings.device, threads=settings.threads) for n in names
            ]
        return plan_engines(engines, settings.load_only, self, editor)

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

    def names(self, glossary: Glossary | None, memory: str | Path | None = None) -> NameMatcher:
        """The names check: the home's transliterator, the glossary's terms and the
        gazetteer of :meth:`gazetteer`."""
        return NameMatcher(self.transliterate, glossary, self.gazetteer(memory))

    def gazetteer(self, memory: str | Path | None = None) -> Gazetteer:
        """CLDR's names, and the names the lexicon of the memory at ``memory`` (else the
        home's, when it exists) learned from the newsroom's archive. Built once per
        lexicon: again only after an import has added to it."""
        path = Path(memory) if memory is not None else self.memory_path
        if not path.is_file() or not path.stat().st_size:
            return cldr()
        tm = TranslationMemory.for_thread(path)
        stamp = (tm.lexicon_links("ar", "en"), tm.lexicon_links("en", "ar"))
        with self._lock:
            cached = self._gazetteers.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        pairs = [(ar, t.target) for ar, t in _learned(tm, "ar", "en")]
        pairs += [(t.target, en) for en, t in _learned(tm, "en", "ar")]
        gazetteer = cldr().with_pairs(learned_names(pairs, self.transliterate), "lexicon")
        with self._lock:
            self._gazetteers[path] = (stamp, gazetteer)
        return gazetteer

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
        compute_type: str | None = None,
        threads: int | None = None,
        post_edit: str | Path | None = None,
    ) -> Translator:
        """A translator over ``model`` (a name, a directory or a loaded engine; by default
        the one :meth:`model_for` picks for the pair) with the glossary and memory given,
        and the home's names check; with ``post_edit``, that endpoint model edits its
        output, kept only where the edit passes the checks (``--llm-post-edit``; an LLM
        that does not translate the pair is refused, as it would edit nothing)."""
        # The editor first: a bad name is refused before the model loads.
        editor = self.post_editor(post_edit) if post_edit is not None else None
        if model is None:
            source, target = complete_pair(source, target)
            model = self.model_for(source, target)
        engine = (
            model
            if isinstance(model, Engine)
            else self.engine(
                model,
                device=device,
                beam_size=beam_size,
                compute_type=compute_type,
                threads=threads,
            )
        )
        translator = Translator(
            PostEditEngine(engine, editor) if editor is not None else engine,
            source=source,
            target=target,
            glossary=glossary,
            names=self.names(glossary, memory.path if memory is not None else None),
            memory=memory,
            digits=digits,
        )
        pair = (translator.source, translator.target)
        if editor is not None and pair not in editor.pairs:
            raise UnsupportedPair(editor.name, *pair, editor.pairs)
        return translator

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
        post_edit: str | Path | None = None,
    ) -> TranslatorFactory:
        """What a batch job translates with: a recipe each of its workers (a thread, a Ray
        actor) calls once to load its own translator, under this home's policy. What can be
        checked without loading the model is checked now (the model, the pair, the glossary,
        the post-editing LLM and that it translates the pair), and paths are made absolute:
        on a cluster, every worker needs them."""
        if model is None:
            source, target = complete_pair(source, target)
            model = self.model_for(source, target)
        directory, manifest = self._translator_model(model)
        if source is None or target is None:
            default_source, default_target = default_pair(manifest.pairs)
            source, target = source or default_source, target or default_target
        if (source, target) not in manifest.pairs:
            raise UnsupportedPair(manifest.name, source, target, manifest.pairs)
        editor = self._batch_editor(post_edit, source, target)
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
            post_edit=editor[0] if editor else None,
            post_edit_id=editor[1] if editor else None,
        )

    def _batch_editor(
        self, post_edit: str | Path | None, source: str, target: str
    ) -> tuple[str, str] | None:
        """The post-editing LLM's directory and signature, refused now when it is no
        endpoint model or does not translate the job's pair (it would edit nothing)."""
        if post_edit is None:
            return None
        editor = self.post_editor(post_edit)
        if (source, target) not in editor.pairs:
            raise UnsupportedPair(editor.name, source, target, editor.pairs)
        directory, _ = self.models.resolve(post_edit)
        return str(directory.resolve()), editor.signature.to_text()


def _learned(tm: TranslationMemory, source: str, target: str) -> list[tuple[str, Translation]]:
    """The word translations a memory's lexicon holds for a pair, the most specific first,
    once it has learned from enough links to say anything
    (:data:`tarjama.archive.lexicon.MIN_LINKS`)."""
    lexicon = tm.lexicon(source, target)
    if not lexicon.active:
        return []
    return sorted(lexicon.table.items(), key=lambda item: -item[1].hit)
