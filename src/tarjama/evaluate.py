"""Corpus-level scores of a translation against references: BLEU, chrF++, TER (sacrebleu),
each with its signature, and COMET when it can run here without the network.

COMET needs the ``unbabel-comet`` package and a local checkpoint, passed as ``comet_model``
(a ``.ckpt`` file or a model directory holding ``checkpoints/model.ckpt``; the workspace
finds ``$TARJAMA_COMET_MODEL`` or ``$TARJAMA_HOME/models/comet``). Without them the report
says COMET was skipped, and why.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sacrebleu.metrics.bleu import BLEU
from sacrebleu.metrics.chrf import CHRF
from sacrebleu.metrics.ter import TER

from .errors import ConfigError, InputError


@dataclass(frozen=True)
class Score:
    metric: str
    score: float
    signature: str

    def to_json(self) -> dict[str, Any]:
        return {"metric": self.metric, "score": round(self.score, 4), "signature": self.signature}


@dataclass
class Evaluation:
    lines: int
    scores: list[Score] = field(default_factory=list)
    comet_skipped: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "lines": self.lines,
            "scores": [s.to_json() for s in self.scores],
            "comet_skipped": self.comet_skipped,
        }

    def to_text(self) -> str:
        out = [f"{s.metric:7s} {s.score:6.2f}  {s.signature}" for s in self.scores]
        if self.comet_skipped:
            out.append(f"COMET   skipped: {self.comet_skipped}")
        return "\n".join(out) + "\n"


METRICS = ("BLEU", "chrF++", "TER")


def evaluate(
    hypotheses: list[str],
    references: list[str],
    sources: list[str] | None = None,
    *,
    metrics: Sequence[str] = METRICS,
    comet_model: Path | None = None,
) -> Evaluation:
    """Score ``hypotheses`` against ``references`` (one line each, in the same order) with
    the sacrebleu ``metrics`` named, then COMET when it can run."""
    if len(hypotheses) != len(references):
        raise InputError(
            f"{len(hypotheses)} hypothesis lines but {len(references)} reference lines"
        )
    if sources is not None and len(sources) != len(references):
        raise InputError(f"{len(sources)} source lines but {len(references)} reference lines")
    if not hypotheses:
        raise InputError("nothing to score: the hypotheses and references have no lines")
    result = Evaluation(lines=len(hypotheses))
    unknown = set(metrics) - set(METRICS)
    if unknown:
        raise ConfigError(f"unknown metric(s) {sorted(unknown)}; known: {', '.join(METRICS)}")
    factories: dict[str, Callable[[], Any]] = {
        "BLEU": BLEU,
        "chrF++": lambda: CHRF(word_order=2),
        "TER": TER,
    }
    for name in metrics:
        metric = factories[name]()
        score = metric.corpus_score(hypotheses, [references])
        result.scores.append(Score(name, float(score.score), str(metric.get_signature())))
    comet, why = _comet_checkpoint(sources, comet_model)
    if comet is None:
        result.comet_skipped = why
    else:
        result.scores.append(_comet(comet, hypotheses, references, sources or []))
    return result


def _comet_checkpoint(sources: list[str] | None, candidate: Path | None) -> tuple[Path | None, str]:
    if sources is None:
        return None, "COMET needs the source text (--src)"
    if importlib.util.find_spec("comet") is None:
        return None, "the unbabel-comet package is not installed"
    if candidate is None:
        return None, "no COMET model given (set TARJAMA_COMET_MODEL)"
    if candidate.is_dir():
        candidate = candidate / "checkpoints" / "model.ckpt"
    if not candidate.is_file():
        return None, f"no local COMET model at {candidate} (set TARJAMA_COMET_MODEL)"
    return candidate, ""


def _comet(checkpoint: Path, hyps: list[str], refs: list[str], srcs: list[str]) -> Score:
    import comet  # type: ignore[import-not-found]  # optional, found by _comet_checkpoint

    model = comet.load_from_checkpoint(str(checkpoint))
    data = [{"src": s, "mt": h, "ref": r} for s, h, r in zip(srcs, hyps, refs, strict=True)]
    output = model.predict(data, batch_size=16, gpus=0, progress_bar=False)
    return Score("COMET", float(output.system_score), f"comet:{checkpoint.parent.parent.name}")
