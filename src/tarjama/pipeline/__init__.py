"""The pipeline: :class:`Translator`, the one orchestrator, and the stages it runs.

The engine protocol is re-exported here, since it is the pipeline's contract with any
backend (the server's coalescing engine implements it too).
"""

from ..engines import Engine, Hypothesis, can_align
from .blocks import TranslatedBlocks
from .files import TranslatedFile
from .stages import Direction, GlossaryStage, MemoryStage, Stage
from .translator import TextResult, Translator, segment

__all__ = [
    "Direction",
    "Engine",
    "GlossaryStage",
    "Hypothesis",
    "MemoryStage",
    "Stage",
    "TextResult",
    "TranslatedBlocks",
    "TranslatedFile",
    "Translator",
    "can_align",
    "segment",
]
