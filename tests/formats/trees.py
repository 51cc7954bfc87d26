"""Comparing documents by structure: what the golden tests check besides text."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from typing import Any

import lxml.html
from lxml import etree

ARABIC = re.compile(r"[\u0600-\u06ff]")
#: Attributes that name the language and direction: they change with the translation.
LANGUAGE_ATTRIBUTES = {"lang", "dir"}


def html_root(data: bytes) -> Any:
    text = data.decode("utf-8")
    if text.lstrip().lower().startswith(("<!doctype", "<html")):
        return lxml.html.document_fromstring(text)
    return lxml.html.fragment_fromstring(text, create_parent="div")


def nodes(root: Any, *, ignore: set[str] = LANGUAGE_ATTRIBUTES) -> Iterator[tuple[Any, ...]]:
    """Every element as (depth, tag, attributes) and every piece of text as its value."""
    for el in root.iter():
        tag = el.tag if isinstance(el.tag, str) else "#comment"
        attrs = tuple(sorted((k, v) for k, v in el.attrib.items() if k not in ignore))
        yield ("element", _depth(el), tag, attrs)
        yield ("text", el.text or "")
        yield ("tail", el.tail or "")


def shape(root: Any, *, ignore_attributes: set[str] = LANGUAGE_ATTRIBUTES) -> list[tuple[Any, ...]]:
    """Elements and attributes only: what must stay when only the text changes."""
    return [n for n in nodes(root, ignore=ignore_attributes) if n[0] == "element"]


def _depth(el: Any) -> int:
    depth = 0
    while el.getparent() is not None:
        el = el.getparent()
        depth += 1
    return depth


def texts(root: Any, skip: AbstractSet[str] = frozenset()) -> list[str]:
    """Text nodes with something in them, outside elements named in ``skip``."""
    out = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        inside = any(isinstance(a.tag, str) and a.tag in skip for a in [el, *el.iterancestors()])
        if not inside and el.text and el.text.strip():
            out.append(el.text)
        parent = el.getparent()
        outside = parent is None or not any(
            isinstance(a.tag, str) and a.tag in skip for a in [parent, *parent.iterancestors()]
        )
        if outside and el.tail and el.tail.strip():
            out.append(el.tail)
    return out


def zip_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xml(data: bytes) -> Any:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, remove_blank_text=True))
