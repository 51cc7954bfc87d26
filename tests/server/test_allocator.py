"""`tarjama serve` keeps every thread in glibc's one main arena (serving.tune_allocator).

With a second arena, memory that arena's top had once held stayed resident after
``malloc_trim`` (glibc trims only the main arena's top), so RSS at rest swung by 40 MiB
between readings on the OPUS-MT-sized model. Each case runs in a fresh interpreter: the
arena limit only binds threads started after it is set.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the allocator tuning is glibc's"
)

#: Starts threads that each allocate and hold a block until all have, then counts the
#: arenas in glibc's malloc_info report.
_PROBE = textwrap.dedent(
    """
    import ctypes, json, os, re, sys, tempfile, threading
    from tarjama.server.serving import tune_allocator
    applied = tune_allocator() if sys.argv[1] == "tuned" else {}
    libc = ctypes.CDLL("libc.so.6")
    libc.malloc.restype = ctypes.c_void_p
    libc.fopen.restype = ctypes.c_void_p
    libc.malloc_info.argtypes = (ctypes.c_int, ctypes.c_void_p)
    libc.fclose.argtypes = (ctypes.c_void_p,)
    held = threading.Barrier(7)
    counted = threading.Event()

    def work():
        libc.malloc(1 << 16)
        held.wait()
        counted.wait()

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    held.wait()
    path = os.path.join(tempfile.mkdtemp(), "info.xml")
    fp = libc.fopen(path.encode(), b"w")
    libc.malloc_info(0, fp)
    libc.fclose(fp)
    counted.set()
    for t in threads:
        t.join()
    arenas = len(re.findall(r"<heap nr=", open(path).read()))
    print(json.dumps({"applied": applied, "arenas": arenas}))
    """
)


def _probe(mode: str, **env: str) -> dict[str, object]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, mode],
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result: dict[str, object] = json.loads(out.stdout)
    return result


def test_the_server_keeps_all_threads_in_one_arena() -> None:
    untuned = _probe("untuned")
    assert isinstance(untuned["arenas"], int) and untuned["arenas"] > 1  # glibc's default
    tuned = _probe("tuned")
    assert tuned == {"applied": {"MALLOC_ARENA_MAX": 1}, "arenas": 1}


def test_an_arena_limit_set_in_the_environment_wins() -> None:
    tuned = _probe("tuned", MALLOC_ARENA_MAX="3")
    assert tuned["applied"] == {}
    assert isinstance(tuned["arenas"], int) and 1 < tuned["arenas"] <= 3
