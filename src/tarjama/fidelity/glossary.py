"""The newsroom's glossary: fixed translations of names and terms, found and enforced.

A glossary file is CSV or TSV with the columns ``ar,en[,note]`` (a header row is optional),
or TBX. Arabic is matched on folded text (no diacritics or tatweel, alef forms unified) and
tolerates attached clitics, so ``وبوتين`` and ``لبوتين`` match ``بوتين``; English is matched
case-insensitively on word boundaries.

Enforcement around an engine (see :mod:`tarjama.pipeline`):

1. :meth:`Glossary.protect` writes the glossary's target text *inline* in place of each
   source term. Inline text was chosen over placeholder tokens: a placeholder is an unknown
   string to a SentencePiece model and comes back split, translated or dropped, while a
   Latin name inside Arabic input is copied by real OPUS-MT/NLLB models, and when it is not,
   its near-copy can still be found.
2. :meth:`Glossary.restore` verifies that each target is in the output, repairs a near-copy
   (``Putim`` -> ``Putin``, by fuzzy alignment) and reports what is missing, so that a miss
   becomes an issue on the segment, never silence.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from ..errors import GlossaryError
from ..text.fold import ARABIC_WORD, clitic_stems, fold, fold_letters

#: Fuzzy score (0-100) above which a near-copy of a protected term is repaired.
REPAIR_SCORE = 80.0
# Words of an Arabic term: Arabic words, numbers and Latin words (رؤية 2030، قمة G20).
_AR_TOKEN = re.compile(ARABIC_WORD.pattern + r"|\d+(?:[.,]\d+)*|[A-Za-z]+")
_TRAILING = ".,;:!?\"'»)”"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class Term:
    ar: str
    en: str
    note: str = ""

    def text(self, lang: str) -> str:
        return self.ar if lang == "ar" else self.en


@dataclass(frozen=True)
class Match:
    """A glossary term found in a text: ``text[start:end]`` is how it was written there."""

    term: Term
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Protected:
    """A source term that :meth:`Glossary.protect` replaced by its target text."""

    term: Term
    source_text: str
    target_text: str


class Glossary:
    def __init__(self, terms: list[Term]) -> None:
        self.terms = terms
        # Terms indexed by their first word, so that finding costs one lookup per word of
        # the text whatever the size of the glossary. Arabic: the folded forms of each word.
        self._ar: dict[str, list[tuple[tuple[frozenset[str], ...], Term]]] = {}
        for t in terms:
            forms = tuple(_ar_forms(w) for w in _ar_tokens(t.ar))
            for first in forms[0] if forms else ():
                self._ar.setdefault(first, []).append((forms, t))
        self._en: dict[str, list[tuple[re.Pattern[str], Term]]] = {}
        for t in terms:
            first_word = re.match(r"\w+", t.en)
            if first_word:
                self._en.setdefault(first_word.group(0).lower(), []).append((_en_pattern(t.en), t))

    def __len__(self) -> int:
        return len(self.terms)

    # -- reading ----------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path) -> Glossary:
        p = Path(path)
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise GlossaryError(f"cannot read glossary {path}: {exc.strerror}") from exc
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise GlossaryError(f"glossary {path} is not UTF-8 (byte {exc.start})") from exc
        if p.suffix.lower() == ".tbx" or text.lstrip().startswith("<"):
            return cls(_read_tbx(text, str(path)))
        return cls(_read_table(text, str(path), "\t" if p.suffix.lower() == ".tsv" else None))

    # -- finding ----------------------------------------------------------------------------

    def find(self, text: str, lang: str) -> list[Match]:
        """Terms in ``text``, left to right, longest match first, without overlaps."""
        found = self._find_ar(text) if lang == "ar" else self._find_en(text)
        taken: list[Match] = []
        for m in sorted(found, key=lambda m: (m.start, -(m.end - m.start))):
            if not taken or m.start >= taken[-1].end:
                taken.append(m)
        return taken

    def whole(self, text: str, lang: str) -> Term | None:
        """The term that is the whole of ``text`` (a headline, a caption), if any."""
        core = text.strip().strip(".،,:؛;!؟?«»\"'()").strip()
        for m in self.find(core, lang):
            if m.start == 0 and m.end == len(core):
                return m.term
        return None

    def _find_en(self, text: str) -> list[Match]:
        out = []
        for word in re.finditer(r"\w+", text):
            for pattern, term in self._en.get(word.group(0).lower(), ()):
                m = pattern.match(text, word.start())
                if m:
                    out.append(Match(term, m.start(), m.end(), m.group(0)))
        return out

    def _find_ar(self, text: str) -> list[Match]:
        folded = fold(text, "ar")
        words = [(m.start(), m.end(), m.group(0)) for m in _AR_TOKEN.finditer(folded.text)]
        stems = [set(clitic_stems(fold_letters(w))) for _, _, w in words]
        out: list[Match] = []
        for i in range(len(words)):
            candidates = {id(c): c for s in stems[i] for c in self._ar.get(s, ())}
            for forms, term in candidates.values():
                n = len(forms)
                if i + n <= len(words) and all(forms[k] & stems[i + k] for k in range(n)):
                    start, end = folded.span(words[i][0], words[i + n - 1][1])
                    out.append(Match(term, start, end, text[start:end]))
        return out

    # -- enforcing --------------------------------------------------------------------------

    def protect(self, text: str, source: str, target: str) -> tuple[str, list[Protected]]:
        """Write each term's target inline in place of the source term."""
        parts: list[str] = []
        protected: list[Protected] = []
        last = 0
        for m in self.find(text, source):
            wanted = m.term.text(target)
            if not wanted:
                continue
            parts += [text[last : m.start], wanted]
            protected.append(Protected(m.term, m.text, wanted))
            last = m.end
        parts.append(text[last:])
        return "".join(parts), protected

    def restore(self, hypothesis: str, protected: list[Protected]) -> tuple[str, list[Protected]]:
        """Put each target back exactly as the glossary writes it; return what is missing."""
        missing: list[Protected] = []
        for p in protected:
            hypothesis, ok = _restore_one(hypothesis, p.target_text)
            if not ok:
                missing.append(p)
        return hypothesis, missing


