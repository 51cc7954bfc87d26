"""XLIFF 1.x and 2.x: each unit's (1.x) or segment's (2.x) ``<source>`` is a block, and its
``<target>`` is written with the same inline codes. 1.0 and 1.1 (and 1.x without a
namespace) are read as 1.2; 2.1 shares 2.0's namespace, 2.2 has its own.

Paired codes are 1.2's ``<g>`` and ``<mrk>`` and 2.x's ``<pc>`` and ``<mrk>``; every other
inline element (``<x/>``, ``<bx/>``, ``<ex/>``, ``<ph>``, ``<bpt>``, ``<ept>``, ``<it>``,
``<sc/>``, ``<ec/>``, ``<sm/>``, ``<em/>``, ``<cp/>``) is a standalone code, copied whole
into the target; a ``<mrk>`` marked ``translate="no"`` or ``mtype="protected"`` too.

What is translated: units with no target or an empty one, or one whose state says it still
needs translating (1.2 ``new``/``needs-translation``, 2.x ``initial`` written out). Units
marked ``translate="no"``, and units that already hold a translator's work (any other
state, or ``approved="yes"``: final, signed-off, reviewed, translated), are left alone.
A translated target gets ``state="translated"``; one whose segments have issues gets
``state="needs-review-translation"`` (1.2) or keeps ``translated`` with
``subState="tarjama:review"`` (2.x), and each issue becomes a note. Written again with an
editor's review (``/v1/documents/{id}/render``), a unit whose sentences were all approved
is ``final`` and one edited ``translated`` (no MT qualifier), unless an issue stays open.

The file is parsed by lxml without DTDs, entities or network (see :func:`.base.parse_xml`)
and written back as it was, only targets, states and notes added. translate-toolkit is not
used here: it rewrites the whole file's layout and puts 2.x notes inside ``<segment>``,
where the standard does not allow them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree

from ..errors import InputError
from .base import BlockResult, check_size, parse_xml, same_language
from .inline import Block, Close, Code, Open, Point, Token
from .trees import fill, shallow

NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS20 = "urn:oasis:names:tc:xliff:document:2.0"
#: 1.x namespaces (1.0 and 1.1 files, and 1.x without one, are read as 1.2); 2.1 kept
#: 2.0's namespace, 2.2 has its own.
_NS1 = frozenset(
    ["urn:oasis:names:tc:xliff:document:1.1", NS12, "urn:oasis:names:tc:xliff:document:1.0"]
)
_NS2 = "urn:oasis:names:tc:xliff:document:2."
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_PAIRED = {"g", "pc", "mrk"}
#: 1.2 target states that still ask for a translation; 2.x's is "initial".
_OPEN_12 = {"new", "needs-translation"}


@dataclass
class _Unit:
    unit: Any  # 1.2 trans-unit, or 2.x unit
    holder: Any  # where source and target live: the trans-unit, or the 2.x segment
    source: Any


def _local(el: Any) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _kept(el: Any) -> bool:
    return bool(el.get("translate") == "no" or el.get("mtype") == "protected")


class XliffDocument:
    kind = "xliff"

    def __init__(self, data: bytes, where: str = "XLIFF") -> None:
        check_size(data, where)
        self.root = parse_xml(data, where)
        ns = etree.QName(self.root).namespace
        version = self.root.get("version") or ""
        self.v1 = ns in _NS1 or (ns is None and version.startswith("1."))
        if _local(self.root) != "xliff" or not (self.v1 or (ns or "").startswith(_NS2)):
            found = f"<{_local(self.root)}>" + (f" in {ns}" if ns else " without a namespace")
            raise InputError(
                f"{where} is not XLIFF 1.2 or 2.x, nor 1.0 or 1.1 (its root is {found})"
            )
        self.ns = ns
        self.version = version or ("1.2" if self.v1 else "2.0")
        # Unit by unit, so that a character budget stops the walk at the block crossing it.
        self.units: list[_Unit] = []
        self.blocks: list[Block] = []
        for unit in self._units():
            self.units.append(unit)
            self.blocks.append(Block(list(_tokens(unit.source))))
        self.languages = self._languages()

    def _q(self, name: str) -> str:
        return f"{{{self.ns}}}{name}" if self.ns else name

    def _languages(self) -> tuple[str | None, str | None]:
        if not self.v1:
            return self.root.get("srcLang"), self.root.get("trgLang")
        first = self.root.find(self._q("file"))
        if first is None:
            return None, None
        return first.get("source-language"), first.get("target-language")

    def _units(self) -> Iterator[_Unit]:
        if self.v1:
            for tu in self.root.iter(self._q("trans-unit")):
                source = tu.find(self._q("source"))
                if source is None or tu.get("translate") == "no" or not self._open_12(tu):
                    continue
                yield _Unit(tu, tu, source)
            return
        for unit in self.root.iter(self._q("unit")):
            if unit.get("translate") == "no":
                continue
            for seg in unit.findall(self._q("segment")):
                source = seg.find(self._q("source"))
                # A target is a translator's work unless the segment says, in so many
                # words, that it is initial (the attribute's default is no such word).
                if source is not None and (
                    seg.get("state") == "initial" or not _filled(seg.find(self._q("target")))
                ):
                    yield _Unit(unit, seg, source)

    def _open_12(self, tu: Any) -> bool:
        if tu.get("approved") == "yes":
            return False
        target = tu.find(self._q("target"))
        return not _filled(target) or target.get("state") in _OPEN_12

    def check_languages(self, source: str, target: str) -> None:
        """A file meant for another pair is refused before anything is translated."""
        have_source, have_target = self.languages
        if have_source and not same_language(have_source, source):
            raise InputError(f"this XLIFF file is from {have_source}, not {source}")
        if have_target and not same_language(have_target, target):
            raise InputError(f"this XLIFF file asks for {have_target}, not {target}")

    # -- writing -------------------------------------------------------------------------

    def write(self, results: Sequence[BlockResult], *, source: str, target: str) -> bytes:
        self.check_languages(source, target)
        self._declare(target)
        for unit, result in zip(self.units, results, strict=True):
            issues = [i for s in result.paragraph.segments for i in s.issues]
            origins = {s.origin for s in result.paragraph.segments}
            self._fill(unit, result.tokens, target)
            if self.v1:
                self._state_12(unit, issues, origins)
            else:
                self._state_20(unit, issues)
            self._reviewed(unit, {s.review for s in result.paragraph.segments}, issues)
        out: bytes = etree.tostring(self.root.getroottree(), xml_declaration=True, encoding="UTF-8")
        return out

    def _declare(self, target: str) -> None:
        if not self.v1:
            self.root.set("trgLang", self.root.get("trgLang") or target)
            return
        for file in self.root.iter(self._q("file")):
            file.set("target-language", file.get("target-language") or target)

    def _fill(self, unit: _Unit, tokens: Sequence[Token], lang: str) -> None:
        target = unit.holder.find(self._q("target"))
        if target is None:
            target = unit.source.makeelement(self._q("target"), {})
            after = unit.holder.find(self._q("seg-source"))
            before = after if after is not None else unit.source
            before.addnext(target)
            # On a line of its own, indented like the source.
            previous = before.getprevious()
            indent = previous.tail if previous is not None else unit.holder.text
            target.tail = before.tail
            if indent and not indent.strip():
                before.tail = indent
        else:
            tail = target.tail
            for child in list(target):
                target.remove(child)
            target.text = None
            target.tail = tail
        if self.v1:
            target.set(_XML_LANG, lang)
        fill(target, tokens, paired=lambda c: shallow(c.data), point=lambda c: _copy(c.data))

    def _state_12(self, unit: _Unit, issues: list[Any], origins: set[str]) -> None:
        target = unit.holder.find(self._q("target"))
        target.set("state", "needs-review-translation" if issues else "translated")
        target.set("state-qualifier", "leveraged-tm" if origins == {"memory"} else "leveraged-mt")
        # The schema puts notes before <alt-trans> and any other namespace's elements.
        later = next(
            (
                c
                for c in unit.unit
                if isinstance(c.tag, str)
                and (_local(c) == "alt-trans" or etree.QName(c).namespace != self.ns)
            ),
            None,
        )
        for issue in issues:
            note = unit.unit.makeelement(self._q("note"), {"from": "tarjama"})
            if later is not None:
                later.addprevious(note)
            else:
                unit.unit.append(note)
            note.set("annotates", "target")
            note.set("priority", "1" if issue.severity == "error" else "3")
            note.text = f"{issue.check} ({issue.severity}): {issue.message}"

    def _reviewed(self, unit: _Unit, reviews: set[str | None], issues: list[Any]) -> None:
        """An editor's word over the checks': every sentence approved is ``final``; an
        edited or approved unit without open issues is ``translated``, no longer MT."""
        if reviews == {None} or issues:
            return
        state = "final" if reviews == {"approved"} else "translated"
        if self.ns == NS12:
            target = unit.holder.find(self._q("target"))
            target.set("state", state)
            target.attrib.pop("state-qualifier", None)
        else:
            unit.holder.set("state", state)

    def _state_20(self, unit: _Unit, issues: list[Any]) -> None:
        unit.holder.set("state", "translated")
        if not issues:
            unit.holder.attrib.pop("subState", None)
            return
        unit.holder.set("subState", "tarjama:review")
        notes = unit.unit.find(self._q("notes"))
        if notes is None:
            notes = unit.unit.makeelement(self._q("notes"), {})
            first = next(
                (c for c in unit.unit if _local(c) in ("originalData", "segment", "ignorable")),
                None,
            )
            if first is not None:
                first.addprevious(notes)
            else:
                unit.unit.append(notes)
        where = unit.holder.get("id")
        for issue in issues:
            note = etree.SubElement(notes, self._q("note"), {"category": "tarjama"})
            note.set("appliesTo", "target")
            note.set("priority", "1" if issue.severity == "error" else "3")
            seg = f"segment {where}: " if where else ""
            note.text = f"{seg}{issue.check} ({issue.severity}): {issue.message}"


def _filled(target: Any) -> bool:
    return target is not None and bool("".join(target.itertext()).strip() or len(target))


def _copy(el: Any) -> Any:
    from copy import deepcopy

    return deepcopy(el)


def _tokens(el: Any) -> Iterator[Token]:
    yield el.text or ""
    for child in el:
        name = _local(child)
        if name in _PAIRED and not _kept(child):
            code = Code(name, True, child)
            yield Open(code)
            yield from _tokens(child)
            yield Close(code)
        else:
            yield Point(Code(name or "comment", False, child))
        yield child.tail or ""
