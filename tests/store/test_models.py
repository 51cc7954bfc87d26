"""The model store: layouts, manifests, add/list/remove, and errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tarjama.errors import ConfigError, CorruptModel, UnknownModel
from tarjama.store import ModelStore, default_home
from tarjama.store.models import MANIFEST, detect_layout

from ..conftest import TRANSLIT_MODEL


def test_default_home_follows_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TARJAMA_HOME", str(tmp_path / "x"))
    assert default_home() == tmp_path / "x"
    monkeypatch.delenv("TARJAMA_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_home() == tmp_path / "xdg" / "tarjama"


def test_layouts_are_recognised(tiny_model_dir: Path, tiny_nllb_dir: Path) -> None:
    assert detect_layout(tiny_model_dir)[0] == "marian"
    assert detect_layout(tiny_nllb_dir)[0] == "nllb"
    assert detect_layout(TRANSLIT_MODEL)[0] == "characters"


def test_add_writes_manifest_and_copies(home: Path, tiny_model_dir: Path) -> None:
    store = ModelStore()
    m = store.add(tiny_model_dir, "tiny", source="ar", target="en")
    data = json.loads((home / "models" / "tiny" / MANIFEST).read_text())
    assert data["family"] == "marian"
    assert data["pairs"] == [["ar", "en"]]
    assert data["tokenizer"] == {
        "kind": "sentencepiece",
        "source": "source.spm",
        "target": "target.spm",
    }
    assert data["origin"]["kind"] == "local"
    assert data["size_bytes"] == m.size_bytes > 0
    assert (home / "models" / "tiny" / "model.bin").is_file()
    assert store.names() == ["tiny"]


def test_nllb_offers_both_directions(home: Path, tiny_nllb_dir: Path) -> None:
    m = ModelStore().add(tiny_nllb_dir, "nllb")
    assert set(m.pairs) == {("ar", "en"), ("en", "ar")}


def test_add_twice_is_refused(home: Path) -> None:
    store = ModelStore()
    store.add(TRANSLIT_MODEL, "tr")
    with pytest.raises(ConfigError, match="already installed"):
        store.add(TRANSLIT_MODEL, "tr")


@pytest.mark.parametrize("name", ["", "../evil", "a/b", "-x", "a b"])
def test_bad_names_are_refused(home: Path, name: str) -> None:
    with pytest.raises(ConfigError, match="invalid model name"):
        ModelStore().add(TRANSLIT_MODEL, name)


def test_unknown_language_is_refused(home: Path) -> None:
    with pytest.raises(ConfigError, match="unsupported language 'fr'"):
        ModelStore().add(TRANSLIT_MODEL, "tr", source="fr")


def test_remove_and_unknown(home: Path) -> None:
    store = ModelStore()
    store.add(TRANSLIT_MODEL, "tr")
    store.remove("tr")
    assert store.names() == []
    with pytest.raises(UnknownModel, match="installed: none"):
        store.remove("tr")


def test_unknown_model_lists_installed(home: Path) -> None:
    store = ModelStore()
    store.add(TRANSLIT_MODEL, "tr")
    with pytest.raises(UnknownModel) as info:
        store.resolve("opus-mt-ar-en")
    assert "installed: tr" in str(info.value)
    assert "tarjama models add" in str(info.value)


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        ("no_model_bin", "model.bin"),
        ("bad_manifest", "cannot read"),
        ("manifest_not_object", "not a JSON object"),
        ("manifest_missing_keys", "invalid tarjama.json"),
    ],
)
def test_corrupt_model_directory(home: Path, breakage: str, message: str) -> None:
    store = ModelStore()
    store.add(TRANSLIT_MODEL, "tr")
    d = home / "models" / "tr"
    if breakage == "no_model_bin":
        (d / "model.bin").unlink()
    elif breakage == "bad_manifest":
        (d / MANIFEST).write_text("{not json")
    elif breakage == "manifest_not_object":
        (d / MANIFEST).write_text("[1, 2]")
    else:
        (d / MANIFEST).write_text('{"name": "tr"}')
    with pytest.raises(CorruptModel, match=message):
        store.resolve("tr")


def test_unrecognised_layout(tmp_path: Path) -> None:
    d = tmp_path / "m"
    d.mkdir()
    (d / "model.bin").write_bytes(b"x")
    with pytest.raises(CorruptModel, match="unrecognised layout"):
        detect_layout(d)


def test_spm_without_language_codes_is_not_nllb(tmp_path: Path, tiny_nllb_dir: Path) -> None:
    d = tmp_path / "m"
    shutil.copytree(tiny_nllb_dir, d)
    vocab = [t for t in json.loads((d / "shared_vocabulary.json").read_text()) if "_" not in t]
    (d / "shared_vocabulary.json").write_text(json.dumps(vocab))
    with pytest.raises(CorruptModel, match="not an NLLB model"):
        detect_layout(d)


def test_garbage_model_bin_fails_cleanly(home: Path, tmp_path: Path) -> None:
    from tarjama.pipeline import Translator

    d = tmp_path / "broken"
    shutil.copytree(TRANSLIT_MODEL, d)
    (d / "model.bin").write_bytes(b"\x00" * 64)
    with pytest.raises(CorruptModel, match="cannot load model"):
        Translator.load(d)


def test_filesystem_errors_on_add_and_remove_are_tarjama_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_model_dir: Path
) -> None:
    not_a_dir = tmp_path / "home-is-a-file"
    not_a_dir.write_text("x", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot install model 'm'"):
        ModelStore(not_a_dir).add(tiny_model_dir, "m")
    store = ModelStore(tmp_path / "home")
    store.add(tiny_model_dir, "m")

    def busy(path: object, *args: object, **kwargs: object) -> None:
        raise OSError(16, "Device or resource busy")

    monkeypatch.setattr(shutil, "rmtree", busy)
    with pytest.raises(ConfigError, match="cannot remove model 'm': Device or resource busy"):
        store.remove("m")
