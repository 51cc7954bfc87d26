"""The pipeline: :class:`Translator`, the one orchestrator, and the stages it runs.

The engine protocol is re-exported here, since it is the pipeline's contract with any
backend (the server's coalescing engine implements it too).
"""

from ..engines import Engine, Hypothesis, can_align, count_tokens_many
from .blocks import TranslatedBlocks
from .files import TranslatedFile
from .stages import Direction, GlossaryStage, Known, KnownStage, MemoryStage, Stage
from .translator import TextResult, Translator, default_pair, segment

__all__ = [
    "Direction",
    "Engine",
    "GlossaryStage",
    "Hypothesis",
    "Known",
    "KnownStage",
    "MemoryStage",
    "Stage",
    "TextResult",
    "TranslatedBlocks",
    "TranslatedFile",
    "Translator",
    "can_align",
    "count_tokens_many",
    "default_pair",
    "segment",
]
