"""Translation engines: one small protocol, and a CTranslate2 implementation.

Batching, sorting by length, decoding limits and thread settings live here, not in the
pipeline.
"""

from .base import Engine, Hypothesis

__all__ = ["Engine", "Hypothesis"]
