"""Translation engines: one small protocol, and a CTranslate2 implementation.

Batching, sorting by length, decoding limits and thread settings live here, not in the
pipeline.
"""

from .base import (
    Alignment,
    BatchStore,
    Engine,
    Hypothesis,
    can_align,
    can_store,
    count_tokens_many,
)
from .cores import available_cores

__all__ = [
    "Alignment",
    "BatchStore",
    "Engine",
    "Hypothesis",
    "available_cores",
    "can_align",
    "can_store",
    "count_tokens_many",
]
