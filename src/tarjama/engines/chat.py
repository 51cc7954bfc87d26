"""A decoder-only model's own prompt format, as its hub repository ships it: ``tokenizer.json``
(read with the ``tokenizers`` library) and the chat template (``chat_template.jinja``, or
``chat_template`` in ``tokenizer_config.json``), rendered with Jinja as transformers renders
it (a sandbox, ``trim_blocks`` and ``lstrip_blocks``, ``add_generation_prompt``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

from ..errors import CorruptModel
from .prompts import Message

#: Tokens that end an answer in the families tarjama runs (those in the vocabulary count).
END_TOKENS = ("<|im_end|>", "<end_of_turn>", "<|eot_id|>", "<|end_of_text|>", "<eos>", "</s>")


def _token(value: object) -> str:
    """A special token as tokenizer_config.json writes it: a string or {"content": ...}."""
    if isinstance(value, dict):
        return str(value.get("content", ""))
    return value if isinstance(value, str) else ""


class ChatFormat:
    """Renders messages with the model's template and tokenizes them with its tokenizer."""

    def __init__(self, directory: Path) -> None:
        from tokenizers import Tokenizer

        try:
            self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
            config = directory / "tokenizer_config.json"
            settings: dict[str, Any] = (
                json.loads(config.read_text(encoding="utf-8")) if config.is_file() else {}
            )
        except Exception as exc:  # OSError, bad JSON, and tokenizers' own exceptions
            raise CorruptModel(f"cannot read the tokenizer in {directory}: {exc}") from exc
        jinja = directory / "chat_template.jinja"
        source = jinja.read_text(encoding="utf-8") if jinja.is_file() else None
        source = source or settings.get("chat_template")
        if not isinstance(source, str) or not source.strip():
            raise CorruptModel(f"{directory} has no chat template (chat_template.jinja)")
        self.bos = _token(settings.get("bos_token"))
        self.eos = _token(settings.get("eos_token"))
        self._template = _compile(source)

    def render(self, chat: Sequence[Message]) -> str:
        """The prompt text of ``chat``, ending where the model's answer starts."""
        return str(
            self._template.render(
                messages=list(chat),
                bos_token=self.bos,
                eos_token=self.eos,
                add_generation_prompt=True,
                # Qwen3's templates: answer at once, without a "thinking" section.
                enable_thinking=False,
            )
        )

    def tokens(self, text: str) -> list[str]:
        """The tokens of prompt text (its special tokens are written in it)."""
        return list(self.tokenizer.encode(text, add_special_tokens=False).tokens)

    def count(self, texts: Sequence[str]) -> list[int]:
        encoded = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        return [len(e.ids) for e in encoded]

    def decode(self, ids: Sequence[int]) -> str:
        return str(self.tokenizer.decode(list(ids), skip_special_tokens=True))

    def end_tokens(self, vocabulary: Sequence[str] | None = None) -> list[str]:
        """The tokens that end an answer: the tokenizer's end of sequence and every known
        end of turn the tokenizer has."""
        known = [t for t in (self.eos, *END_TOKENS) if t]
        present = [t for t in known if self.tokenizer.token_to_id(t) is not None]
        if vocabulary is not None:
            present = [t for t in present if t in vocabulary]
        return list(dict.fromkeys(present))


def _raise(message: str) -> NoReturn:
    raise CorruptModel(f"the chat template refused the prompt: {message}")


def _compile(source: str) -> Any:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"]
    )
    env.filters["tojson"] = lambda value, **_: json.dumps(value, ensure_ascii=False)
    env.globals["raise_exception"] = _raise
    env.globals["strftime_now"] = lambda fmt: datetime.now().strftime(fmt)
    return env.from_string(source)
