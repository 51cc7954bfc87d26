"""Tokenizers for the three model layouts: Marian SentencePiece, NLLB, and characters.

A tokenizer turns one text into one or more *units* (token lists the model sees
separately) and turns the units' outputs back into text. Character models were trained on
single words, so each word is its own unit; SentencePiece models see one unit per text.

Decoding never lets a special token or SentencePiece's word mark ``▁`` into the text, as
transformers' ``decode(skip_special_tokens=True)`` does not: a model's vocabulary holds
tokens its target SentencePiece model lacks (Marian's vocabulary is the union of both
sides, so an Arabic name can be copied into English), and special tokens (language codes,
``<unk>``, ``madeupword0000``) can be emitted like any other.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import sentencepiece as spm

from ..errors import CorruptModel
from ..store.manifest import NLLB_CODES


class Tokenizer(Protocol):
    """``encode_many``/``decode_many`` take whole lists in one call: the engine's way, since
    each call into SentencePiece lets go of the GIL, and a thread that wants it back behind
    a busy one (a batch job checks a pool while the next is translated) waits a switch
    interval, 5 ms, each time: one call per sentence would wait that long per sentence."""

    hash: str

    def encode(self, text: str, source: str, target: str) -> list[list[str]]: ...

    def encode_many(
        self, texts: Sequence[str], source: str, target: str
    ) -> list[list[list[str]]]: ...

    def target_prefix(self, target: str) -> list[str] | None: ...

    def target_pieces(self, texts: Sequence[str], target: str) -> list[list[str]] | None:
        """Translations as the model writes them (its target tokens, one unit each,
        without the prefix): what forced decoding reads. None for a layout that cannot."""
        ...

    def decode(self, units: Sequence[Sequence[str]]) -> str: ...

    def decode_many(self, outputs: Sequence[Sequence[Sequence[str]]]) -> list[str]:
        """Each output's text; an output is the units of one text."""
        ...

    def word_ids(self, tokens: Sequence[str]) -> list[int | None]:
        """For each token of one unit, the word of the unit's text it belongs to (None
        for control tokens): what turns token attention into a word alignment."""
        ...


def piece_word_ids(tokens: Sequence[str]) -> list[int | None]:
    """SentencePiece pieces to words: a piece starting with "▁" starts a new word; special
    tokens belong to none (an unknown piece stands for letters, so it stays in its word)."""
    ids: list[int | None] = []
    word = -1
    for token in tokens:
        if is_special(token) and token != "<unk>":
            ids.append(None)
            continue
        if word < 0 or token.startswith("▁"):
            word += 1
        ids.append(word)
    return ids


def file_hash(paths: Sequence[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


#: Tokens that are instructions or padding, never text: <unk>, </s>, <pad>, <mask>, ...,
#: Marian's >>ara<< target tokens, NLLB's language codes (arb_Arab) and fillers.
_SPECIAL = re.compile(
    r"<[^<>\s]+>|>>[a-z]{2,3}(?:_[A-Za-z]{4})?<<|[a-z]{3}_[A-Z][a-z]{3}|madeupword\d+"
)
_WORD_MARK = "\u2581"  # ▁


def is_special(token: str) -> bool:
    return _SPECIAL.fullmatch(token) is not None


def _decode_all(sp: spm.SentencePieceProcessor, units: list[list[str]]) -> list[str]:
    """The text of each unit of SentencePiece pieces, in one call into SentencePiece:
    special tokens dropped; a piece the model does not know keeps its text, with its word
    mark read as a space."""
    if not units:
        return []
    texts = sp.decode_pieces([[p for p in u if not is_special(p)] for u in units])
    return [" ".join(str(t).replace(_WORD_MARK, " ").split()) for t in texts]


class _Pieces:
    """What the SentencePiece layouts share: lists in one call, a unit per text."""

    _src: spm.SentencePieceProcessor
    _tgt: spm.SentencePieceProcessor

    def _unit(self, pieces: list[str], source: str) -> list[str]:
        raise NotImplementedError

    def encode(self, text: str, source: str, target: str) -> list[list[str]]:
        return self.encode_many([text], source, target)[0]

    def encode_many(self, texts: Sequence[str], source: str, target: str) -> list[list[list[str]]]:
        pieces = self._src.encode(list(texts), out_type=str) if texts else []
        return [[self._unit(p, source)] for p in pieces]

    def target_pieces(self, texts: Sequence[str], target: str) -> list[list[str]] | None:
        return [list(p) for p in self._tgt.encode(list(texts), out_type=str)] if texts else []

    def decode(self, units: Sequence[Sequence[str]]) -> str:
        return self.decode_many([units])[0]

    def decode_many(self, outputs: Sequence[Sequence[Sequence[str]]]) -> list[str]:
        texts = iter(_decode_all(self._tgt, [list(u) for units in outputs for u in units]))
        return [" ".join(next(texts) for _ in units) for units in outputs]

    def word_ids(self, tokens: Sequence[str]) -> list[int | None]:
        return piece_word_ids(tokens)


def _load_spm(path: Path) -> spm.SentencePieceProcessor:
    try:
        return spm.SentencePieceProcessor(model_file=str(path))
    except (OSError, RuntimeError) as exc:
        raise CorruptModel(f"cannot load SentencePiece model {path}: {exc}") from exc


class MarianTokenizer(_Pieces):
    """OPUS-MT: source.spm and target.spm, ``</s>`` closes the source.

    Multi-target models (e.g. opus-mt-en-ar) need a ``>>ara<<`` token first.
    """

    def __init__(self, source_spm: Path, target_spm: Path, source_prefix: Sequence[str] = ()):
        self._src = _load_spm(source_spm)
        self._tgt = _load_spm(target_spm)
        self._prefix = list(source_prefix)
        self.hash = file_hash([source_spm, target_spm])

    def _unit(self, pieces: list[str], source: str) -> list[str]:
        return [*self._prefix, *pieces, "</s>"]

    def target_prefix(self, target: str) -> list[str] | None:
        return None


class NllbTokenizer(_Pieces):
    """NLLB/M2M-100: one SentencePiece model, language codes around the tokens."""

    def __init__(self, model: Path):
        self._src = self._tgt = _load_spm(model)
        self.hash = file_hash([model])

    def _unit(self, pieces: list[str], source: str) -> list[str]:
        return [NLLB_CODES[source], *pieces, "</s>"]

    def target_prefix(self, target: str) -> list[str] | None:
        return [NLLB_CODES[target]]


class CharacterTokenizer:
    """One token per character, one unit per word (the models were trained on words)."""

    def __init__(self, vocab_files: Sequence[Path]):
        self.hash = file_hash(vocab_files)

    def encode(self, text: str, source: str, target: str) -> list[list[str]]:
        return [list(word) for word in text.split()]

    def encode_many(self, texts: Sequence[str], source: str, target: str) -> list[list[list[str]]]:
        return [self.encode(t, source, target) for t in texts]  # no C calls to gather

    def target_prefix(self, target: str) -> list[str] | None:
        return None

    def target_pieces(self, texts: Sequence[str], target: str) -> list[list[str]] | None:
        return None  # a word per unit: a sentence is never one unit

    def decode(self, units: Sequence[Sequence[str]]) -> str:
        return " ".join("".join(t for t in u if not is_special(t)) for u in units)

    def decode_many(self, outputs: Sequence[Sequence[Sequence[str]]]) -> list[str]:
        return [self.decode(units) for units in outputs]

    def word_ids(self, tokens: Sequence[str]) -> list[int | None]:
        return [0] * len(tokens)  # a unit is one word
