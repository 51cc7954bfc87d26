"""A long-running server's per-word caches stop growing at a cap that costs little.

Every ``lru_cache`` keyed by a word fills for ever on a server (new names, numbers, a
random model's gibberish), so its cap is memory held for the life of the process: the
caps of 65,536 and 1,048,576 words of before grew RSS by hundreds of MiB.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import random
import string
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import tarjama
from tarjama.archive.entries import word_id
from tarjama.fidelity.names import _arabic_zipf, zipf_frequency
from tarjama.text.memo import WORD_CACHE
from tarjama.text.phonetic import phonetic_key

#: What all the per-word caches may hold together when full.
BUDGET = 24 * 1024 * 1024


def _caches() -> Iterator[tuple[str, Any]]:
    for info in pkgutil.walk_packages(tarjama.__path__, "tarjama."):
        if info.name.endswith("__main__"):
            continue  # runs the command line
        try:
            module = importlib.import_module(info.name)
        except ImportError:  # an optional extra (ray) that is not installed
            continue
        for name, value in vars(module).items():
            if hasattr(value, "cache_info") and getattr(value, "__module__", "") == info.name:
                yield f"{info.name}.{name}", value


def test_every_cache_that_takes_arguments_has_a_cap_no_larger_than_word_cache() -> None:
    found = list(_caches())
    assert any(name.endswith("phonetic_key") for name, _ in found)
    for name, fn in found:
        wrapped = inspect.unwrap(fn)
        if not inspect.signature(wrapped).parameters:
            continue  # built once: a table, not a cache per word
        maxsize = fn.cache_info().maxsize
        assert maxsize is not None and maxsize <= WORD_CACHE, f"{name}: maxsize {maxsize}"


def _words(rnd: random.Random, letters: str, n: int) -> list[str]:
    return ["".join(rnd.choice(letters) for _ in range(rnd.randint(4, 10))) for _ in range(n)]


@pytest.mark.parametrize("arabic", [False, True])
def test_the_word_caches_full_of_new_words_hold_little(arabic: bool) -> None:
    rnd = random.Random(7)
    latin = string.ascii_lowercase
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    calls: list[Callable[[str], object]] = [phonetic_key, word_id]
    calls.append(lambda w: zipf_frequency(w, "en"))
    if arabic:
        calls = [_arabic_zipf, word_id]
    for fn in (phonetic_key, word_id, zipf_frequency, _arabic_zipf):
        fn.cache_clear()
    zipf_frequency("warm", "en"), _arabic_zipf("سلام")  # wordfreq's tables load once
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        # Twice the cap of words never seen: each cache fills and then must stop.
        for word in _words(rnd, letters if arabic else latin, 2 * WORD_CACHE):
            for call in calls:
                call(word)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert phonetic_key.cache_info().currsize <= WORD_CACHE
    assert word_id.cache_info().currsize == WORD_CACHE
    assert held < BUDGET, f"{held / 2**20:.1f} MiB held by full word caches"
