"""The command line called in-process: ``tarjama.cli.main(args)`` with the standard streams,
the working directory and ``TARJAMA_HOME`` of one run, as a user's shell would give them.

It tests what a subprocess tests (arguments, output bytes, the exit code, one line on
stderr) without starting an interpreter and importing the package again for each call.
Where the process itself is under test (signals, resource limits, the entry point's exit
status, the encodings of the real streams) tests still spawn ``python -m tarjama``.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

import pytest

from tarjama.cli import main

T = TypeVar("T", str, bytes)


@dataclass(frozen=True)
class Ran(Generic[T]):
    """What one command left: the fields of :class:`subprocess.CompletedProcess` it sets."""

    args: list[str]
    returncode: int
    stdout: T
    stderr: T


def _stream(data: bytes = b"") -> io.TextIOWrapper:
    """A text stream over bytes with a ``.buffer``, as ``sys.std*`` are under a UTF-8 locale."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", write_through=True)


def tarjama(*args: str, home: Path, stdin: bytes = b"", cwd: Path | None = None) -> Ran[bytes]:
    """``tarjama ARGS`` with ``TARJAMA_HOME=home``, ``stdin`` and ``cwd``: its bytes out."""
    out, err = _stream(), _stream()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TARJAMA_HOME", str(home))
        if cwd is not None:
            mp.chdir(cwd)
        mp.setattr(sys, "stdin", _stream(stdin))
        mp.setattr(sys, "stdout", out)
        mp.setattr(sys, "stderr", err)
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse: usage errors, --help, --version
            code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
        out.flush()
        err.flush()
    return Ran(list(args), code, _bytes(out), _bytes(err))


def tarjama_text(*args: str, home: Path, stdin: str = "", cwd: Path | None = None) -> Ran[str]:
    """:func:`tarjama` with text in and out (UTF-8), like ``subprocess.run(text=True)``."""
    ran = tarjama(*args, home=home, stdin=stdin.encode(), cwd=cwd)
    return Ran(ran.args, ran.returncode, ran.stdout.decode(), ran.stderr.decode())


def _bytes(stream: io.TextIOWrapper) -> bytes:
    raw = stream.buffer
    assert isinstance(raw, io.BytesIO)
    return raw.getvalue()


def tarjama_process(
    *args: str, home: Path, stdin: bytes = b"", cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    """``python -m tarjama ARGS`` in a process of its own, for the tests of the process."""
    return subprocess.run(
        [sys.executable, "-m", "tarjama", *args],
        input=stdin,
        capture_output=True,
        env={**os.environ, "TARJAMA_HOME": str(home)},
        cwd=cwd,
        timeout=120,
    )
