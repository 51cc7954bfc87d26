"""The pipeline: :class:`Translator`, the one orchestrator, and the stages it runs.

The engine protocol, its signature and the guards for its optional abilities are
re-exported here, since they are the pipeline's contract with any backend (the server's
coalescing engine implements it too, and asks for a per-request beam).
"""

from ..engines import (
    Engine,
    Hints,
    Hypothesis,
    Progress,
    Signature,
    can_align,
    can_align_targets,
    can_beam,
    can_hint,
    can_report,
    can_stream,
    count_tokens_many,
)
from .blocks import TranslatedBlocks
from .files import TranslatedFile
from .stages import (
    Direction,
    GlossaryStage,
    Known,
    KnownStage,
    LetterlessStage,
    MemoryStage,
    Stage,
)
from .translator import TextResult, Translator, default_pair, segment

__all__ = [
    "Direction",
    "Engine",
    "GlossaryStage",
    "Hints",
    "Hypothesis",
    "Known",
    "KnownStage",
    "LetterlessStage",
    "MemoryStage",
    "Progress",
    "Signature",
    "Stage",
    "TextResult",
    "TranslatedBlocks",
    "TranslatedFile",
    "Translator",
    "can_align",
    "can_align_targets",
    "can_beam",
    "can_hint",
    "can_report",
    "can_stream",
    "count_tokens_many",
    "default_pair",
    "segment",
]
