"""A format registered once, in :mod:`tarjama.formats`, is read by ``tarjama translate``
and by ``tarjama batch`` (the local backend here; the Ray one in test_ray_documents)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tarjama import formats
from tarjama.batch import JobOptions, run_job
from tarjama.cli import main
from tarjama.errors import ConfigError
from tarjama.workspace import Workspace

from .conftest import SENTENCES, FakeTranslators, journal_rows
from .ledger import LedgerFormat, ledger


@pytest.fixture
def registered() -> Iterator[formats.DocumentFormat]:
    fmt = formats.register(LedgerFormat())
    yield fmt
    formats.REGISTRY.unregister(fmt.kind)


def test_translate_and_batch_read_a_registered_format_alike(
    registered: formats.DocumentFormat, tiny_model_dir: Path, home: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "desk"
    folder.mkdir()
    source = folder / "port.ledger"
    source.write_bytes(ledger(SENTENCES[:3]))
    assert main(["translate", str(source), "--model", str(tiny_model_dir), "--device", "cpu"]) == 0
    by_translate = (folder / "port.en.ledger").read_bytes()
    lines = by_translate.decode("utf-8").splitlines()
    assert lines[:2] == ["LEDGER", "# entry 0"] and lines[2].startswith("> ")
    assert lines[2] != f"> {SENTENCES[0]}"  # translated
    (folder / "port.en.ledger").unlink()
    translators = Workspace.open(home).batch_translators(tiny_model_dir, device="cpu")
    summary = run_job([folder], tmp_path / "out", translators)
    assert (summary.done, summary.failed, summary.skipped) == (1, 0, {})
    assert (tmp_path / "out/desk/port.ledger").read_bytes() == by_translate
    assert [r["state"] for r in journal_rows(tmp_path / "out")] == ["done"]


def test_without_the_registration_batch_leaves_the_files_out(tmp_path: Path) -> None:
    folder = tmp_path / "desk"
    folder.mkdir()
    (folder / "port.ledger").write_bytes(ledger(SENTENCES[:1]))
    (folder / "story.txt").write_text(SENTENCES[1] + "\n", encoding="utf-8")
    summary = run_job([folder], tmp_path / "out", FakeTranslators())
    assert summary.skipped == {".ledger": 1} and summary.done == 1


def test_a_job_reads_the_registry_it_is_given(tmp_path: Path) -> None:
    own = formats.REGISTRY.copy()
    own.register(LedgerFormat())
    (tmp_path / "port.ledger").write_bytes(ledger(SENTENCES[:2]))
    t = FakeTranslators()
    run_job([tmp_path / "port.ledger"], tmp_path / "out", t, JobOptions(formats=own))
    out = (tmp_path / "out/port.ledger").read_text(encoding="utf-8").splitlines()
    assert out[2] == f"> <{SENTENCES[0]}>" and out[4] == f"> <{SENTENCES[1]}>"
    assert "ledger" not in formats.kinds()  # the default registry is untouched


def test_a_suffix_or_a_kind_is_registered_once() -> None:
    own = formats.REGISTRY.copy()
    own.register(LedgerFormat())
    with pytest.raises(ConfigError, match="'ledger' is already registered"):
        own.register(LedgerFormat())

    class Page(LedgerFormat):
        kind = "page"
        suffixes = (".html",)

    with pytest.raises(ConfigError, match=r"\.html is already the suffix of 'html'"):
        own.register(Page())
