"""Translators over the two real models the format tests use: one that copies its source
(so the output must be the input document), and the tiny random one (so every text node
must change while the structure stays)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tarjama import Translator


@pytest.fixture(scope="session")
def copier(copy_model_dir: Path) -> Translator:
    return Translator.load(copy_model_dir, device="cpu")


@pytest.fixture(scope="session")
def tiny(tiny_model_dir: Path) -> Translator:
    return Translator.load(tiny_model_dir, device="cpu", beam_size=1)
