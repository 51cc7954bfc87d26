"""A batch job's recipe for translators: picklable, so that each worker (a thread, a Ray
actor) loads its own under the home's policy."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..pipeline import Translator


@dataclass(frozen=True)
class TranslatorFactory:
    """A picklable recipe for a translator: ``factory(threads)`` loads one (the model, the
    glossary, the memory for the calling thread, the names check) in the worker that
    calls it. Made by :meth:`Workspace.batch_translators`."""

    home: str
    model: str  # the model's directory
    model_id: str
    source: str
    target: str
    glossary: str | None
    memory: str | None
    digits: str | None
    device: str
    beam: int
    transliteration_model: str | None = None
    #: Read the memory as it was at this moment (a job's start; ISO 8601 UTC).
    memory_as_of: str | None = None
    #: ``--llm-post-edit``: the endpoint model's directory, and its signature (what a
    #: resumed job must keep: an edited and an unedited output never mix).
    post_edit: str | None = None
    post_edit_id: str | None = None

    def __call__(self, threads: int | None = None) -> Translator:
        from . import Workspace  # the package imports this module first

        ws = Workspace(self.home, transliteration_model=self.transliteration_model)
        engine = ws.engine(self.model, device=self.device, beam_size=self.beam, threads=threads)
        memory = ws.memory(self.memory, use_home=False)  # resolved by batch_translators
        if memory is not None:
            memory.as_of = self.memory_as_of
        return ws.translator(
            engine,
            source=self.source,
            target=self.target,
            glossary=ws.glossary(self.glossary) if self.glossary else None,
            memory=memory,
            digits=self.digits,
            post_edit=self.post_edit,
        )

    def pinned(self, moment: str) -> TranslatorFactory:
        """This recipe with its memory read as it was at ``moment``."""
        return replace(self, memory_as_of=moment)

    @property
    def settings(self) -> dict[str, str | int | None]:
        """What a resumed job must keep: the model's weights (not where they lie), the
        languages, the decoding, the glossary and memory files, and the LLM that edits
        (None: none; a job journalled before post-editing existed reads as None too)."""
        keys = ("model_id", "source", "target", "beam", "digits", "glossary", "memory")
        return {**{k: getattr(self, k) for k in keys}, "post_edit": self.post_edit_id}
