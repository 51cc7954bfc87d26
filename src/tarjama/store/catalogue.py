"""The models tarjama knows how to pull, what each is good for, and the default per pair.

Quality is corpus BLEU (sacrebleu default) on FLORES devtest as published: the Mozilla
evaluation files for FLORES-101 (opus-mt-ar-en, opus-mt-en-ar, nllb-200-distilled-600M:
the same figures ``tarjama evaluate`` reproduces) and the model cards for FLORES-200
(the tc-big models). Sizes are of the converted CTranslate2 int8 model, rounded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Target-language tokens of multi-target OPUS-MT models that mean Arabic (any variety).
ARABIC_TOKENS = (">>ara<<", ">>arb<<", ">>arz<<", ">>apc<<", ">>ary<<", ">>acm<<", ">>afb<<")
ENGLISH_TOKENS = (">>eng<<",)

_MARIAN_FILES = ["source.spm", "target.spm"]


@dataclass(frozen=True)
class CatalogueEntry:
    repo: str
    family: str
    source: str
    target: str
    #: Tokens put before every source sentence (multi-target OPUS-MT models need one).
    source_prefix: list[str] = field(default_factory=list)
    #: Tokenizer files to carry from the checkpoint into the converted model.
    copy_files: list[str] = field(default_factory=list)
    size_mb: int = 0
    #: BLEU per pair ("ar-en"), and where it was measured.
    bleu: dict[str, float] = field(default_factory=dict)
    measured: str = ""
    note: str = ""

    def quality(self, source: str, target: str) -> float:
        return self.bleu.get(f"{source}-{target}", 0.0)

    def pairs(self) -> list[tuple[str, str]]:
        if self.family == "nllb":
            return [(self.source, self.target), (self.target, self.source)]
        return [(self.source, self.target)]


CATALOGUE: dict[str, CatalogueEntry] = {
    "opus-mt-tc-big-ar-en": CatalogueEntry(
        "Helsinki-NLP/opus-mt-tc-big-ar-en",
        "marian",
        "ar",
        "en",
        copy_files=_MARIAN_FILES,
        size_mb=240,
        bleu={"ar-en": 42.8},
        measured="FLORES-200 devtest, model card",
        note="default ar->en: the best open ar->en model CTranslate2 runs natively",
    ),
    "opus-mt-tc-big-en-ar": CatalogueEntry(
        "Helsinki-NLP/opus-mt-tc-big-en-ar",
        "marian",
        "en",
        "ar",
        source_prefix=[">>ara<<"],
        copy_files=_MARIAN_FILES,
        size_mb=240,
        bleu={"en-ar": 29.7},
        measured="FLORES-200 devtest, model card",
        note="default en->ar",
    ),
    "opus-mt-ar-en": CatalogueEntry(
        "Helsinki-NLP/opus-mt-ar-en",
        "marian",
        "ar",
        "en",
        copy_files=_MARIAN_FILES,
        size_mb=80,
        bleu={"ar-en": 33.9},
        measured="FLORES-101 devtest, Mozilla evaluation",
        note="small and fast",
    ),
    "opus-mt-en-ar": CatalogueEntry(
        "Helsinki-NLP/opus-mt-en-ar",
        "marian",
        "en",
        "ar",
        source_prefix=[">>ara<<"],
        copy_files=_MARIAN_FILES,
        size_mb=80,
        bleu={"en-ar": 22.8},
        measured="FLORES-101 devtest, Mozilla evaluation",
        note="small and fast",
    ),
    "nllb-200-distilled-600M": CatalogueEntry(
        "facebook/nllb-200-distilled-600M",
        "nllb",
        "ar",
        "en",
        copy_files=["sentencepiece.bpe.model"],
        size_mb=620,
        bleu={"ar-en": 36.5, "en-ar": 21.5},
        measured="FLORES-101 devtest, Mozilla evaluation",
        note="both directions in one model",
    ),
}

#: The model each pair uses when the user names none (and `make run` pulls).
DEFAULTS = {("ar", "en"): "opus-mt-tc-big-ar-en", ("en", "ar"): "opus-mt-tc-big-en-ar"}


def default_for(source: str, target: str) -> str | None:
    return DEFAULTS.get((source, target))
