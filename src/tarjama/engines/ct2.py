"""The CTranslate2 engine: int8 on CPU, CUDA when asked or available, batched by tokens."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ctranslate2
import numpy as np

from ..document import Signature
from ..errors import ConfigError, CorruptModel, EngineError, UnsupportedPair
from .base import Alignment, BatchStore, Carry, Hypothesis
from .cores import available_cores
from .tokenizers import Tokenizer

DEVICES = ("auto", "cpu", "cuda")
#: Source tokens per engine call. Large enough to keep every core busy at beam 4,
#: small enough that one call's memory stays modest.
MAX_BATCH_TOKENS = 4096
#: Sentences per call when aligning given translations (an editor's; a handful a render).
ALIGN_BATCH = 32

#: What one unit of a batch came out as: its hypotheses (tokens), the best one's score,
#: and its attention when asked for.
Row = tuple[list[list[str]], float, list[list[float]] | None]


def decoding_limit(source_tokens: int) -> int:
    """How many target tokens a source of this length may produce: 2n + 10.

    A model stuck in a loop stops here instead of running to the global default.
    """
    return 2 * source_tokens + 10


def open_model(
    kind: Any, name: str, directory: str | Path, device: str, compute_type: str, threads: int | None
) -> Any:
    """A CTranslate2 model of ``kind`` (``Translator`` or ``Generator``) loaded from
    ``directory``; a model it cannot load is a CorruptModel naming it."""
    try:
        return kind(
            str(directory),
            device=device,
            compute_type=compute_type,
            intra_threads=threads or available_cores(),
        )
    except (RuntimeError, ValueError, OSError, IndexError) as exc:
        raise CorruptModel(f"cannot load model '{name}' from {directory}: {exc}") from exc


def resolve_device(device: str) -> str:
    if device not in DEVICES:
        raise ConfigError(f"unknown device '{device}' (choose from {', '.join(DEVICES)})")
    if device == "auto":
        return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    if device == "cuda" and ctranslate2.get_cuda_device_count() == 0:
        raise ConfigError("device 'cuda' was asked for but no CUDA device is available")
    return device


class CTranslate2Engine:
    """Runs a CTranslate2 model directory with a tokenizer from :mod:`.tokenizers`."""

    #: Word alignment from cross-attention, for the texts that ask (see :class:`.base.Aligner`).
    aligns = True

    def __init__(
        self,
        model_dir: str | Path,
        tokenizer: Tokenizer,
        *,
        name: str,
        family: str = "",
        pairs: list[tuple[str, str]],
        max_input_tokens: int = 512,
        model_id: str = "",
        device: str = "auto",
        compute_type: str | None = None,
        beam_size: int = 4,
        threads: int | None = None,
    ) -> None:
        if beam_size < 1:
            raise ConfigError(f"beam size must be at least 1, not {beam_size}")
        self.name = name
        self.family = family
        self.pairs = pairs
        self.max_input_tokens = max_input_tokens
        self.device = resolve_device(device)
        # int8 keeps accuracy within noise of float32 for these models at a fraction of the cost.
        self.compute_type = compute_type or ("int8" if self.device == "cpu" else "int8_float16")
        self.beam_size = beam_size
        self.tokenizer = tokenizer
        self._model_id = model_id
        self._store: BatchStore | None = None
        # A text's units, from its count to its translation (shared by the views).
        self._units: Carry[list[list[str]]] = Carry(
            lambda texts, source: tokenizer.encode_many(texts, source, source),
            lambda units: sum(len(u) for u in units) or 1,
        )
        self._translator = open_model(
            ctranslate2.Translator, name, model_dir, self.device, self.compute_type, threads
        )

    def with_beam(self, beam_size: int) -> CTranslate2Engine:
        """The same loaded model decoding with another beam (shares weights and threads)."""
        if beam_size < 1:
            raise ConfigError(f"beam size must be at least 1, not {beam_size}")
        other = copy.copy(self)
        other.beam_size = beam_size
        return other

    def with_batch_store(self, store: BatchStore | None) -> CTranslate2Engine:
        """The same loaded model, keeping what each batch it decodes came out as in
        ``store``, and taking a batch found there instead of decoding it again."""
        other = copy.copy(self)
        other._store = store
        return other

    @property
    def signature(self) -> Signature:
        return Signature.of(
            self.name,
            model_id=self._model_id,
            tokenizer=self.tokenizer.hash,
            beam=self.beam_size,
            max_decoding="2n+10",
            compute_type=self.compute_type,
        )

    def count_tokens(self, text: str, source: str) -> int:
        return self.count_tokens_many([text], source)[0]

    def count_tokens_many(self, texts: Sequence[str], source: str) -> list[int]:
        """:meth:`count_tokens` of each text, in one call into the tokenizer; the units
        are kept for :meth:`translate_batch`, which then does not tokenize them again."""
        encoded = self._units.peek(texts, source)
        return [max((len(u) for u in units), default=0) for units in encoded]

    def translate_batch(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        *,
        num_alternatives: int = 0,
        align: Sequence[bool] | None = None,
    ) -> list[Hypothesis]:
        """One hypothesis per text; texts flagged in ``align`` also get a word alignment,
        read from the model's cross-attention (decoded in their own batches: attention
        costs time, and only those texts pay it)."""
        if (source, target) not in self.pairs:
            raise UnsupportedPair(self.name, source, target, self.pairs)
        # Flatten texts into units; remember which units belong to which text.
        units: list[list[str]] = []
        per_text: list[list[int]] = []
        # Units depend on the source alone (a target's token is the decoder's prefix).
        for text_units in self._units.take(texts, source):
            per_text.append(list(range(len(units), len(units) + len(text_units))))
            units.extend(text_units)
        flags = list(align) if align is not None else [False] * len(texts)
        attend = [bool(flags[i]) for i, unit_ids in enumerate(per_text) for _ in unit_ids]
        outputs = self._run(units, target, 1 + max(0, num_alternatives), attend)
        parts = [[outputs[u] for u in unit_ids] for unit_ids in per_text]
        n_hyps = [min((len(h) for h, _, _ in p), default=0) for p in parts]
        # Every hypothesis of every text in one call into the tokenizer.
        wanted = [(i, k) for i, n in enumerate(n_hyps) for k in range(n)]
        texts_out = self.tokenizer.decode_many([[h[k] for h, _, _ in parts[i]] for i, k in wanted])
        decoded = dict(zip(wanted, texts_out, strict=True))
        results: list[Hypothesis] = []
        for i, (text, unit_ids) in enumerate(zip(texts, per_text, strict=True)):
            if not unit_ids:
                results.append(Hypothesis("", 0.0))
                continue
            best = decoded[i, 0]
            alts = tuple(decoded[i, k] for k in range(1, n_hyps[i]))
            score = sum(s for _, s, _ in parts[i]) / len(parts[i])
            alignment = None
            if all(a is not None for _, _, a in parts[i]):
                alignment = self._alignment(text, best, [units[u] for u in unit_ids], parts[i])
            results.append(Hypothesis(best, score, alts, alignment))
        return results

    @property
    def aligns_targets(self) -> bool:
        """Whether a given translation can be aligned (:class:`.base.TargetAligner`): when
        the tokenizer reads the target side."""
        return self.tokenizer.target_pieces([], "") is not None

    def align_targets(
        self, sources: Sequence[str], targets: Sequence[str], source: str, target: str
    ) -> list[Alignment | None]:
        """Each translation's word alignment with its source, from the model's attention
        while it reads the translation as its own output (the translation is the decoder's
        forced prefix; what the model would add after it is dropped). None for a pair the
        model sees in several pieces, or whose tokens do not add up to the words."""
        if (source, target) not in self.pairs:
            raise UnsupportedPair(self.name, source, target, self.pairs)
        out: list[Alignment | None] = [None] * len(sources)
        pieces = self.tokenizer.target_pieces(targets, target)
        if pieces is None:
            return out
        units = self.tokenizer.encode_many(sources, source, target)
        prefix = self.tokenizer.target_prefix(target) or []
        chosen = [
            i for i, (u, p) in enumerate(zip(units, pieces, strict=True)) if len(u) == 1 and p
        ]
        for k in range(0, len(chosen), ALIGN_BATCH):
            batch = chosen[k : k + ALIGN_BATCH]
            forced = [prefix + pieces[i] for i in batch]
            try:
                results = self._translator.translate_batch(
                    [units[i][0] for i in batch],
                    target_prefix=forced,
                    beam_size=1,
                    return_attention=True,
                    max_input_length=0,
                    max_decoding_length=max(len(f) for f in forced) + 1,
                )
            except (RuntimeError, ValueError) as exc:
                raise EngineError(f"model '{self.name}' failed to align: {exc}") from exc
            for i, tokens, result in zip(batch, forced, results, strict=True):
                attention = [list(r) for r in result.attention[0][: len(tokens)]]
                row: Row = ([tokens], 0.0, attention)
                out[i] = self._alignment(sources[i], targets[i], units[i], [row])
        return out

    def _alignment(
        self,
        text: str,
        best: str,
        units: list[list[str]],
        parts: list[Row],
    ) -> Alignment | None:
        """Word links from attention: each target token to the source token it attends
        most. None when the tokens' words do not add up to the texts' words."""
        links: set[tuple[int, int]] = set()
        src_offset = tgt_offset = 0
        for unit, (hyps, _, attention) in zip(units, parts, strict=True):
            assert attention is not None
            src_ids = self.tokenizer.word_ids(unit)
            tgt_ids = self.tokenizer.word_ids(hyps[0])
            if len(attention) != len(tgt_ids):
                return None
            columns = [k for k, w in enumerate(src_ids) if w is not None]
            rows = [k for k, w in enumerate(tgt_ids) if w is not None]
            if columns and rows:
                weights = np.asarray(attention, dtype=np.float32)[np.ix_(rows, columns)]
                for row, column in zip(rows, weights.argmax(axis=1).tolist(), strict=True):
                    sw, tw = src_ids[columns[column]], tgt_ids[row]
                    assert sw is not None and tw is not None
                    links.add((src_offset + sw, tgt_offset + tw))
            src_offset += 1 + max((w for w in src_ids if w is not None), default=-1)
            tgt_offset += len(self.tokenizer.decode([hyps[0]]).split())
        if src_offset != len(text.split()) or tgt_offset != len(best.split()):
            return None
        return tuple(sorted(links))

    def _run(
        self, units: list[list[str]], target: str, n_best: int, attend: list[bool]
    ) -> list[Row]:
        """Translate units sorted by length in token-capped batches; results in input order.
        Units that need attention are batched apart from the others."""
        results: list[Row] = [([], 0.0, None)] * len(units)
        prefix = self.tokenizer.target_prefix(target)
        for with_attention in (False, True):
            chosen = [i for i in range(len(units)) if attend[i] == with_attention]
            order = sorted(chosen, key=lambda i: len(units[i]))
            batch: list[int] = []
            longest = 0
            for i in order:
                length = len(units[i])
                if batch and max(longest, length) * (len(batch) + 1) > MAX_BATCH_TOKENS:
                    self._fill(results, units, batch, prefix, n_best, with_attention)
                    batch, longest = [], 0
                batch.append(i)
                longest = max(longest, length)
            if batch:
                self._fill(results, units, batch, prefix, n_best, with_attention)
        return results

    def _fill(
        self,
        results: list[Row],
        units: list[list[str]],
        batch: list[int],
        prefix: list[str] | None,
        n_best: int,
        attention: bool,
    ) -> None:
        """Put what the units ``batch`` names come out as in ``results``."""
        rows = self._batch([units[i] for i in batch], prefix, n_best, attention)
        for i, row in zip(batch, rows, strict=False):
            results[i] = row

    def _batch(
        self, units: list[list[str]], prefix: list[str] | None, n_best: int, attention: bool
    ) -> list[Row]:
        """Decode one batch, or take it from the batch store when it is there."""
        store = self._store
        if store is None:
            return self._decode(units, prefix, n_best, attention)
        # Everything that decides the batch's output: the model, the units in their order,
        # the target prefix and the decoding settings (the step limit follows from the units).
        inputs = [self._model_id, max(self.beam_size, n_best), n_best, attention, prefix, units]
        key = hashlib.blake2b(json.dumps(inputs).encode(), digest_size=16).digest()
        kept = store.get(key)
        if kept is not None:
            return [(hyps, score, weights) for hyps, score, weights in json.loads(kept)]
        rows = self._decode(units, prefix, n_best, attention)
        # Floats go through JSON exactly (repr), so a batch taken back is the batch decoded.
        store.put(key, json.dumps(rows).encode(), len(units))
        return rows

    def _decode(
        self, units: list[list[str]], prefix: list[str] | None, n_best: int, attention: bool
    ) -> list[Row]:
        try:
            out = self._translator.translate_batch(
                units,
                target_prefix=[prefix] * len(units) if prefix else None,
                beam_size=max(self.beam_size, n_best),
                num_hypotheses=n_best,
                return_scores=True,
                return_attention=attention,
                # The pipeline cuts long sentences itself; never let CTranslate2 truncate.
                max_input_length=0,
                max_decoding_length=decoding_limit(max(len(u) for u in units)),
            )
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"model '{self.name}' failed to translate: {exc}") from exc
        rows: list[Row] = []
        for result in out:
            scores = result.scores or [0.0]
            weights = [list(r) for r in result.attention[0]] if attention else None
            rows.append(([list(h) for h in result.hypotheses], float(scores[0]), weights))
        return rows
