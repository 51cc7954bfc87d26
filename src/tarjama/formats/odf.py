"""OpenDocument text and presentations (ODT, ODP), read and written as their XML.

Every paragraph and heading (``text:p``, ``text:h``) of the body is a block: in an ODT the
text, its tables, lists, frames and notes; in an ODP each slide's frames, tables and speaker
notes; and the header and footer paragraphs of the master pages (``styles.xml``). The
document's title and subject (``meta.xml``) are blocks too. In a paragraph, a ``text:span``
(bold, italic, a character style) and a link (``text:a``) are paired codes around their
words; everything else stays whole as a standalone code: a tab, a line break, a frame (an
image, or a text box whose own paragraphs are blocks of their own), a note (whose body's
paragraphs are blocks of their own), a bookmark, a field, a change mark, an annotation.
``text:s`` reads as the spaces it stands for.

On writing, ``fo:language`` (and its Asian and complex-script forms) naming the source
language names the target, with its country dropped, and ``style:writing-mode`` follows the
target's direction: into Arabic every paragraph style writes right to left, into English
none does. ``dc:language`` names the target.

The zip is checked by :mod:`.zips` before any part is parsed (see :mod:`.packages`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import InputError
from .base import BlockResult, direction, same_language
from .inline import Block
from .packages import Package, dublin_core, mixed_tokens, set_texts, switch_dc_language
from .trees import fill, shallow

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def _t(name: str) -> str:
    return f"{{{TEXT}}}{name}"


def _s(name: str) -> str:
    return f"{{{STYLE}}}{name}"


_PARAGRAPHS = (_t("p"), _t("h"))
_PAIRED = frozenset({_t("span"), _t("a")})
_NAMES = {_t("line-break"): "br", _t("tab"): "tab", _t("a"): "link", _t("span"): "span"}
#: Paragraphs under these are not translated: comments, and the text of tracked deletions.
_SKIPPED = frozenset({f"{{{OFFICE}}}annotation", _t("tracked-changes")})
#: Meta fields translated, in the order the report lists them.
PROPERTIES = ("title", "subject")
#: Language attributes and the country that goes with each.
_LANGUAGES = (
    (f"{{{FO}}}language", f"{{{FO}}}country"),
    (_s("language-asian"), _s("country-asian")),
    (_s("language-complex"), _s("country-complex")),
)
_WRITING_MODE = _s("writing-mode")
#: Style families whose paragraph properties set a paragraph's direction (an ODP's text
#: frames take theirs from graphic and presentation styles).
_TEXT_FAMILIES = frozenset({"paragraph", "graphic", "presentation"})
_FLIPPED = {"rtl": {"lr-tb": "rl-tb", "lr": "rl"}, "ltr": {"rl-tb": "lr-tb", "rl": "lr"}}


class OdfDocument:
    """An ODT or ODP file (``kind`` says which; their XML is read the same way)."""

    def __init__(self, data: bytes, where: str, kind: str, description: str) -> None:
        self.kind = kind
        self.package = Package(data, where, description)
        mimetype = self.package.entries.get("mimetype", b"").decode("ascii", "replace").strip()
        if not mimetype.startswith("application/vnd.oasis.opendocument."):
            raise InputError(f"{where} is a zip archive but not {description}")
        self.styles = [self.package.xml(n) for n in ("content.xml", "styles.xml")]
        self.paragraphs: list[Any] = []
        self.blocks: list[Block] = []
        content, styles = self.styles
        for root in (content, *styles.iter(_s("master-page"))):
            self._collect(root)
        self.meta = self.package.xml("meta.xml") if "meta.xml" in self.package else None
        self.properties = dublin_core(self.meta, PROPERTIES) if self.meta is not None else []
        self.blocks.extend(Block([el.text]) for el in self.properties)

    def _collect(self, root: Any) -> None:
        for p in root.iter(*_PARAGRAPHS):
            if any(a.tag in _SKIPPED for a in p.iterancestors()):
                continue
            block = Block(list(mixed_tokens(p, _PAIRED, _NAMES, spaces=_t("s"))))
            if block.text.strip():
                self.paragraphs.append(p)
                self.blocks.append(block)

    def write(self, results: Sequence[BlockResult], *, source: str, target: str) -> bytes:
        n = len(self.paragraphs)
        for p, result in zip(self.paragraphs, results[:n], strict=True):
            for child in list(p):
                p.remove(child)
            p.text = None
            fill(p, result.tokens, paired=lambda code: shallow(code.data), point=_whole)
        set_texts(self.properties, results[n:])
        for root in self.styles:
            switch_language(root, source, target)
            set_writing_mode(root, target)
        if self.meta is not None:
            switch_dc_language(self.meta, source, target)
        return self.package.write()


def _whole(code: Any) -> Any:
    return code.data


def switch_language(root: Any, source: str, target: str) -> None:
    """Every language attribute naming ``source`` names ``target``; its country, which
    belonged to the source, is dropped (the style's parent gives one, or none)."""
    for props in root.iter(_s("text-properties")):
        for language, country in _LANGUAGES:
            if same_language(props.get(language), source):
                props.set(language, target)
                props.attrib.pop(country, None)


def set_writing_mode(root: Any, target: str) -> None:
    """Paragraphs, tables and pages read in the target's direction: a writing mode of the
    other direction is flipped, and into a right-to-left language every paragraph style
    (and the default one, and an ODP's frame styles) is given ``rl-tb``."""
    flips = _FLIPPED[direction(target)]
    for el in root.iter():
        mode = el.get(_WRITING_MODE) if isinstance(el.tag, str) else None
        if mode in flips:
            el.set(_WRITING_MODE, flips[mode])
    if direction(target) != "rtl":
        return
    for style in root.iter(_s("style"), _s("default-style")):
        if style.get(_s("family")) not in _TEXT_FAMILIES:
            continue
        props = style.find(_s("paragraph-properties"))
        if props is None:
            props = style.makeelement(_s("paragraph-properties"), {})
            style.insert(0, props)
        props.set(_WRITING_MODE, "rl-tb")
