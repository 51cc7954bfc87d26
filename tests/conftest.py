"""Fixtures shared by the whole suite: paths to test data and small real models.

Data that the repository does not hold (the shared sample article, FLORES, the real
transliteration model) is read from ``$TARJAMA_TEST_DATA``, by default ``../shared`` beside
the repository. Tests that read it are marked ``needs_data``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tarjama.testing import build_copy_model, build_marian_model, build_nllb_model

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TARJAMA_TEST_DATA", REPO / ".." / "shared"))
SAMPLES = SHARED / "samples"
FLORES = SHARED / "data" / "mozilla-eval" / "ar-en"
TRANSLIT_MODEL = SHARED / "models" / "aren-transliteration"


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


@pytest.fixture(scope="session")
def copy_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A crafted model that writes its source back (:func:`tarjama.testing.build_copy_model`)."""
    out = tmp_path_factory.mktemp("models") / "copy-ar-en"
    return build_copy_model(out, _lines("flores-dev.ar") + _lines("flores-dev.en"))


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty TARJAMA_HOME for one test."""
    h = tmp_path / "home"
    monkeypatch.setenv("TARJAMA_HOME", str(h))
    yield h
