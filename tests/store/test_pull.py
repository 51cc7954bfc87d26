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
from tarjama.store.catalogue import CATALOGUE, DEFAULTS, LLMS
from tarjama.store.pull import add_hint, choose_files, pull
from tarjama.testing import build_marian_model

from ..conftest import corpus


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


def test_catalogue_and_defaults() -> None:
    # The NMT models (the LLMs: test_pull_llm.py).
    assert set(CATALOGUE) - set(LLMS) == {
        "opus-mt-ar-en",
        "opus-mt-en-ar",
        "opus-mt-tc-big-ar-en",
        "opus-mt-tc-big-en-ar",
        "nllb-200-distilled-600M",
    }
    assert DEFAULTS == {("ar", "en"): "opus-mt-tc-big-ar-en", ("en", "ar"): "opus-mt-tc-big-en-ar"}
    for name in ("opus-mt-en-ar", "opus-mt-tc-big-en-ar"):
        assert CATALOGUE[name].source_prefix == [">>ara<<"]
    # The defaults are the best of the catalogue for their pair.
    for (source, target), name in DEFAULTS.items():
        rivals = [e for e in CATALOGUE.values() if (source, target) in e.pairs()]
        best = max(e.quality(source, target) for e in rivals)
        assert CATALOGUE[name].quality(source, target) == best


# Files of real hub repositories, as the hub lists them (weights in several formats).
OPUS_MT = [
    ".gitattributes", "README.md", "config.json", "generation_config.json", "metadata.json",
    "pytorch_model.bin", "rust_model.ot", "source.spm", "target.spm", "tf_model.h5",
    "tokenizer_config.json", "vocab.json",
]  # fmt: skip
NLLB = [
    ".gitattributes", "README.md", "config.json", "generation_config.json",
    "pytorch_model.bin", "sentencepiece.bpe.model", "special_tokens_map.json",
    "tokenizer.json", "tokenizer_config.json",
]  # fmt: skip


@pytest.mark.parametrize(
    ("files", "weights"),
    [
        (OPUS_MT, ["pytorch_model.bin"]),
        ([*OPUS_MT, "model.safetensors"], ["model.safetensors"]),
        (NLLB, ["pytorch_model.bin"]),
        (
            [
                *NLLB,
                "model-00001-of-00002.safetensors",
                "model-00002-of-00002.safetensors",
                "model.safetensors.index.json",
                "pytorch_model.bin",
            ],
            [
                "model-00001-of-00002.safetensors",
                "model-00002-of-00002.safetensors",
                "model.safetensors.index.json",
            ],
        ),
        (
            ["config.json", "model.bin", "shared_vocabulary.json", "source.spm", "target.spm"],
            ["model.bin"],
        ),
    ],
)
def test_one_weight_format_is_chosen(files: list[str], weights: list[str]) -> None:
    chosen = choose_files(files)
    found = {f for f in chosen if f.endswith((".bin", ".safetensors", ".h5", ".ot", ".index.json"))}
    assert found == set(weights)  # one format, with its shards and their index
    assert not {"README.md", ".gitattributes", "tf_model.h5", "rust_model.ot"} & set(chosen)
    assert "config.json" in chosen


def test_a_repository_without_weights_is_refused() -> None:
    with pytest.raises(PullError, match="no weights"):
        choose_files(["config.json", "README.md"])


def test_hub_download_asks_for_the_chosen_files_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import huggingface_hub

    asked: dict[str, object] = {}

    def snapshot(repo_id: str, *, local_dir: Path, allow_patterns: list[str]) -> str:
        asked.update(repo=repo_id, files=allow_patterns)
        return str(local_dir)

    monkeypatch.setattr(
        huggingface_hub, "list_repo_files", lambda repo: [*OPUS_MT, "model.safetensors"]
    )
    monkeypatch.setattr(huggingface_hub, "snapshot_download", snapshot)
    monkeypatch.setattr(pull_mod, "can_convert", lambda: True)
    assert pull_mod.hub_download("Helsinki-NLP/opus-mt-ar-en", tmp_path) == tmp_path
    files = asked["files"]
    assert isinstance(files, list) and "model.safetensors" in files
    assert "pytorch_model.bin" not in files and "tf_model.h5" not in files


def test_without_the_convert_extra_nothing_is_downloaded(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import huggingface_hub

    def snapshot(*args: object, **kwargs: object) -> str:
        raise AssertionError("downloaded although the conversion cannot run")

    monkeypatch.setattr(huggingface_hub, "list_repo_files", lambda repo: OPUS_MT)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", snapshot)
    monkeypatch.setattr(pull_mod, "can_convert", lambda: False)
    with pytest.raises(PullError, match=r"pip install 'tarjama\[convert\]'"):
        pull_mod.hub_download("Helsinki-NLP/opus-mt-ar-en", tmp_path)


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
    assert sorted(p.name for p in (home / "models").iterdir()) == ["opus-mt-ar-en"]


def test_pull_converts_a_checkpoint(home: Path, tmp_path: Path) -> None:
    hub = tmp_path / "hub"
    repo = hub / "Helsinki-NLP" / "opus-mt-en-ar"
    repo.mkdir(parents=True)
    (repo / "config.json").write_text('{"model_type": "marian"}')
    (repo / "pytorch_model.bin").write_bytes(b"weights")
    converted = build_marian_model(
        tmp_path / "converted", corpus("en"), corpus("ar"), language_tokens=[">>ara<<"]
    )
    for f in ("source.spm", "target.spm"):
        shutil.copy(converted / f, repo / f)
    seen: list[tuple[list[str], list[str]]] = []

    def convert(checkpoint: Path, output: Path, copy_files: list[str]) -> None:
        seen.append((sorted(p.name for p in checkpoint.iterdir()), copy_files))
        shutil.copytree(converted, output)

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


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("opus-mt-ar-en", "tarjama models add DIR --name opus-mt-ar-en --source ar --target en"),
        ("opus-mt-en-ar", "tarjama models add DIR --name opus-mt-en-ar --source en --target ar"),
        ("nllb-200-distilled-600M", "tarjama models add DIR --name nllb-200-distilled-600M"),
    ],
)
def test_download_failure_names_the_full_command_for_the_pair(
    home: Path, tmp_path: Path, name: str, hint: str
) -> None:
    assert add_hint(name) == hint
    with pytest.raises(PullError) as info:
        pull(name, download=_fake_hub(tmp_path / "empty"))
    msg = str(info.value)
    assert name in msg and msg.endswith(hint)
    assert "\n" not in msg


def test_hub_errors_become_pull_errors(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import huggingface_hub

    def offline(*args: object, **kwargs: object) -> str:
        raise huggingface_hub.errors.LocalEntryNotFoundError("cannot reach the hub\nmore")

    monkeypatch.setattr(huggingface_hub, "list_repo_files", offline)
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
    assert main(["models", "pull", "opus-mt-tc-big-en-ar"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "tarjama models add DIR --name opus-mt-tc-big-en-ar --source en --target ar" in err
