"""The serving policy: which models a server loads, which pairs each serves, and the
translator one request gets (its glossary, its memory, its beam, and with
``--llm-post-edit`` the LLM that edits its drafts).

The server holds what :meth:`Workspace.serving_plan` gives it and adds only what is
HTTP's: coalescing engine calls, limits, keys.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ..archive import TranslationMemory
from ..document import Signature
from ..engines import Engine, can_beam
from ..errors import ConfigError, InputError
from ..fidelity import Glossary
from ..pipeline import Translator
from ..pipeline.guard import GuardedEngine, PostEditEngine
from .models import MAX_BEAM

Pair = tuple[str, str]


class ServingSettings(Protocol):
    """What the plan reads of a server's settings (``tarjama.server.Settings`` has it)."""

    @property
    def models(self) -> tuple[str, ...]: ...  # names or directories; () every translator
    @property
    def load_only(self) -> tuple[str, ...]: ...  # language codes; () all
    @property
    def device(self) -> str: ...
    @property
    def threads(self) -> int | None: ...
    @property
    def llm_post_edit(self) -> str | None: ...  # an endpoint model's name; None: off


class Assembler(Protocol):
    """The workspace's way of making a translator over a loaded engine."""

    def translator(
        self,
        model: Engine,
        *,
        source: str | None = None,
        target: str | None = None,
        glossary: Glossary | None = None,
        memory: TranslationMemory | None = None,
    ) -> Translator: ...


@dataclass(frozen=True)
class TranslatorOptions:
    """What one request may choose of its translator; None keeps the model's own."""

    glossary: Glossary | None = None
    memory: TranslationMemory | None = None
    beam: int | None = None
    #: ``--llm-post-edit``: None edits where the plan does, False asks for the draft
    #: alone, True requires an edit (an error where the model has none for the pair).
    post_edit: bool | None = None


@dataclass
class PlannedModel:
    """One model a server serves: its engine, the pairs it serves (``--load-only`` may
    serve fewer than the model offers), and the translators requests get from it."""

    engine: Engine
    pairs: list[Pair]
    assembler: Assembler
    #: The same loaded model at each beam asked for, made once each.
    beams: dict[int, Engine] = field(default_factory=dict)
    #: The LLM that edits this model's drafts (``--llm-post-edit``), for the pairs of
    #: :attr:`edited_pairs`; None: not post-edited.
    editor: Engine | None = None

    @property
    def name(self) -> str:
        return self.engine.name

    @property
    def edited_pairs(self) -> list[Pair]:
        """The served pairs whose translations the LLM edits."""
        editor = self.editor
        return [p for p in self.pairs if editor is not None and p in editor.pairs]

    @property
    def signature(self) -> Signature:
        """What the model's answers depend on: the post-edit's LLM too, when it has one."""
        if self.editor is None:
            return self.engine.signature
        return PostEditEngine(self.engine, self.editor).signature

    def translator_for(
        self,
        pair: Pair,
        options: TranslatorOptions | None = None,
        *,
        through: Callable[[Engine], Engine] | None = None,
    ) -> Translator:
        """A translator for ``pair`` with the request's ``options``, the engine (at the
        beam asked for) wrapped by ``through`` (the server's coalescer), and its drafts
        edited by the LLM where the plan says so: outside the coalescer, so the model
        drafts the next batch while the LLM edits this one."""
        options = options or TranslatorOptions()
        engine = self.at_beam(options.beam)
        served = through(engine) if through else engine
        edits = pair in self.edited_pairs
        if options.post_edit and not edits:
            raise InputError(
                f"model '{self.name}' is not post-edited by an LLM for {pair[0]}->{pair[1]}"
            )
        if edits and options.post_edit is not False and self.editor is not None:
            served = PostEditEngine(served, self.editor)
        return self.assembler.translator(
            served,
            source=pair[0],
            target=pair[1],
            glossary=options.glossary,
            memory=options.memory,
        )

    def at_beam(self, beam: int | None) -> Engine:
        """The engine at ``beam`` (the same weights, loaded once); None: as loaded."""
        if beam is None:
            return self.engine
        if not 1 <= beam <= MAX_BEAM:
            raise InputError(f"beam must be between 1 and {MAX_BEAM}, not {beam}")
        found = self.beams.get(beam)
        if found is None:
            found = self.beams.setdefault(beam, with_beam(self.engine, beam))
        return found


def with_beam(engine: Engine, beam: int) -> Engine:
    """``engine`` decoding with another beam, or an InputError if its beam is fixed."""
    if not can_beam(engine):
        raise InputError(f"model '{engine.name}' has a fixed beam size")
    return engine if beam == engine.beam_size else engine.with_beam(beam)


@dataclass(frozen=True)
class ServingPlan:
    """The models a server serves, in the order given."""

    models: list[PlannedModel]


def plan_engines(
    engines: Sequence[Engine],
    load_only: Sequence[str],
    assembler: Assembler,
    editor: Engine | None = None,
) -> ServingPlan:
    """Serve loaded ``engines``, each with its pairs inside ``load_only`` (all when
    empty); an engine left with no pair is not served. With ``editor`` (an LLM), the NMT
    models with a pair it translates are served post-edited; an LLM is never post-edited,
    and an editor that edits no served model is an error."""
    if not engines:
        raise ConfigError("no models to serve")
    models = []
    for engine in engines:
        pairs = [p for p in engine.pairs if not load_only or set(p) <= set(load_only)]
        if pairs:
            edited_by = _editor_for(engine, pairs, editor)
            models.append(PlannedModel(engine, pairs, assembler, editor=edited_by))
    if not models:
        raise ConfigError(
            f"no model translates between the --load-only languages {', '.join(load_only)}"
        )
    if editor is not None and not any(m.editor is not None for m in models):
        wanted = ", ".join(f"{s}->{t}" for s, t in editor.pairs)
        why = f"no served NMT model translates a pair of '{editor.name}' ({wanted})"
        raise ConfigError(f"--llm-post-edit: {why}")
    return ServingPlan(models)


def _editor_for(engine: Engine, pairs: list[Pair], editor: Engine | None) -> Engine | None:
    """``editor`` for a served NMT model with a pair it translates; never for an LLM
    served as a model (guarded), the editor itself, or a model edited already."""
    if editor is None or not any(p in editor.pairs for p in pairs):
        return None
    llm = isinstance(engine, GuardedEngine | PostEditEngine) or engine.name == editor.name
    return None if llm else editor


def load_only(pairs: dict[str, list[Pair]], codes: Sequence[str]) -> list[str]:
    """The models (by name, with the pairs their manifests declare) that have a pair
    inside ``codes``: nothing is loaded that will not serve. A code no model knows is an
    error, as in LibreTranslate."""
    known = {code for ps in pairs.values() for p in ps for code in p}
    unknown = sorted(set(codes) - known)
    if unknown:
        raise ConfigError(
            f"--load-only: unavailable language codes {','.join(unknown)} "
            f"(the models serve {','.join(sorted(known)) or 'none'})"
        )
    kept = [n for n, ps in pairs.items() if any(set(p) <= set(codes) for p in ps)]
    if not kept:
        raise ConfigError(
            f"no model translates between the --load-only languages {','.join(codes)}"
        )
    return kept
