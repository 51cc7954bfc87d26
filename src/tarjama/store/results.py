"""Translated files kept for download (the server's ``/download_file``).

They live in ``$TARJAMA_HOME/results/`` (mode 0700), each in a file of mode 0600 whose name
starts with 128 random bits, so that nobody else on the machine can read them and nobody
can guess another client's. A file is written under a temporary name and renamed when
complete, so a half-written result is never served. Results expire ``ttl`` seconds after
they were written; expired ones are refused and swept away.

The store has a quota: at most ``max_bytes`` and ``max_files``. Saving a result that would
cross it first deletes the oldest results until it fits (their downloads answer "expired"),
so a stream of uploads cannot fill the disk within the hour a result lives; a result larger
than the whole quota is refused.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path

from ..errors import InputError

#: How long a result waits for its download, by default.
DEFAULT_TTL = 3600.0
#: The quota by default (the server's ``--result-store-mb`` and ``--result-store-files``).
MAX_BYTES = 1 << 30
MAX_FILES = 1000
_NAME = re.compile(r"^[A-Za-z0-9_-]{22}\.[\w.-]{1,200}$")
_UNSAFE = re.compile(r"[^\w.-]+")


def safe_filename(name: str) -> str:
    """A file name that is one path component of word characters, dots and dashes."""
    base = Path(name).name
    cleaned = _UNSAFE.sub("_", base).strip("._") or "translation"
    return cleaned[-200:]


class ResultStore:
    """A directory of expiring, private result files."""

    def __init__(
        self,
        root: str | Path,
        *,
        ttl: float = DEFAULT_TTL,
        max_bytes: int = MAX_BYTES,
        max_files: int = MAX_FILES,
    ) -> None:
        self.root = Path(root)
        self.ttl = ttl
        self.max_bytes = max_bytes
        self.max_files = max_files

    def _ensure(self) -> None:
        try:
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(self.root, 0o700)
        except OSError as exc:
            raise InputError(f"cannot create {self.root}: {exc.strerror}") from exc

    def save(self, data: bytes, filename: str) -> str:
        """Store ``data``; returns the name to download it by (``TOKEN.filename``). The
        oldest results go to make room for it within the quota."""
        if len(data) > self.max_bytes:
            raise InputError(
                f"the result is {len(data)} bytes; this server keeps at most {self.max_bytes} "
                "bytes of results (--result-store-mb)"
            )
        self._ensure()
        self._make_room(len(data))
        name = f"{secrets.token_urlsafe(16)}.{safe_filename(filename)}"
        partial = self.root / f".{name}.partial"
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(partial, self.root / name)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise InputError(f"cannot store the result: {exc.strerror}") from exc
        return name

    def path(self, name: str) -> Path | None:
        """The stored file for ``name``, or None if there is none (or it expired)."""
        if not _NAME.match(name):
            return None
        path = self.root / name
        try:
            written = path.stat().st_mtime
        except OSError:
            return None
        if time.time() - written > self.ttl:
            path.unlink(missing_ok=True)
            return None
        return path

    @staticmethod
    def filename(name: str) -> str:
        """The file name a download should carry (the part after the token)."""
        return name.split(".", 1)[1]

    def sweep(self) -> int:
        """Delete expired results (and partial files left by a crash); returns how many."""
        return self._make_room(0)

    def _make_room(self, size: int) -> int:
        """Delete expired results, then the oldest until ``size`` more bytes and one more
        file fit the quota (``size`` 0: expired ones only); returns how many went."""
        now = time.time()
        live: list[tuple[float, int, Path]] = []
        gone = 0
        for path in self.root.iterdir() if self.root.is_dir() else ():
            try:
                stat = path.stat()
                if now - stat.st_mtime > self.ttl:
                    path.unlink()
                    gone += 1
                elif not path.name.startswith("."):  # not another save's partial file
                    live.append((stat.st_mtime, stat.st_size, path))
            except OSError:  # gone meanwhile (another request's sweep)
                continue
        if not size:
            return gone
        live.sort()
        total = sum(entry[1] for entry in live)
        while live and (total + size > self.max_bytes or len(live) + 1 > self.max_files):
            _, held, path = live.pop(0)
            path.unlink(missing_ok=True)
            total -= held
            gone += 1
        return gone