def contains(text: str, term: str, lang: str) -> bool:
    """Whether ``term`` occurs in ``text`` under the glossary's matching rules."""
    return bool(Glossary([Term(term, "") if lang == "ar" else Term("", term)]).find(text, lang))


def _restore_one(hypothesis: str, wanted: str) -> tuple[str, bool]:
    lang = "ar" if ARABIC_WORD.search(wanted) else "en"
    if lang == "en":
        m = _en_pattern(wanted).search(hypothesis)
        if m:
            return hypothesis[: m.start()] + wanted + hypothesis[m.end() :], True
    elif contains(hypothesis, wanted, "ar"):
        return hypothesis, True
    # A near-copy: the run of words most like the term, compared on letters alone. The
    # model may have merged two of its words, or dropped a character it cannot write
    # (decoding drops the unknown token: "Erdoan"); a run is never longer than the term,
    # so a neighbouring real word is never swallowed.
    words = list(re.finditer(r"\S+", hypothesis))
    n = len(wanted.split())
    target = _letters(wanted)
    best, span = 0.0, (0, 0)
    for k in range(max(1, n - 1), n + 1):
        for i in range(len(words) - k + 1):
            start, end = words[i].start(), words[i + k - 1].end()
            chunk = hypothesis[start:end].rstrip(_TRAILING)
            score = fuzz.ratio(target, _letters(chunk))
            if score > best:
                best, span = score, (start, start + len(chunk))
    if best >= REPAIR_SCORE:
        return hypothesis[: span[0]] + wanted + hypothesis[span[1] :], True
    return hypothesis, False


def _letters(text: str) -> str:
    """Lower-case letters and digits only: what a near-copy is judged on."""
    return re.sub(r"[\W_]+", "", text.lower())


def _ar_tokens(text: str) -> list[str]:
    return _AR_TOKEN.findall(fold(text, "ar").text)


def _ar_forms(word: str) -> frozenset[str]:
    """A glossary word as it may stand in text once clitics are gone: with and without ال."""
    w = fold_letters(word)
    return frozenset({w, w[2:]} if w.startswith("ال") and len(w) > 3 else {w})


def _en_pattern(term: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in term.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


_COLUMNS = ("ar", "en", "note")


def _read_table(text: str, where: str, delimiter: str | None) -> list[Term]:
    """Rows of ``ar,en[,note]``; a header row may name the columns in another order
    (``en,ar``). A row with more cells than columns, an unknown column name, or a row
    whose Arabic stands in the English column is an error: read silently, such a file
    would never match."""
    if delimiter is None:
        first = text.split("\n", 1)[0]
        delimiter = "\t" if "\t" in first else ","
    terms: list[Term] = []
    order: list[str] | None = None
    for n, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        cells = [c.strip() for c in row]
        while cells and not cells[-1]:  # trailing empty cells (a spreadsheet's export)
            cells.pop()
        if not cells or cells[0].startswith("#"):
            continue
        names = [c.lower() for c in cells]
        if order is None and not terms and {"ar", "en"} <= set(names):
            unknown = [c for c in names if c not in _COLUMNS]
            if unknown or len(set(names)) != len(names):
                raise GlossaryError(
                    f"{where}:{n}: unknown or repeated column {cells!r} (the columns are "
                    "ar, en and an optional note)"
                )
            order = names
            continue
        columns = order or list(_COLUMNS)
        if len(cells) > len(columns):
            raise GlossaryError(
                f"{where}:{n}: {len(cells)} columns where {len(columns)} are expected "
                f"({','.join(columns)}): {row!r}"
            )
        by_name = dict(zip(columns, cells, strict=False))
        ar, en = by_name.get("ar", ""), by_name.get("en", "")
        if not ar or not en:
            raise GlossaryError(f"{where}:{n}: expected 'ar,en[,note]', got {row!r}")
        if not ARABIC_WORD.search(ar) and ARABIC_WORD.search(en):
            raise GlossaryError(
                f"{where}:{n}: the Arabic term is in the English column ({row!r}); put "
                "Arabic first, or start the file with the header 'en,ar'"
            )
        terms.append(Term(ar, en, by_name.get("note", "")))
    return terms


def _read_tbx(text: str, where: str) -> list[Term]:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise GlossaryError(f"{where} is not valid TBX: {exc}") from exc
    terms: list[Term] = []
    for entry in root.iter():
        if not entry.tag.endswith("termEntry") and not entry.tag.endswith("conceptEntry"):
            continue
        by_lang: dict[str, str] = {}
        for lang_set in entry:
            lang = (lang_set.get(_XML_LANG) or lang_set.get("lang") or "").split("-")[0]
            term = next((e.text for e in lang_set.iter() if e.tag.endswith("term")), None)
            if lang and term:
                by_lang.setdefault(lang.lower(), term.strip())
        if "ar" in by_lang and "en" in by_lang:
            terms.append(Term(by_lang["ar"], by_lang["en"]))
    return terms
