"""Fixtures shared by the whole suite: paths to test data and small real models.

Data that the repository does not hold (the shared sample article, FLORES, the real
transliteration model) is read from ``$TARJAMA_TEST_DATA``, by default ``../shared`` beside
the repository. Tests that read it are marked ``needs_data``.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tarjama.testing import build_marian_model, build_nllb_model

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TARJAMA_TEST_DATA", REPO / ".." / "shared"))
SAMPLES = SHARED / "samples"
FLORES = SHARED / "data" / "mozilla-eval" / "ar-en"
TRANSLIT_MODEL = SHARED / "models" / "aren-transliteration"


def require_extra(module: str, extra: str) -> ModuleType:
    """Import a module of an optional extra. Without it the test is skipped, except under CI
    (``CI=true``), where `.ci/run` installs every extra and its absence is a failure."""
    try:
        return importlib.import_module(module)
    except ImportError:
        reason = f"the '{extra}' extra is not installed (pip install -e '.[{extra}]')"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}, and CI must test it")
        pytest.skip(reason)


def _lines(name: str) -> list[str]:
    return (FLORES / name).read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random-weight OPUS-MT-layout model (SentencePiece source and target), built once."""
    out = tmp_path_factory.mktemp("models") / "tiny-opus"
    return build_marian_model(out, _lines("flores-dev.ar"), _lines("flores-dev.en"))


@pytest.fixture(scope="session")
def tiny_nllb_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("models") / "tiny-nllb"
    return build_nllb_model(out, _lines("flores-dev.ar") + _lines("flores-dev.en"))


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty TARJAMA_HOME for one test."""
    h = tmp_path / "home"
    monkeypatch.setenv("TARJAMA_HOME", str(h))
    yield h
