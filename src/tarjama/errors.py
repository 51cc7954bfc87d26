"""One root exception for everything a user can get wrong or meet.

    TarjamaError
    ├── InputError            the user's text or request is unusable
    │   ├── DecodeError       bytes are not UTF-8 (carries the byte offset)
    │   ├── FileNotFound      a path the user named does not exist
    │   └── UnknownEntry      no memory entry has the id asked for
    ├── ModelError            a model cannot be used
    │   ├── UnknownModel      no such model installed (lists the installed ones)
    │   ├── CorruptModel      a model directory lacks files or cannot be loaded
    │   ├── UnsupportedPair   the model does not translate this language pair
    │   ├── NoModelForPair    no installed model translates the pair asked for
    │   └── PullError         downloading or converting a model failed
    ├── EngineError           the engine failed while translating (not the user's fault)
    ├── Stopped               a streamed translation stopped on purpose (client gone, deadline)
    ├── MemoryStoreError      the translation memory database is unusable
    ├── KeyStoreError         the server's API-key database is unusable
    ├── GlossaryError         a glossary file cannot be read
    └── ConfigError           a setting has an invalid value

Foreign errors (ctranslate2, sentencepiece, sqlite3, huggingface_hub, httpx) are translated into
this tree at the one place that calls them, with ``raise ... from exc``. The CLI maps every
TarjamaError to exit code 2 and one line on stderr; the server maps them to 4xx, and
EngineError, MemoryStoreError and KeyStoreError (the server's own state) to 503.
"""

from __future__ import annotations


class TarjamaError(Exception):
    """Root of every error tarjama raises on purpose."""


class InputError(TarjamaError):
    """The input text, file or request cannot be used."""


class DecodeError(InputError):
    """Input bytes are not valid UTF-8."""

    def __init__(self, offset: int, where: str = "input") -> None:
        self.offset = offset
        super().__init__(f"{where} is not valid UTF-8 (first bad byte at offset {offset})")


class FileNotFound(InputError):
    """A file named by the user does not exist or is not a file."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"no such file: {path}")


class UnknownEntry(InputError):
    """No entry of the translation memory has this id."""

    def __init__(self, entry_id: int) -> None:
        self.entry_id = entry_id
        super().__init__(f"no memory entry {entry_id}")


class ModelError(TarjamaError):
    """A model cannot be found, loaded or used."""


class UnknownModel(ModelError):
    def __init__(self, name: str, installed: list[str]) -> None:
        self.name = name
        self.installed = installed
        have = ", ".join(installed) if installed else "none"
        super().__init__(
            f"unknown model '{name}' (installed: {have}); "
            f"add one with 'tarjama models add DIR --name NAME' or 'tarjama models pull NAME'"
        )


class CorruptModel(ModelError):
    """A model directory is missing files or cannot be loaded."""


class UnsupportedPair(ModelError):
    def __init__(self, model: str, source: str, target: str, pairs: list[tuple[str, str]]) -> None:
        self.model = model
        have = ", ".join(f"{s}->{t}" for s, t in pairs) or "none"
        super().__init__(f"model '{model}' does not translate {source}->{target} (it does: {have})")


class NoModelForPair(ModelError):
    def __init__(self, source: str, target: str, suggestion: str | None) -> None:
        self.source, self.target = source, target
        hint = f"; pull one: tarjama models pull {suggestion}" if suggestion else ""
        super().__init__(f"no installed model translates {source}->{target}{hint}")


class PullError(ModelError):
    """Downloading or converting a model failed."""


class EngineError(TarjamaError):
    """The translation engine failed on valid input."""


class Stopped(TarjamaError):
    """Work stopped on purpose mid-way (a streamed request's client went away, its deadline
    passed): not an engine failure, so no guard falls back on it."""


class MemoryStoreError(TarjamaError):
    """The translation memory database cannot be used."""


class JournalError(TarjamaError):
    """A batch job's journal cannot be read or written (a full disk, a damaged file)."""


class KeyStoreError(TarjamaError):
    """The API-key database cannot be used (the server answers 503, the CLI exits 2)."""


class GlossaryError(TarjamaError):
    """A glossary file cannot be read."""


class ConfigError(TarjamaError):
    """A setting has an invalid value."""
