"""Translation engines: one small protocol, its optional abilities, and a CTranslate2
implementation.

Batching, sorting by length, decoding limits and thread settings live here, not in the
pipeline.
"""

from ..document import Signature
from .base import (
    Aligner,
    Alignment,
    BatchStore,
    Beamed,
    BulkCounter,
    Carry,
    Engine,
    Hinted,
    Hints,
    Hypothesis,
    Progress,
    Reporter,
    StoringEngine,
    Streamer,
    TargetAligner,
    can_align,
    can_align_targets,
    can_beam,
    can_hint,
    can_report,
    can_store,
    can_stream,
    count_tokens_many,
)
from .cores import available_cores

__all__ = [
    "Aligner",
    "Alignment",
    "BatchStore",
    "Beamed",
    "BulkCounter",
    "Carry",
    "Engine",
    "Hinted",
    "Hints",
    "Hypothesis",
    "Progress",
    "Reporter",
    "Signature",
    "StoringEngine",
    "Streamer",
    "TargetAligner",
    "available_cores",
    "can_align",
    "can_align_targets",
    "can_beam",
    "can_hint",
    "can_report",
    "can_store",
    "can_stream",
    "count_tokens_many",
]
