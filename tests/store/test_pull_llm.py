"""The LLMs of the catalogue: what `pull` converts (the generator's families, against a local
fake of the hub, no network) and what it refuses with the endpoint path, in one line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tarjama.engines.prompts import PROFILES
from tarjama.errors import ConfigError, PullError
from tarjama.store.catalogue import CATALOGUE, DEFAULTS, LLMS
from tarjama.store.llm import GeneratorSettings
from tarjama.store.pull import Downloader, choose_files, pull
from tarjama.workspace import Workspace

from ..commands import tarjama_text

ENDPOINT_ONLY = ["hunyuan-mt-7b", "aya-expanse-8b", "aya-expanse-32b"]
CONVERTED = ["translategemma-4b", "translategemma-12b", "translategemma-27b", "qwen3-8b"]


def test_the_llm_entries_say_size_licence_profile_and_where_their_figures_come_from() -> None:
    assert set(LLMS) == set(ENDPOINT_ONLY) | set(CONVERTED)
    assert all(CATALOGUE[name] is entry for name, entry in LLMS.items())
    for name, entry in LLMS.items():
        assert entry.size_mb > 1000 and entry.licence and entry.measured, name
        assert entry.profile in PROFILES, name
        assert set(entry.pairs()) == {("ar", "en"), ("en", "ar")}, name
        assert entry.family == ("openai" if name in ENDPOINT_ONLY else "generator"), name
    assert name not in DEFAULTS.values()  # an LLM is chosen by name, never by default
    hunyuan = LLMS["hunyuan-mt-7b"].licence
    assert all(t in hunyuan for t in ("European Union", "United Kingdom", "South Korea"))
    assert all("non-commercial" in LLMS[n].licence for n in ("aya-expanse-8b", "aya-expanse-32b"))
    assert {LLMS[n].profile for n in CONVERTED[:3]} == {"translategemma"}
    assert LLMS["hunyuan-mt-7b"].profile == "hunyuan-mt"


@pytest.mark.parametrize("name", ENDPOINT_ONLY)
def test_pull_refuses_an_endpoint_only_model_naming_the_endpoint_path(
    tmp_path: Path, name: str
) -> None:
    def download(repo: str, local_dir: Path) -> Path:
        raise AssertionError("nothing is downloaded")

    with pytest.raises(ConfigError) as refused:
        pull(name, home=tmp_path, download=download)
    line = str(refused.value)
    assert "\n" not in line
    entry = LLMS[name]
    assert (
        f"tarjama models add-endpoint {name} --url URL --model {entry.repo} "
        f"--profile {entry.profile}" in line
    )


def test_the_cli_refuses_it_in_one_line_with_exit_2(tmp_path: Path) -> None:
    ran = tarjama_text("models", "pull", "aya-expanse-32b", home=tmp_path)
    assert ran.returncode == 2
    (line,) = ran.stderr.strip().splitlines()
    assert "CTranslate2 cannot convert Cohere models" in line
    assert "models add-endpoint aya-expanse-32b" in line


def test_models_list_available_shows_the_llms_licences(tmp_path: Path) -> None:
    out = tarjama_text("models", "list", "--available", home=tmp_path).stdout
    rows = {line.split("\t")[0]: line for line in out.splitlines() if "\t" in line}
    assert "South Korea" in rows["hunyuan-mt-7b"] and "~16,100 MB" in rows["hunyuan-mt-7b"]
    assert "non-commercial" in rows["aya-expanse-8b"]
    assert "WMT24++" in rows["translategemma-12b"] and "Gemma Terms" in rows["translategemma-12b"]


# Files of google/translategemma-4b-it as the hub lists them.
TRANSLATEGEMMA_FILES = [
    ".gitattributes", "README.md", "added_tokens.json", "chat_template.jinja", "config.json",
    "generation_config.json", "model-00001-of-00002.safetensors",
    "model-00002-of-00002.safetensors", "model.safetensors.index.json",
    "preprocessor_config.json", "processor_config.json", "special_tokens_map.json",
    "tokenizer.json", "tokenizer.model", "tokenizer_config.json",
]  # fmt: skip


def test_a_pull_takes_the_chat_template_and_the_shards() -> None:
    chosen = choose_files(TRANSLATEGEMMA_FILES)
    assert {"chat_template.jinja", "tokenizer.json", "model.safetensors.index.json"} <= set(chosen)
    assert "model-00002-of-00002.safetensors" in chosen and "README.md" not in chosen


def _fake_hub(root: Path) -> Downloader:
    def download(repo_id: str, local_dir: Path) -> Path:
        if not (root / repo_id).is_dir():
            raise PullError(f"cannot download {repo_id}: 404 Repository Not Found")
        shutil.copytree(root / repo_id, local_dir)
        return local_dir

    return download


@pytest.mark.needs_torch
@pytest.mark.parametrize(
    ("name", "family", "window"),
    [("translategemma-4b", "translategemma", 48), ("qwen3-8b", "qwen3", 0)],
)
def test_pull_converts_an_llm_to_int8_with_its_profile_and_it_translates(
    tmp_path: Path, name: str, family: str, window: int
) -> None:
    from ..llm_checkpoints import build_decoder_checkpoint

    hub = tmp_path / "hub"
    build_decoder_checkpoint(hub / LLMS[name].repo, family)
    home = tmp_path / "home"
    m = pull(name, home=home, download=_fake_hub(hub), status=lambda _: None)
    assert m.family == "generator" and set(m.pairs) == {("ar", "en"), ("en", "ar")}
    assert m.origin["converted"] is True and m.origin["quantization"] == "int8"
    settings = GeneratorSettings.read(home / "models" / name)
    assert (settings.profile, settings.window) == (LLMS[name].profile, window)
    doc = (
        Workspace.open(home)
        .translator(name, source="ar", target="en")
        .translate_document("قال الرئيس إن الخطة جاهزة.")
    )
    assert len(doc.segments) == 1 and doc.segments[0].translation


def test_add_of_a_generator_model_takes_its_profile_and_refuses_a_bad_one(
    tmp_path: Path, tiny_generator_dir: Path, tiny_model_dir: Path
) -> None:
    home = tmp_path / "home"
    ran = tarjama_text(
        "models", "add", str(tiny_generator_dir), "--name", "llm", "--profile", "hunyuan-mt",
        home=home,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert "llm (translator, generator, ar->en, en->ar" in ran.stdout
    assert GeneratorSettings.read(home / "models" / "llm").profile == "hunyuan-mt"
    assert GeneratorSettings.read(tiny_generator_dir).profile == "generic"  # the original's
    bad = tarjama_text(
        "models", "add", str(tiny_generator_dir), "--name", "bad", "--profile", "poem",
        home=home,
    )  # fmt: skip
    assert bad.returncode == 2 and "unknown prompt profile 'poem'" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    nmt = tarjama_text(
        "models", "add", str(tiny_model_dir), "--name", "nmt", "--profile", "generic", home=home
    )
    assert nmt.returncode == 2 and "a prompt profile is for LLMs" in nmt.stderr
    assert sorted(p.name for p in (home / "models").iterdir()) == ["llm"]
