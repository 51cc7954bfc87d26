"""The models tarjama knows how to pull, what each is good for, and the default per pair.

Quality is corpus BLEU (sacrebleu default) on FLORES devtest as published: the Mozilla
evaluation files for FLORES-101 (opus-mt-ar-en, opus-mt-en-ar, nllb-200-distilled-600M:
the same figures ``tarjama evaluate`` reproduces) and the model cards for FLORES-200
(the tc-big models). Sizes are of the converted CTranslate2 int8 model, rounded.

The LLMs (family ``generator``: converted and run in-process; ``openai``: through an
OpenAI-compatible server only) translate both ways. tarjama quotes no FLORES BLEU for them
(none was confirmed for ar<->en), so ``measured`` says where their standing comes from, or
that it could not be confirmed; their size is the int8 estimate (a byte a parameter of the
text model) or, for an endpoint, the bf16 checkpoint's. Their licences differ, and some
restrict use: ``licence`` says so, and ``models list --available`` prints it. The sources
of each figure are listed in docs/llm.md.
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
    licence: str = ""
    #: The prompt profile of an LLM (engines/prompts.py).
    profile: str = ""

    def quality(self, source: str, target: str) -> float:
        return self.bleu.get(f"{source}-{target}", 0.0)

    def pairs(self) -> list[tuple[str, str]]:
        if self.family in ("nllb", "generator", "openai"):
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

_TRANSLATEGEMMA = (
    "TranslateGemma technical report (Google, arXiv 2601.09012): the 12B beats Gemma 3 27B "
    "on WMT24++ (55 languages); no ar<->en FLORES BLEU quoted"
)
_AYA = (
    "no figure confirmed: 23 languages, Arabic among them (model card); its WMT25 "
    "English->Arabic rank could not be checked"
)
_GEMMA_LICENCE = (
    "Gemma Terms of Use and Prohibited Use Policy (gated on the hub: accept them and log in first)"
)
_COHERE_LICENCE = "CC-BY-NC-4.0: non-commercial use only, and Cohere Labs' acceptable use policy"
#: Gemma 3's text model (embeddings and layers, not the 0.4B vision encoder), in millions of
#: parameters (Gemma 3 report): what a converted TranslateGemma holds, a byte each in int8.
_GEMMA3_TEXT = {"4b": 3_900, "12b": 11_800, "27b": 27_000}


def _translategemma(size: str, note: str) -> CatalogueEntry:
    return CatalogueEntry(
        f"google/translategemma-{size}-it",
        "generator",
        "ar",
        "en",
        size_mb=_GEMMA3_TEXT[size],
        measured=_TRANSLATEGEMMA,
        note=note,
        licence=_GEMMA_LICENCE,
        profile="translategemma",
    )


#: LLM translators (docs/llm.md). None is a default: an LLM is chosen by name.
LLMS: dict[str, CatalogueEntry] = {
    "translategemma-4b": _translategemma("4b", "Gemma 3 4B tuned to translate"),
    "translategemma-12b": _translategemma("12b", "a GPU with 16 GB or more"),
    "translategemma-27b": _translategemma("27b", "a GPU with 32 GB or more"),
    "hunyuan-mt-7b": CatalogueEntry(
        "tencent/Hunyuan-MT-7B",
        "openai",
        "ar",
        "en",
        size_mb=16_100,
        measured="Tencent reports first place in 30 of the 31 WMT25 general MT pairs it "
        "entered (model card, Hunyuan-MT technical report); its English->Arabic rank not confirmed",
        note="endpoint only: CTranslate2 cannot convert its architecture (HunYuan dense)",
        licence="Tencent Hunyuan Community License Agreement: it does not apply in the "
        "European Union, the United Kingdom or South Korea (not licensed there); its "
        "acceptable use policy applies",
        profile="hunyuan-mt",
    ),
    "aya-expanse-8b": CatalogueEntry(
        "CohereLabs/aya-expanse-8b",
        "openai",
        "ar",
        "en",
        size_mb=16_100,
        measured=_AYA,
        note="endpoint only: CTranslate2 cannot convert Cohere models",
        licence=_COHERE_LICENCE,
        profile="generic",
    ),
    "aya-expanse-32b": CatalogueEntry(
        "CohereLabs/aya-expanse-32b",
        "openai",
        "ar",
        "en",
        size_mb=64_600,
        measured=_AYA,
        note="endpoint only: CTranslate2 cannot convert Cohere models",
        licence=_COHERE_LICENCE,
        profile="generic",
    ),
    "qwen3-8b": CatalogueEntry(
        "Qwen/Qwen3-8B",
        "generator",
        "ar",
        "en",
        size_mb=8_200,
        measured="a general chat model, 8.2B parameters (Qwen3 model card); no ar<->en "
        "FLORES BLEU found",
        note="answers without a thinking section (enable_thinking off); 32,768 tokens of context",
        licence="Apache-2.0",
        profile="generic",
    ),
}
CATALOGUE.update(LLMS)

#: The model each pair uses when the user names none (and `make run` pulls).
DEFAULTS = {("ar", "en"): "opus-mt-tc-big-ar-en", ("en", "ar"): "opus-mt-tc-big-en-ar"}


def default_for(source: str, target: str) -> str | None:
    return DEFAULTS.get((source, target))
