"""The one place that orchestrates a translation.

document -> paragraphs -> sentences (text/) -> clean-up -> [memory] -> [glossary] -> engine
-> rendering -> [checks]

Every segment of a document reaches the engine in one call: deduplicated, and cut at
clause boundaries when longer than the model's input limit (then joined back).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .document import Document, Segment, TranslatedDocument
from .engines.base import Engine, Hypothesis
from .errors import ConfigError, UnsupportedPair
from .glossary import Glossary, Protected
from .memory import TranslationMemory
from .names import NameMatcher
from .qa import check_document
from .text import clean, cut_clauses, render, split_sentences
from .text.render import DIGIT_SYSTEMS


class Translator:
    """Translate sentences or whole documents with one engine.

    >>> t = Translator.load("opus-mt-ar-en")          # doctest: +SKIP
    >>> t.translate_document("...").text              # doctest: +SKIP
    """

    def __init__(
        self,
        engine: Engine,
        *,
        source: str | None = None,
        target: str | None = None,
        glossary: Glossary | None = None,
        names: NameMatcher | None = None,
        memory: TranslationMemory | None = None,
        digits: str | None = None,
    ) -> None:
        if digits is not None and digits not in DIGIT_SYSTEMS:
            raise ConfigError(f"digits must be one of {', '.join(DIGIT_SYSTEMS)}, not '{digits}'")
        self.digits = digits
        self.engine = engine
        self.glossary = glossary
        self.memory = memory
        # Without a transliterator, names are judged by the glossary alone (see tarjama.names).
        self.names = names or NameMatcher(None, glossary)
        if source is None or target is None:
            default_source, default_target = _default_pair(engine.pairs)
            source = source or default_source
            target = target or default_target
        if (source, target) not in engine.pairs:
            raise UnsupportedPair(engine.name, source, target, engine.pairs)
        self.source = source
        self.target = target

    @classmethod
    def load(
        cls,
        name_or_dir: str | Path,
        *,
        source: str | None = None,
        target: str | None = None,
        device: str = "auto",
        beam_size: int = 4,
        home: str | Path | None = None,
        compute_type: str | None = None,
        threads: int | None = None,
        glossary: Glossary | None = None,
        names: NameMatcher | None = None,
        memory: TranslationMemory | None = None,
        digits: str | None = None,
    ) -> Translator:
        """Open an installed model by name, or a model directory, as a translator."""
        from .models import load_engine

        engine = load_engine(
            name_or_dir,
            home=home,
            device=device,
            beam_size=beam_size,
            compute_type=compute_type,
            threads=threads,
        )
        return cls(
            engine,
            source=source,
            target=target,
            glossary=glossary,
            names=names,
            memory=memory,
            digits=digits,
        )

    @property
    def model_info(self) -> dict[str, Any]:
        signature = {**self.engine.signature, "tarjama": __version__}
        text = "|".join(f"{k}:{v}" for k, v in signature.items())
        return {"name": self.engine.name, "signature": signature, "signature_text": text}

    # -- public API ---------------------------------------------------------------------

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Translate each text as one unit (a sentence, typically); order is kept."""
        if isinstance(texts, str):
            raise ConfigError("translate() takes a list of texts; use translate_document()")
        cleaned = [clean(t, self.source).text for t in texts]
        return [h.text for h in self.translate_units(cleaned)]

    def translate_document(self, text: str) -> TranslatedDocument:
        """Translate a whole document, keeping its paragraph layout, and check it.

        A segment found in the translation memory is filled from it (origin "memory") and
        never reaches the engine; close matches become its ``suggestions``. Glossary terms
        are written inline before the engine and verified (and repaired) after it; a
        segment that is one glossary term is filled from the glossary. Every
        segment is then checked (:mod:`tarjama.qa`): a glossary miss, a changed number or
        a left-over word becomes an issue on its segment.
        """
        doc = self.segment(text)
        pending = [
            s
            for s in doc.segments
            if s.normalized and not self._from_memory(s) and not self._from_glossary(s)
        ]
        inputs, protected = self._protect([s.normalized for s in pending])
        hyps = self.translate_units(inputs)
        for seg, hyp, terms in zip(pending, hyps, protected, strict=True):
            seg.translation = hyp.text
            seg.score = hyp.score
            seg.origin = "model"
            if terms and self.glossary is not None:
                seg.translation, _ = self.glossary.restore(hyp.text, terms)
                seg.origin = "model+glossary"
        check_document(doc, glossary=self.glossary, names=self.names)
        return doc

    # -- stages -------------------------------------------------------------------------

    # Translation memory (issue C): an exact match fills the segment and keeps it from the
    # engine; otherwise close matches ride along as suggestions.
    def _from_memory(self, seg: Segment) -> bool:
        if self.memory is None:
            return False
        exact = self.memory.lookup(seg.source, self.source, self.target)
        if exact is not None:
            seg.translation, seg.score, seg.origin = exact.target, None, "memory"
            return True
        found = self.memory.search(seg.source, self.source, self.target)
        seg.suggestions = [s.to_json() for s in found]
        return False

    def _from_glossary(self, seg: Segment) -> bool:
        """Fill a segment that is one glossary term (a caption, a name) without the model,
        keeping its punctuation ("«البحر الأحمر»." -> '"Red Sea".')."""
        if self.glossary is None:
            return False
        term = self.glossary.whole(seg.normalized, self.source)
        if term is None or not term.text(self.target):
            return False
        filled, _ = self.glossary.protect(seg.normalized, self.source, self.target)
        seg.translation = render(filled, self.target, digits=self.digits)
        seg.score, seg.origin = None, "glossary"
        return True

    def _protect(self, texts: list[str]) -> tuple[list[str], list[list[Protected]]]:
        """Each text with its glossary terms written in the target language, and the terms."""
        if self.glossary is None:
            return texts, [[] for _ in texts]
        done = [self.glossary.protect(t, self.source, self.target) for t in texts]
        return [t for t, _ in done], [terms for _, terms in done]

    def segment(self, text: str) -> TranslatedDocument:
        """Parse paragraphs and split them into cleaned sentences (nothing translated yet)."""
        parsed = Document.parse(text)
        doc = TranslatedDocument(
            paragraphs=parsed.paragraphs,
            prefix=parsed.prefix,
            source_lang=self.source,
            target_lang=self.target,
            model=self.model_info,
        )
        for para in doc.paragraphs:
            for sent in split_sentences(para.source, self.source):
                para.segments.append(
                    Segment(
                        paragraph=para.index,
                        index=len(para.segments),
                        source=sent.text,
                        start=sent.start,
                        end=sent.end,
                        normalized=clean(sent.text, self.source).text,
                    )
                )
        return doc

    def translate_units(
        self, texts: Sequence[str], *, num_alternatives: int = 0
    ) -> list[Hypothesis]:
        """Translate cleaned texts in one engine call: deduplicated, long ones cut and rejoined."""
        unique = list(dict.fromkeys(t for t in texts if t))
        pieces: list[str] = []
        spans: dict[str, tuple[int, int]] = {}
        limit = self.engine.max_input_tokens
        for text in unique:
            parts = cut_clauses(text, lambda s: self.engine.count_tokens(s, self.source) <= limit)
            spans[text] = (len(pieces), len(pieces) + len(parts))
            pieces.extend(parts)
        raw = (
            self.engine.translate_batch(
                pieces, self.source, self.target, num_alternatives=num_alternatives
            )
            if pieces
            else []
        )
        done: dict[str, Hypothesis] = {}
        for text, (a, b) in spans.items():
            parts_out = raw[a:b]
            joined = render(" ".join(h.text for h in parts_out), self.target, digits=self.digits)
            score = sum(h.score for h in parts_out) / len(parts_out)
            alts: tuple[str, ...] = ()
            if b - a == 1:
                alts = tuple(
                    render(x, self.target, digits=self.digits) for x in parts_out[0].alternatives
                )
            done[text] = Hypothesis(joined, score, alts)
        return [done[t] if t else Hypothesis("", 0.0) for t in texts]


def _default_pair(pairs: list[tuple[str, str]]) -> tuple[str, str]:
    """ar->en when the model offers it (the newsroom's main direction), else its first pair."""
    if ("ar", "en") in pairs:
        return "ar", "en"
    if not pairs:
        raise ConfigError("the model declares no language pair")
    return pairs[0]
