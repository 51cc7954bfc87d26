"""How many entries each per-word cache (``functools.lru_cache``) keeps.

A running server sees new words for ever (names, numbers, a model's misspellings), so every
cache keyed by a word fills to its cap and stays there: the cap is memory held for the life
of the process. 8,192 words hold a document's vocabulary and the common words of a whole
news day (a full cache is 1-6 MiB, tests/server/test_memory_bounds.py); the caps of 65,536
(three caches) and 1,048,576 (``word_id``) of before could hold about 240 MiB once full.
"""

WORD_CACHE = 8192
