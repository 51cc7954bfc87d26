"""The models a server holds: loaded once at start, each with its coalescer.

Requests ask for a language pair (LibreTranslate) or a model by name (native API) and get
a :class:`~tarjama.pipeline.Translator` whose engine batches through the model's coalescer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..archive import TranslationMemory
from ..errors import ConfigError, InputError
from ..fidelity import Glossary
from ..pipeline import Engine, Translator
from ..workspace import Workspace
from .coalescer import CoalescedEngine, Coalescer
from .settings import Settings

LANGUAGE_NAMES = {"ar": "Arabic", "en": "English"}
#: A sentence pair that exercises every check (names mid-sentence, numbers, scale words).
WARM_UP = {
    "ar": "وقال الرئيس بوتين أمس في موسكو إن 12 ألف شخص حضروا.",
    "en": "President Putin said in Moscow yesterday that 12,000 people came.",
}


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


@dataclass
class ServedModel:
    """One loaded model: its engine, its coalescer and a translator per language pair."""

    engine: Engine
    coalescer: Coalescer
    workspace: Workspace
    #: The pairs served (``--load-only`` may serve fewer than the model offers).
    pairs: list[tuple[str, str]] = field(default_factory=list)
    translators: dict[tuple[str, str], Translator] = field(default_factory=dict)
    #: The same loaded model at each beam asked for, made once each.
    beams: dict[int, Engine] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.engine.name

    def translator(self, source: str, target: str) -> Translator:
        """The plain translator for a pair (sentences, no glossary)."""
        return self.translators[(source, target)]

    def document_translator(
        self,
        source: str,
        target: str,
        *,
        glossary: Glossary | None,
        memory: TranslationMemory | None = None,
        beam: int | None = None,
    ) -> Translator:
        """A translator for one document request, with its glossary and, if set, its beam."""
        engine = self.engine
        if beam is not None and beam != getattr(engine, "beam_size", None):
            with_beam = getattr(engine, "with_beam", None)
            if with_beam is None:
                raise InputError(f"model '{self.name}' has a fixed beam size")
            engine = self.beams.get(beam) or self.beams.setdefault(beam, with_beam(beam))
        batched = CoalescedEngine(engine, self.coalescer)
        return self.workspace.translator(
            batched, source=source, target=target, glossary=glossary, memory=memory
        )

    def info(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "pairs": [list(p) for p in self.pairs],
            "signature": self.engine.signature,
        }


class Registry:
    """Every model the server serves, in the order they were given."""

    def __init__(
        self,
        engines: Sequence[Engine],
        settings: Settings,
        *,
        workspace: Workspace | None = None,
    ) -> None:
        if not engines:
            raise ConfigError("no models to serve")
        #: The home's policy: glossaries, the memory, the names check.
        self.workspace = workspace or Workspace.open(settings.home)
        self.models: list[ServedModel] = []
        for engine in engines:
            coalescer = Coalescer(
                engine.name,
                enabled=settings.coalesce,
                wait_ms=settings.batch_wait_ms,
                max_tokens=settings.batch_tokens,
                timeout=settings.engine_timeout,
            )
            pairs = [
                p
                for p in engine.pairs
                if not settings.load_only or set(p) <= set(settings.load_only)
            ]
            if not pairs:
                continue
            served = ServedModel(engine, coalescer, self.workspace, pairs)
            batched = CoalescedEngine(engine, coalescer)
            for source, target in pairs:
                served.translators[(source, target)] = self.workspace.translator(
                    batched, source=source, target=target
                )
            self.models.append(served)
        if not self.models:
            raise ConfigError(
                f"no model translates between the --load-only languages "
                f"{', '.join(settings.load_only)}"
            )

    @classmethod
    def load(cls, settings: Settings, workspace: Workspace | None = None) -> Registry:
        """Load the settings' models (every installed translator when none is named;
        helpers, such as the transliteration model, never serve translations)."""
        workspace = workspace or Workspace.open(settings.home)
        names = list(settings.models) or [
            m.name for m in workspace.models.manifests() if m.role == "translator"
        ]
        if not names:
            raise ConfigError(
                f"no translation models installed in {workspace.models.root}; add one with "
                "'tarjama models add DIR --name NAME' or 'tarjama models pull NAME', or pass "
                "--model DIR"
            )
        if settings.load_only:
            names = _load_only(workspace, names, settings.load_only)
        engines = [
            workspace.engine(n, device=settings.device, threads=settings.threads) for n in names
        ]
        return cls(engines, settings, workspace=workspace)

    def open_memory(self, wanted: bool | None) -> TranslationMemory | None:
        """The memory for one request (its connection belongs to the calling thread):
        used when present unless ``wanted`` is False; an error if asked for and absent."""
        return self.workspace.memory(use_home=wanted)

    async def start(self) -> None:
        for m in self.models:
            m.coalescer.start()

    def warm_up(self) -> None:
        """Run the checks once, so that their lazily loaded data (word frequencies, the
        transliteration model) is loaded by one thread at start, not by every request
        thread of the first burst at once."""
        for source, targets in self.sources().items():
            for target in targets:
                if source not in WARM_UP or target not in WARM_UP:
                    continue
                self.workspace.check(
                    WARM_UP[source], WARM_UP[target], source_lang=source, target_lang=target
                )

    async def close(self) -> None:
        for m in self.models:
            await m.coalescer.close()

    def failures(self) -> list[str]:
        """Why each model that no longer serves stopped (empty: all serve)."""
        return [
            f"model '{m.name}' is not serving: {m.coalescer.failure}"
            for m in self.models
            if m.coalescer.failure is not None
        ]

    def sources(self) -> dict[str, list[str]]:
        """Each source language with the targets some model offers for it."""
        pairs: dict[str, set[str]] = {}
        for m in self.models:
            for s, t in m.pairs:
                pairs.setdefault(s, set()).add(t)
        return {s: sorted(ts) for s, ts in sorted(pairs.items())}

    def languages(self) -> set[str]:
        return {code for s, ts in self.sources().items() for code in (s, *ts)}

    def for_pair(self, source: str, target: str) -> ServedModel | None:
        """The first model that translates ``source`` to ``target``."""
        return next((m for m in self.models if (source, target) in m.pairs), None)

    def signature(self) -> list[dict[str, Any]]:
        """Every served model with its pairs and signature: what an answer depends on."""
        return [m.info() for m in self.models]

    def named(self, name: str) -> ServedModel | None:
        return next((m for m in self.models if m.name == name), None)


def _load_only(workspace: Workspace, names: list[str], codes: tuple[str, ...]) -> list[str]:
    """The models with a pair inside ``codes``, read from their manifests (nothing is
    loaded that will not serve); a code no model knows is an error, as in LibreTranslate."""
    pairs = {n: workspace.models.resolve(n)[1].pairs for n in names}
    known = {code for ps in pairs.values() for p in ps for code in p}
    unknown = sorted(set(codes) - known)
    if unknown:
        raise ConfigError(
            f"--load-only: unavailable language codes {','.join(unknown)} "
            f"(the models serve {','.join(sorted(known)) or 'none'})"
        )
    kept = [n for n in names if any(set(p) <= set(codes) for p in pairs[n])]
    if not kept:
        raise ConfigError(
            f"no model translates between the --load-only languages {','.join(codes)}"
        )
    return kept
