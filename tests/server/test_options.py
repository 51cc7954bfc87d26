"""`tarjama serve`'s flags and variables: every LibreTranslate 1.9.6 flag is accepted, each
has its LT_* variable, the order of precedence, the warnings, --load-only, and the docs."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from tarjama.cli import build_parser
from tarjama.errors import ConfigError
from tarjama.server import Registry, Settings
from tarjama.server.flags import LIBRETRANSLATE
from tarjama.server.options import OPTIONS, resolve, variables

from ..conftest import REPO

#: LibreTranslate 1.9.6's flags (libretranslate/main.py), as the issue lists them.
LT_FLAGS = [
    "--host",
    "--port",
    "--char-limit",
    "--req-limit",
    "--req-limit-storage",
    "--hourly-req-limit",
    "--hourly-req-limit-decay",
    "--daily-req-limit",
    "--req-flood-threshold",
    "--req-time-cost",
    "--batch-limit",
    "--debug",
    "--ssl",
    "--frontend-language-source",
    "--frontend-language-target",
    "--frontend-language",
    "--frontend-title",
    "--frontend-timeout",
    "--api-keys",
    "--api-keys-db-path",
    "--api-keys-remote",
    "--get-api-key-link",
    "--require-api-key-origin",
    "--require-api-key-secret",
    "--require-api-key-fingerprint",
    "--hide-api",
    "--under-attack",
    "--shared-storage",
    "--secondary",
    "--load-only",
    "--alternatives-limit",
    "--threads",
    "--suggestions",
    "--disable-files-translation",
    "--disable-web-ui",
    "--update-models",
    "--force-update-models",
    "--metrics",
    "--metrics-auth-token",
    "--translation-cache",
    "--url-prefix",
]


def serve_parser() -> argparse.ArgumentParser:
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    parser: argparse.ArgumentParser = sub.choices["serve"]
    return parser


def parse(*argv: str, env: dict[str, str] | None = None) -> tuple[Settings, list[str]]:
    resolved = resolve(env or {}, serve_parser().parse_args(list(argv)))
    return resolved.settings, resolved.warnings


def test_every_libretranslate_flag_is_accepted() -> None:
    assert {o.flag for o in LIBRETRANSLATE} == set(LT_FLAGS)
    flags = {s for a in serve_parser()._actions for s in a.option_strings}
    assert set(LT_FLAGS) <= flags


def test_each_flag_has_its_lt_variable() -> None:
    for flag in LT_FLAGS:
        var = "LT_" + flag[2:].upper().replace("-", "_")
        assert variables()[var] == flag


def test_the_flags_of_the_issue_mean_what_they_say(tmp_path: Path) -> None:
    s, warnings = parse(
        "--load-only", "ar,EN", "--char-limit", "5000", "--req-limit", "100", "--api-keys",
        "--suggestions", "--disable-files-translation", "--url-prefix", "lt", "--metrics",
        "--translation-cache", "all", "--disable-web-ui", "--threads", "2",
    )  # fmt: skip
    assert s.load_only == ("ar", "en") and (s.char_limit, s.req_limit) == (5000, 100)
    assert s.api_keys and s.suggestions and not s.files_translation and s.metrics
    assert s.url_prefix == "/lt"  # a leading slash added, as LibreTranslate does
    assert s.translation_cache == ("all",) and not s.web_ui and s.threads == 2
    assert warnings == []


def test_variables_and_their_order() -> None:
    env = {"LT_CHAR_LIMIT": "10", "LT_PORT": "7000", "TARJAMA_PORT": "7001", "LT_API_KEYS": "true"}
    s, _ = parse(env=env)
    assert (s.char_limit, s.port, s.api_keys) == (10, 7001, True)  # TARJAMA_ over LT_
    s, _ = parse("--port", "7002", "--char-limit", "20", env=env)
    assert (s.port, s.char_limit) == (7002, 20)  # a flag over both
    s, _ = parse(env={"LT_DISABLE_FILES_TRANSLATION": "1", "LT_HOURLY_REQ_LIMIT_MULTIPLIER": "30"})
    assert not s.files_translation and s.hourly_req_limit_multiplier == 30


def test_libretranslate_defaults_are_off() -> None:
    s, _ = parse()
    assert (s.char_limit, s.batch_limit, s.req_limit, s.api_keys) == (-1, -1, -1, False)
    assert s.body_limit == 2 << 20  # tarjama's own cap, for safety


@pytest.mark.parametrize(
    ("argv", "warning"),
    [
        (["--update-models"], "--update-models is ignored"),
        (["--force-update-models"], "--force-update-models is ignored"),
        (["--secondary"], "--secondary is ignored"),
        (["--hide-api"], "--hide-api is ignored"),
        (["--frontend-title", "Desk"], "--frontend-title is ignored"),
        (["--frontend-language", "ar"], "--frontend-language is ignored"),
        (["--shared-storage", "redis://x:6379"], "--shared-storage redis://x:6379 is ignored"),
        (["--req-limit-storage", "redis://x"], "--req-limit-storage redis://x is ignored"),
    ],
)
def test_flags_without_meaning_warn_in_one_line(argv: list[str], warning: str) -> None:
    _, warnings = parse(*argv)
    assert len(warnings) == 1 and warnings[0].startswith(warning) and "\n" not in warnings[0]


def test_memory_storage_needs_no_warning() -> None:
    assert parse("--shared-storage", "memory://", "--req-limit-storage", "memory://")[1] == []


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        (["--port", "http"], {}, "--port must be an integer, not 'http'"),
        ([], {"LT_CHAR_LIMIT": "lots"}, "LT_CHAR_LIMIT must be an integer, not 'lots'"),
        ([], {"LT_API_KEYS": "maybe"}, "LT_API_KEYS must be true or false, not 'maybe'"),
        (["--req-limit", "0"], {}, "req-limit must be positive or -1, not 0"),
        (["--require-api-key-origin", "(["], {}, "require-api-key-origin is not a valid pattern"),
        (["--url-prefix", "/"], {}, None),
    ],
)
def test_bad_values_are_one_clear_error(
    argv: list[str], env: dict[str, str], message: str | None
) -> None:
    if message is None:
        assert parse(*argv, env=env)[0].url_prefix == ""
        return
    with pytest.raises(ConfigError) as err:
        parse(*argv, env=env)
    assert str(err.value).startswith(message)


def test_load_only_selects_models_and_pairs(tiny_model_dir: Path, tmp_path: Path) -> None:
    s = Settings(models=(str(tiny_model_dir),), load_only=("ar", "en"), home=tmp_path)
    assert [m.pairs for m in Registry.load(s).models] == [[("ar", "en")]]
    with pytest.raises(ConfigError, match="unavailable language codes de"):
        Registry.load(s.replace(load_only=("ar", "de")))
    with pytest.raises(ConfigError, match="no model translates between"):
        Registry.load(s.replace(load_only=("en",)))


def test_docs_list_every_flag_and_variable() -> None:
    text = (REPO / "docs" / "libretranslate.md").read_text(encoding="utf-8")
    rows = {m.group(1) for m in re.finditer(r"^\| `(--[a-z-]+)`", text, re.MULTILINE)}
    assert {o.flag for o in OPTIONS} <= rows
    for var in variables():
        assert f"`{var}`" in text, var
    for opt in LIBRETRANSLATE:
        row = next(line for line in text.splitlines() if line.startswith(f"| `{opt.flag}`"))
        verdict = "warned" if opt.setting is None else "honoured"
        assert f"| {verdict} |" in row, row
