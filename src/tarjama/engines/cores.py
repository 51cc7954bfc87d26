"""How many cores this process may use: what an engine's threads default to, and what a
batch job shares among its workers (no ctranslate2 needed to ask)."""

from __future__ import annotations

import os


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
