"""What a converted decoder-only model's directory says of how to prompt it:
``generator.json``, written at conversion (:mod:`.convert`) and read by the generator
engine (:mod:`tarjama.engines.generator`)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import ConfigError, CorruptModel

SETTINGS = "generator.json"


@dataclass(frozen=True)
class GeneratorSettings:
    """How the generator prompts a model (from ``generator.json``)."""

    profile: str = "generic"
    #: The sliding window of the model's local attention layers, in tokens (0: none). A
    #: longer prompt is decoded step by step.
    window: int = 0
    #: Sentences per request, and the texts before a chunk given as its context when the
    #: pipeline says nothing of paragraphs.
    lines: int = 8
    before: int = 2

    def __post_init__(self) -> None:
        if self.window < 0 or self.lines < 1 or self.before < 0:
            raise ConfigError("a generator's window, lines and context are positive")

    @classmethod
    def read(cls, directory: Path) -> GeneratorSettings:
        path = directory / SETTINGS
        if not path.is_file():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                profile=str(data.get("profile", "generic")),
                window=int(data.get("window", 0)),
                lines=int(data.get("lines", 8)),
                before=int(data.get("before", 2)),
            )
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            raise CorruptModel(f"cannot read {path}: {exc}") from exc

    def write(self, directory: Path) -> None:
        (directory / SETTINGS).write_text(json.dumps(asdict(self)) + "\n", encoding="utf-8")
