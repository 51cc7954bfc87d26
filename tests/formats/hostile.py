"""Hostile documents built in tests, and a measurer that runs one reading in a fresh
process so that its peak memory is its own."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import textwrap
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

#: What the child does: read ``path`` as ``kind`` with the fake engine, report the outcome.
_CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    from tarjama.errors import InputError
    from tarjama.pipeline import Translator
    from tests.fakes import FakeEngine
    path, kind = sys.argv[1], sys.argv[2]
    data = open(path, "rb").read()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        out = Translator(FakeEngine()).translate_file(data, kind, where="the file")
        result = {"output": out.data.decode("utf-8", "replace") if kind != "docx" else ""}
    except InputError as exc:
        result = {"refused": str(exc)}
    result["seconds"] = time.perf_counter() - start
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["base_mb"] = base / 1024
    print(json.dumps(result))
    """
)


@dataclass
class Outcome:
    output: str | None
    refused: str | None
    seconds: float
    peak_mb: float
    base_mb: float

    @property
    def cost_mb(self) -> float:
        """The peak memory the document added to the process."""
        return self.peak_mb - self.base_mb


def measure(path: Path, kind: str) -> Outcome:
    """Read and translate ``path`` in a child process: its result, time and peak memory."""
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root / "src"), str(root)])}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), kind],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return Outcome(
        found.get("output"), found.get("refused"), found["seconds"], found["peak_mb"],
        found["base_mb"],
    )  # fmt: skip


def lying_zip(
    name: str,
    chunk: bytes,
    repeat: int,
    declared: int,
    head: bytes = b"",
    honest: dict[str, bytes] | None = None,
) -> bytes:
    """A zip whose entry ``name`` inflates to ``head + chunk * repeat`` but declares
    ``declared`` bytes, after the ``honest`` entries; built without ever holding the
    inflated bytes: a fully flushed deflate segment has no history, so one segment
    repeated is a valid stream."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    opening = deflater.compress(head) + deflater.flush(zlib.Z_FULL_FLUSH)
    segment = deflater.compress(chunk) + deflater.flush(zlib.Z_FULL_FLUSH)
    body = opening + segment * repeat + _deflate(b"")
    entries = [
        (n, _deflate(data), zlib.crc32(data), len(data)) for n, data in (honest or {}).items()
    ]
    entries.append((name, body, 0, declared))
    out, central = b"", b""
    for entry_name, compressed, crc, size in entries:
        raw = entry_name.encode()
        sizes = struct.pack("<3L", crc, len(compressed), size)
        offset = len(out)
        out += b"PK\x03\x04" + struct.pack("<5H", 20, 0, 8, 0, 0) + sizes
        out += struct.pack("<2H", len(raw), 0) + raw + compressed
        central += b"PK\x01\x02" + struct.pack("<6H", 20, 20, 0, 8, 0, 0) + sizes
        central += struct.pack("<5H2L", len(raw), 0, 0, 0, 0, 0, offset) + raw
    count = len(entries)
    end = b"PK\x05\x06" + struct.pack("<4H2LH", 0, 0, count, count, len(central), len(out), 0)
    return out + central + end


def _deflate(data: bytes) -> bytes:
    deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return deflater.compress(data) + deflater.flush()


def docx_parts(data: bytes) -> dict[str, bytes]:
    """A DOCX's entries, by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist()}
