"""The suite never reads the user's home: with a memory in ``~/.local/share/tarjama`` and
neither ``TARJAMA_HOME`` nor ``XDG_DATA_HOME`` set, the tests that once found it (a server
test that asks for a memory the home must not have) still pass."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .commands import tarjama
from .conftest import ARTICLE_BILINGUAL

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


def test_the_suite_passes_with_a_memory_in_the_users_home(tmp_path: Path) -> None:
    user_data = tmp_path / ".local" / "share" / "tarjama"
    r = tarjama("memory", "import", str(ARTICLE_BILINGUAL), "-q", home=user_data)
    assert r.returncode == 0 and (user_data / "memory.sqlite").is_file()
    env = {k: v for k, v in os.environ.items() if k not in ("TARJAMA_HOME", "XDG_DATA_HOME")}
    env["HOME"] = str(tmp_path)
    ran = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/server/test_errors.py",
            "-p",
            "no:cacheprovider",
            "-k",
            "memory and absent",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert ran.returncode == 0, ran.stdout[-3000:]
    assert ran.stdout.startswith(".")  # the test ran (and passed)
