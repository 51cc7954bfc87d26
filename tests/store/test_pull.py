"""`models pull` against a local fake of the hub's file layout: no network, no torch."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tarjama.cli import main
from tarjama.errors import ConfigError, PullError
from tarjama.store import ModelStore
from tarjama.store import pull as pull_mod
from tarjama.store.pull import CATALOGUE, pull


def _fake_hub(root: Path) -> pull_mod.Downloader:
    """A downloader serving repositories from ``root/<owner>/<name>`` like the hub would."""

    def download(repo_id: str, local_dir: Path) -> Path:
        src = root / repo_id
        if not src.is_dir():
            raise PullError(f"cannot download {repo_id}: 404 Repository Not Found")
        shutil.copytree(src, local_dir)
        meta = local_dir / ".cache" / "huggingface" / "download"
        meta.mkdir(parents=True)
        (meta / "config.json.metadata").write_text("0123abcd\netag\n")
        return local_dir

    return download


def test_catalogue() -> None:
    assert set(CATALOGUE) == {
        "opus-mt-ar-en",
        "opus-mt-en-ar",
        "opus-mt-tc-big-ar-en",
        "nllb-200-distilled-600M",
    }
    assert CATALOGUE["opus-mt-en-ar"].source_prefix == [">>ara<<"]


def test_pull_prebuilt_ct2_repo(home: Path, tmp_path: Path, tiny_model_dir: Path) -> None:
    hub = tmp_path / "hub"
    shutil.copytree(tiny_model_dir, hub / "Helsinki-NLP" / "opus-mt-ar-en")
    m = pull("opus-mt-ar-en", download=_fake_hub(hub), status=lambda _: None)
    assert m.family == "marian" and m.pairs == [("ar", "en")]
    assert m.origin == {
        "kind": "hub",
        "repo": "Helsinki-NLP/opus-mt-ar-en",
        "revision": "0123abcd",
        "converted": False,
    }
    assert ModelStore().names() == ["opus-mt-ar-en"]
    # Nothing is left behind in the home but the installed model.
    assert sorted(p.name for p in home.iterdir()) == ["models"]


def test_pull_converts_a_checkpoint(home: Path, tmp_path: Path, tiny_model_dir: Path) -> None:
    hub = tmp_path / "hub"
    repo = hub / "Helsinki-NLP" / "opus-mt-en-ar"
    repo.mkdir(parents=True)
    (repo / "config.json").write_text('{"model_type": "marian"}')
    (repo / "pytorch_model.bin").write_bytes(b"weights")
    for f in ("source.spm", "target.spm"):
        shutil.copy(tiny_model_dir / f, repo / f)
    seen: list[tuple[list[str], list[str]]] = []

    def convert(checkpoint: Path, output: Path, copy_files: list[str]) -> None:
        seen.append((sorted(p.name for p in checkpoint.iterdir()), copy_files))
        shutil.copytree(tiny_model_dir, output)

    messages: list[str] = []
    m = pull("opus-mt-en-ar", download=_fake_hub(hub), convert=convert, status=messages.append)
    assert seen[0][1] == ["source.spm", "target.spm"]
    assert {"config.json", "pytorch_model.bin", "source.spm"} <= set(seen[0][0])
    assert m.origin["converted"] is True and m.origin["quantization"] == "int8"
    assert m.pairs == [("en", "ar")] and m.source_prefix == [">>ara<<"]
    assert messages == ["converting Helsinki-NLP/opus-mt-en-ar to CTranslate2 int8"]


def test_conversion_without_the_extra_says_how(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "transformers", None)  # import fails as if absent
    hub = tmp_path / "hub" / "facebook" / "nllb-200-distilled-600M"
    hub.mkdir(parents=True)
    (hub / "config.json").write_text("{}")
    with pytest.raises(PullError, match=r"pip install 'tarjama\[convert\]'"):
        pull("nllb-200-distilled-600M", download=_fake_hub(tmp_path / "hub"), status=lambda _: None)
    assert ModelStore().names() == []


def test_download_failure_says_how_to_add_a_local_copy(home: Path, tmp_path: Path) -> None:
    with pytest.raises(PullError) as info:
        pull("opus-mt-ar-en", download=_fake_hub(tmp_path / "empty"))
    msg = str(info.value)
    assert "opus-mt-ar-en" in msg and "tarjama models add DIR --name opus-mt-ar-en" in msg
    assert "\n" not in msg


def test_hub_errors_become_pull_errors(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import huggingface_hub

    def offline(*args: object, **kwargs: object) -> str:
        raise huggingface_hub.errors.LocalEntryNotFoundError("cannot reach the hub\nmore")

    monkeypatch.setattr(huggingface_hub, "snapshot_download", offline)
    with pytest.raises(PullError, match=r"cannot download x/y: cannot reach the hub$"):
        pull_mod.hub_download("x/y", tmp_path)


def test_unknown_and_duplicate(home: Path, tmp_path: Path, tiny_model_dir: Path) -> None:
    with pytest.raises(ConfigError, match="not in the catalogue"):
        pull("gpt-17")
    hub = tmp_path / "hub"
    shutil.copytree(tiny_model_dir, hub / "Helsinki-NLP" / "opus-mt-ar-en")
    pull("opus-mt-ar-en", download=_fake_hub(hub), status=lambda _: None)
    with pytest.raises(ConfigError, match="already installed"):
        pull("opus-mt-ar-en", download=_fake_hub(hub))


def test_cli_pull_offline_is_one_line_and_exit_2(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def offline(repo_id: str, local_dir: Path) -> Path:
        raise PullError(f"cannot download {repo_id}: Name or service not known")

    monkeypatch.setattr(pull_mod, "hub_download", offline)
    assert main(["models", "pull", "opus-mt-ar-en"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "tarjama models add DIR --name opus-mt-ar-en" in err
