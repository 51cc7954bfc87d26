"""Translation engines: one small protocol, and a CTranslate2 implementation.

Batching, sorting by length, decoding limits and thread settings live here, not in the
pipeline.
"""

from .base import Alignment, Engine, Hypothesis, can_align

__all__ = ["Alignment", "Engine", "Hypothesis", "can_align"]
