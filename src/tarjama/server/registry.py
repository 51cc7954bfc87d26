"""The models a server holds: the workspace's serving plan, loaded once at start, each
model with its coalescer (which models, which pairs and each request's beam are the plan's).

Requests ask for a language pair (LibreTranslate) or a model by name (native API) and get
a :class:`~tarjama.pipeline.Translator` whose engine batches through the model's coalescer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..archive import TranslationMemory
from ..fidelity import Glossary
from ..pipeline import Engine, Signature, Translator
from ..workspace import PlannedModel, ServingPlan, TranslatorOptions, Workspace
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
    """One model as the plan gave it, with its coalescer and a plain translator per pair."""

    planned: PlannedModel
    coalescer: Coalescer
    translators: dict[tuple[str, str], Translator] = field(default_factory=dict)

    @property
    def engine(self) -> Engine:
        return self.planned.engine

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """The pairs served (``--load-only`` may serve fewer than the model offers)."""
        return self.planned.pairs

    @property
    def name(self) -> str:
        return self.planned.name

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
        post_edit: bool | None = None,
    ) -> Translator:
        """A translator for one document request, with its glossary and, if set, its beam
        and whether the LLM edits (:class:`~tarjama.workspace.TranslatorOptions`)."""
        options = TranslatorOptions(
            glossary=glossary, memory=memory, beam=beam, post_edit=post_edit
        )
        return self.planned.translator_for((source, target), options, through=self.batched)

    def batched(self, engine: Engine) -> Engine:
        """``engine``'s calls batched with every other request's to this model."""
        return CoalescedEngine(engine, self.coalescer)

    def info(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "pairs": [list(p) for p in self.pairs],
            "signature": self.planned.signature.to_json(),
        }
        if self.planned.editor is not None:  # --llm-post-edit
            edited = [list(p) for p in self.planned.edited_pairs]
            out["post_edit"] = {"model": self.planned.editor.name, "pairs": edited}
        return out


class Registry:
    """Every model the server serves, as the workspace's serving plan gave them."""

    def __init__(
        self,
        engines: Sequence[Engine] | ServingPlan,
        settings: Settings,
        *,
        workspace: Workspace | None = None,
    ) -> None:
        """Serve a plan, or engines already loaded (tests, embedding) under the plan the
        workspace makes for them."""
        #: The home's policy: glossaries, the memory, the names check.
        self.workspace = workspace or Workspace.open(settings.home)
        plan = (
            engines
            if isinstance(engines, ServingPlan)
            else self.workspace.serving_plan(settings, engines=engines)
        )
        self.models: list[ServedModel] = []
        for planned in plan.models:
            coalescer = Coalescer(
                planned.name,
                enabled=settings.coalesce,
                wait_ms=settings.batch_wait_ms,
                max_tokens=settings.batch_tokens,
                timeout=settings.engine_timeout,
                chunk_tokens=settings.document_batch_tokens,
            )
            served = ServedModel(planned, coalescer)
            for pair in planned.pairs:
                served.translators[pair] = planned.translator_for(pair, through=served.batched)
            self.models.append(served)

    @classmethod
    def load(cls, settings: Settings, workspace: Workspace | None = None) -> Registry:
        """Load the models the workspace's serving plan names for these settings."""
        workspace = workspace or Workspace.open(settings.home)
        return cls(workspace.serving_plan(settings), settings, workspace=workspace)

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

    def signature(self) -> tuple[Signature, ...]:
        """Every served model's signature: what an answer depends on."""
        return tuple(m.planned.signature for m in self.models)

    def named(self, name: str) -> ServedModel | None:
        return next((m for m in self.models if m.name == name), None)
