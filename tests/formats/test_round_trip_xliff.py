"""XLIFF as translators use it: 1.0/1.1/1.2 with or without a namespace and 2.0-2.2 are
read; an existing target is kept unless its state says it is new; notes go where the 1.2
schema allows them."""

from __future__ import annotations

import pytest
from lxml import etree

from tarjama.pipeline import Translator

from ..fakes import FakeEngine

NS1 = "urn:oasis:names:tc:xliff:document:{}"


def _v1(version: str, namespaced: bool) -> bytes:
    ns = f' xmlns="{NS1.format(version)}"' if namespaced else ""
    return (
        f'<xliff version="{version}"{ns}><file source-language="ar" datatype="plaintext" '
        'original="x"><body><trans-unit id="1"><source>قال الرئيس.</source></trans-unit>'
        "</body></file></xliff>"
    ).encode()


@pytest.mark.parametrize(
    ("version", "namespaced"),
    [("1.0", True), ("1.1", True), ("1.2", True), ("1.2", False), ("1.1", False)],
)
def test_xliff_1x_with_or_without_a_namespace_is_translated(version: str, namespaced: bool) -> None:
    out = Translator(FakeEngine()).translate_file(_v1(version, namespaced), "xliff").data
    root = etree.fromstring(out)
    (target,) = [el for el in root.iter() if etree.QName(el).localname == "target"]
    assert target.text == "<قال الرئيس.>"


def _v2(ns: str, segment: str) -> bytes:
    return (
        f'<xliff xmlns="{ns}" version="2.0" srcLang="ar" trgLang="en"><file id="f">'
        f'<unit id="u">{segment}</unit></file></xliff>'
    ).encode()


@pytest.mark.parametrize(
    "ns", ["urn:oasis:names:tc:xliff:document:2.0", "urn:oasis:names:tc:xliff:document:2.2"]
)
def test_a_2x_target_without_a_state_is_the_translators_and_kept(ns: str) -> None:
    data = _v2(ns, "<segment><source>قال الرئيس.</source><target>He said.</target></segment>")
    engine = FakeEngine()
    out = Translator(engine).translate_file(data, "xliff").data
    assert b"<target>He said.</target>" in out
    assert engine.calls == []


def test_a_2x_target_marked_initial_is_translated() -> None:
    segment = '<segment state="initial"><source>قال.</source><target>قال.</target></segment>'
    data = _v2("urn:oasis:names:tc:xliff:document:2.0", segment)
    out = Translator(FakeEngine()).translate_file(data, "xliff").data
    assert b"<target>&lt;\xd9\x82\xd8\xa7\xd9\x84.&gt;</target>" in out


def test_notes_go_before_alt_trans_and_extension_elements() -> None:
    data = (
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2" '
        'xmlns:iws="http://www.idiominc.com/ws/asset"><file source-language="ar" '
        'datatype="plaintext" original="x"><body><trans-unit id="1">'
        "<source>قال <g id='1'>الرئيس</g> إن الخطة جاهزة.</source>"
        "<alt-trans><target>x</target></alt-trans><iws:segment-metadata/>"
        "</trans-unit></body></file></xliff>"
    ).encode()
    result = Translator(FakeEngine()).translate_file(data, "xliff")
    unit = next(el for el in etree.fromstring(result.data).iter() if el.get("id") == "1")
    names = [etree.QName(c).localname for c in unit]
    assert result.document.issues, "the fake's placement by order is flagged"
    assert names[: names.index("alt-trans")].count("note") == len(result.document.issues)
    assert names[-2:] == ["alt-trans", "segment-metadata"]
