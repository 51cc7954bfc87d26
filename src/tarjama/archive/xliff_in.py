"""XLIFF into the memory, picky: only targets a human stood behind are entries.

- XLIFF 1.2 (through translate-toolkit): a target whose ``state`` is ``translated``,
  ``reviewed``, ``signed-off`` or ``final``, or whose unit says ``approved="yes"``;
  a target without a ``state`` only with ``approved="yes"``.
- XLIFF 2.x (lxml, no DTD, no entities, no network): a segment whose ``state`` is
  ``reviewed`` or ``final`` (2.x's ``translated`` is what a machine writes too, and
  ``initial`` is its default).
- Whatever the state, a ``state-qualifier`` of automatic origin (:data:`AUTOMATIC`), a 2.x
  ``subState`` of tarjama's (``tarjama:``), and every ``needs-*`` state (and ``new``)
  mark a target nobody reviewed.

Every target is yielded: a reviewed one with its file as origin, an unreviewed one with
origin ``suggestion`` and ``detail`` ``unreviewed`` (what its state said), for
:func:`.tmx.load_entries` to count and skip, or take as a suggestion (never an exact
match) with ``--include-unreviewed``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree
from translate.storage import xliff

from ..errors import InputError
from .entries import SUGGESTION, Entry, now

NS20 = "urn:oasis:names:tc:xliff:document:2.0"
#: 1.2 states that mean a human translated or reviewed the target.
HUMAN_12 = frozenset({"translated", "reviewed", "signed-off", "final"})
HUMAN_20 = frozenset({"reviewed", "final"})
#: ``state-qualifier`` values saying a machine or a memory made the target (tarjama's own
#: output says ``leveraged-mt`` or ``leveraged-tm``).
AUTOMATIC = frozenset({"leveraged-mt", "mt-suggestion", "leveraged-tm", "tm-suggestion"})
#: The key of an unreviewed entry's ``detail``.
UNREVIEWED = "unreviewed"
_PARSER = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


def reviewed_12(state: str | None, qualifier: str | None, approved: bool) -> bool:
    """Whether a 1.2 target is a human's (see the module)."""
    if qualifier in AUTOMATIC or (state or "").startswith("needs-") or state == "new":
        return False
    return approved or state in HUMAN_12


def reviewed_20(state: str | None, substate: str | None) -> bool:
    if (substate or "").startswith("tarjama:"):
        return False
    return state in HUMAN_20


def _entry(source: str, target: str, langs: tuple[str, str], path: Path, why: str | None) -> Entry:
    if why is None:
        return Entry(source, target, *langs, str(path), now())
    return Entry(source, target, *langs, SUGGESTION, now(), detail=((UNREVIEWED, why),))


def read_xliff(path: str | Path) -> Iterator[Entry]:
    """Every translated unit of an XLIFF file (1.2 or 2.x), marked reviewed or not."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    if NS20.encode() in data[:4096]:
        yield from _read_20(data, path)
        return
    try:
        store: Any = xliff.xlifffile(data)  # untyped library
    except Exception as exc:  # lxml and translate-toolkit raise many kinds on bad XML
        raise InputError(f"{path} is not a valid XLIFF file: {exc}") from exc
    langs = (store.sourcelanguage or "ar", store.targetlanguage or "en")
    for unit in store.units:
        if not (unit.source and unit.target):
            continue
        node = unit.xmlelement.find(f"{{{unit.namespace}}}target")
        state = node.get("state") if node is not None else None
        qualifier = node.get("state-qualifier") if node is not None else None
        approved = unit.xmlelement.get("approved") == "yes"
        why = None
        if not reviewed_12(state, qualifier, approved):
            why = f"state={state or '-'} state-qualifier={qualifier or '-'}"
        yield _entry(unit.source, unit.target, langs, path, why)


def _read_20(data: bytes, path: Path) -> Iterator[Entry]:
    try:
        root = etree.fromstring(data, etree.XMLParser(**_PARSER))
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{path} is not a valid XLIFF file: {exc}") from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise InputError(f"{path} declares a DTD; refused")
    langs = (root.get("srcLang") or "ar", root.get("trgLang") or "en")
    for segment in root.iter(f"{{{NS20}}}segment"):
        source = segment.find(f"{{{NS20}}}source")
        target = segment.find(f"{{{NS20}}}target")
        if source is None or target is None:
            continue
        src, tgt = "".join(source.itertext()), "".join(target.itertext())
        if not (src.strip() and tgt.strip()):
            continue
        state, substate = segment.get("state"), segment.get("subState")
        why = None
        if not reviewed_20(state, substate):
            why = f"state={state or 'initial'} subState={substate or '-'}"
        yield _entry(src, tgt, langs, path, why)
