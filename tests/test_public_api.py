"""The names tarjama exports are its contract; changing them must be deliberate."""

import tarjama


def test_exported_names() -> None:
    assert sorted(tarjama.__all__) == sorted(
        [
            "ConfigError",
            "CorruptModel",
            "DecodeError",
            "Document",
            "Engine",
            "EngineError",
            "FileNotFound",
            "Glossary",
            "GlossaryError",
            "Hypothesis",
            "InputError",
            "Issue",
            "KeyStoreError",
            "MemoryStoreError",
            "ModelError",
            "ModelStore",
            "NameMatcher",
            "Paragraph",
            "PullError",
            "Segment",
            "TarjamaError",
            "TranslatedDocument",
            "TranslationMemory",
            "Translator",
            "UnknownModel",
            "UnsupportedPair",
            "Workspace",
            "__version__",
        ]
    )
    for name in tarjama.__all__:
        assert hasattr(tarjama, name)


def test_every_error_is_a_tarjama_error() -> None:
    for name in tarjama.__all__:
        obj = getattr(tarjama, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, tarjama.TarjamaError)
