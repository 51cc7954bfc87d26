"""The model store: layouts, manifests, roles, directions, add/list/remove, and errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tarjama.errors import ConfigError, CorruptModel, InputError, UnknownModel
from tarjama.store import ModelStore, default_home
from tarjama.store.manifest import MANIFEST, detect_layout, language_tokens, resolve_direction
from tarjama.testing import build_marian_model

from ..conftest import corpus


@pytest.fixture(scope="module")
def multi_target_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny model in the layout of opus-mt-en-ar: target tokens in the source vocabulary."""
    out = tmp_path_factory.mktemp("models") / "tiny-en-ar"
    return build_marian_model(
        out, corpus("en"), corpus("ar"), language_tokens=[">>ara<<", ">>arz<<", ">>apc<<"]
    )


def test_default_home_follows_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TARJAMA_HOME", str(tmp_path / "x"))
    assert default_home() == tmp_path / "x"
    monkeypatch.delenv("TARJAMA_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_home() == tmp_path / "xdg" / "tarjama"


def test_layouts_are_recognised(
    tiny_model_dir: Path, tiny_nllb_dir: Path, tiny_characters_dir: Path
) -> None:
    assert detect_layout(tiny_model_dir)[0] == "marian"
    assert detect_layout(tiny_nllb_dir)[0] == "nllb"
    assert detect_layout(tiny_characters_dir)[0] == "characters"


def test_add_writes_manifest_and_copies(home: Path, tiny_model_dir: Path) -> None:
    store = ModelStore()
    m = store.add(tiny_model_dir, "tiny", source="ar", target="en")
    data = json.loads((home / "models" / "tiny" / MANIFEST).read_text())
    assert data["family"] == "marian" and data["role"] == "translator"
    assert data["pairs"] == [["ar", "en"]] and data["source_prefix"] == []
    assert data["tokenizer"] == {
        "kind": "sentencepiece",
        "source": "source.spm",
        "target": "target.spm",
    }
    assert data["origin"]["kind"] == "local"
    assert data["size_bytes"] == m.size_bytes > 0
    assert (home / "models" / "tiny" / "model.bin").is_file()
    assert store.names() == ["tiny"]


def test_character_models_are_helpers(home: Path, tiny_characters_dir: Path) -> None:
    m = ModelStore().add(tiny_characters_dir, "aren-transliteration")
    assert (m.role, m.family, m.pairs) == ("helper", "characters", [("ar", "en")])
    # A manifest written before roles existed reads with the role of its family.
    path = home / "models" / "aren-transliteration" / MANIFEST
    data = json.loads(path.read_text())
    del data["role"]
    path.write_text(json.dumps(data))
    assert ModelStore().manifest("aren-transliteration").role == "helper"


def test_nllb_offers_both_directions(home: Path, tiny_nllb_dir: Path) -> None:
    m = ModelStore().add(tiny_nllb_dir, "nllb")
    assert set(m.pairs) == {("ar", "en"), ("en", "ar")}


def test_a_target_token_for_arabic_means_en_ar(home: Path, multi_target_dir: Path) -> None:
    assert language_tokens(multi_target_dir) == [">>apc<<", ">>ara<<", ">>arz<<"]
    m = ModelStore().add(multi_target_dir, "my-en-ar")
    assert m.pairs == [("en", "ar")] and m.source_prefix == [">>ara<<"]


def test_a_pair_the_vocabulary_contradicts_is_refused(home: Path, multi_target_dir: Path) -> None:
    with pytest.raises(ConfigError, match=r">>ara<< for Arabic: it translates into Arabic"):
        ModelStore().add(multi_target_dir, "wrong", source="ar", target="en")
    assert ModelStore().names() == []


def test_the_catalogue_and_the_user_name_the_prefix(home: Path, multi_target_dir: Path) -> None:
    # The catalogue's entry of that name says >>ara<<, whatever the vocabulary offers first.
    assert ModelStore().add(multi_target_dir, "opus-mt-en-ar").source_prefix == [">>ara<<"]
    # The user may pick another target token; one the vocabulary lacks is refused.
    m = ModelStore().add(multi_target_dir, "egyptian", source_prefix=[">>arz<<"])
    assert (m.pairs, m.source_prefix) == ([("en", "ar")], [">>arz<<"])
    with pytest.raises(ConfigError, match=">>ary<< is not in its vocabulary"):
        ModelStore().add(multi_target_dir, "moroccan", source_prefix=[">>ary<<"])


@pytest.mark.parametrize(
    ("name", "tokens", "given", "expected"),
    [
        ("m", [], (None, None, None), ("ar", "en", [])),
        ("m", [], ("en", "ar", None), ("en", "ar", [])),
        ("m", [">>ara<<"], (None, None, None), ("en", "ar", [">>ara<<"])),
        ("m", [">>ara<<", ">>eng<<"], (None, "en", None), ("ar", "en", [">>eng<<"])),
        ("opus-mt-tc-big-en-ar", [">>ara<<"], (None, None, None), ("en", "ar", [">>ara<<"])),
        ("opus-mt-ar-en", [], (None, None, None), ("ar", "en", [])),
    ],
)
def test_direction_table(
    name: str,
    tokens: list[str],
    given: tuple[str | None, str | None, list[str] | None],
    expected: tuple[str, str, list[str]],
) -> None:
    assert resolve_direction(name, tokens, *given) == expected


def test_add_twice_is_refused(home: Path, tiny_model_dir: Path) -> None:
    store = ModelStore()
    store.add(tiny_model_dir, "tr")
    with pytest.raises(ConfigError, match="already installed"):
        store.add(tiny_model_dir, "tr")


@pytest.mark.parametrize("name", ["", "../evil", "a/b", "-x", "a b"])
def test_bad_names_are_refused(home: Path, name: str, tiny_model_dir: Path) -> None:
    with pytest.raises(ConfigError, match="invalid model name"):
        ModelStore().add(tiny_model_dir, name)


def test_unknown_language_is_refused(home: Path, tiny_model_dir: Path) -> None:
    with pytest.raises(ConfigError, match="unsupported language 'fr'"):
        ModelStore().add(tiny_model_dir, "tr", source="fr")


def test_a_file_is_not_a_model_directory(home: Path, tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(b"x")
    with pytest.raises(InputError, match="is a file; give the model's directory"):
        ModelStore().add(tmp_path / "model.bin", "m")


def test_remove_and_unknown(home: Path, tiny_model_dir: Path) -> None:
    store = ModelStore()
    store.add(tiny_model_dir, "tr")
    store.remove("tr")
    assert store.names() == []
    with pytest.raises(UnknownModel, match="installed: none"):
        store.remove("tr")


def test_unknown_model_lists_installed(home: Path, tiny_model_dir: Path) -> None:
    store = ModelStore()
    store.add(tiny_model_dir, "tr")
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
def test_corrupt_model_directory(
    home: Path, breakage: str, message: str, tiny_model_dir: Path
) -> None:
    store = ModelStore()
    store.add(tiny_model_dir, "tr")
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


def test_unrecognised_layout(tmp_path: Path, tiny_model_dir: Path) -> None:
    d = tmp_path / "m"
    d.mkdir()
    shutil.copy(tiny_model_dir / "model.bin", d / "model.bin")
    with pytest.raises(CorruptModel, match="unrecognised layout"):
        detect_layout(d)


def test_spm_without_language_codes_is_not_nllb(tmp_path: Path, tiny_nllb_dir: Path) -> None:
    d = tmp_path / "m"
    shutil.copytree(tiny_nllb_dir, d)
    vocab = [t for t in json.loads((d / "shared_vocabulary.json").read_text()) if "_" not in t]
    (d / "shared_vocabulary.json").write_text(json.dumps(vocab))
    with pytest.raises(CorruptModel, match="not an NLLB model"):
        detect_layout(d)


@pytest.mark.parametrize("garbage", [b"\x00" * 64, b"not a model at all", b"", b"\x07\x00"])
def test_a_model_bin_that_is_not_a_model_says_so(
    home: Path, tmp_path: Path, tiny_model_dir: Path, garbage: bytes
) -> None:
    from tarjama import Translator

    d = tmp_path / "broken"
    shutil.copytree(tiny_model_dir, d)
    (d / "model.bin").write_bytes(garbage)
    with pytest.raises(CorruptModel, match=r"model\.bin is not a CTranslate2 model"):
        ModelStore().add(d, "broken")
    with pytest.raises(CorruptModel, match=r"model\.bin is not a CTranslate2 model"):
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
