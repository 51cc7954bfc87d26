"""XLIFF 1.2 and 2.x: targets filled with the source's inline codes, states and notes set,
final units left alone, a file for another pair refused."""

from __future__ import annotations

import copy

import pytest
from lxml import etree

from tarjama.errors import InputError
from tarjama.pipeline import Translator

from ..fakes import FakeEngine
from . import samples
from .trees import ARABIC

VERSIONS = {
    "1.2": (samples.xliff12, samples.XLIFF12, "trans-unit"),
    "2.0": (samples.xliff20, samples.XLIFF20, "segment"),
}


def _units(data: bytes, version: str) -> list[etree._Element]:
    _, ns, unit = VERSIONS[version]
    return list(etree.fromstring(data).iter(f"{{{ns}}}{unit}"))


def _inner(el: etree._Element) -> list[tuple[str, dict[str, str], str, str]]:
    """Content as (tag, attributes, text, tail), ignoring the element itself."""
    return [
        (etree.QName(c).localname, dict(c.attrib), c.text or "", c.tail or "")
        for c in el.iter()
        if c is not el
    ] + [("#text", {}, el.text or "", "")]


def _codes(el: etree._Element) -> list[tuple[str, str | None]]:
    return [(etree.QName(c).localname, c.get("id")) for c in el.iter() if c is not el]


@pytest.mark.parametrize("version", VERSIONS)
def test_the_copy_model_fills_each_target_with_its_source(copier: Translator, version: str) -> None:
    build, ns, _ = VERSIONS[version]
    source = build()
    out = copier.translate_file(source, "xliff").data
    units = _units(out, version)
    for unit in units[:-1]:
        src, tgt = unit.find(f"{{{ns}}}source"), unit.find(f"{{{ns}}}target")
        assert tgt is not None
        assert _inner(tgt) == _inner(src)
    # The rest of the file is as it was: each unit's source untouched.
    assert [_inner(u.find(f"{{{ns}}}source")) for u in units] == [
        _inner(u.find(f"{{{ns}}}source")) for u in _units(source, version)
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_final_units_are_left_alone(copier: Translator, version: str) -> None:
    build, ns, _ = VERSIONS[version]
    source = build()
    out = copier.translate_file(source, "xliff")
    final = _units(out.data, version)[-1]
    assert final.findtext(f"{{{ns}}}target") == "The Coast Daily"
    assert etree.tostring(final) == etree.tostring(_units(source, version)[-1])
    # ... and they are not in the report: it holds the units translated.
    assert len(out.document.paragraphs) == len(_units(source, version)) - 1


@pytest.mark.parametrize("version", VERSIONS)
def test_the_tiny_model_writes_english_with_the_same_codes(tiny: Translator, version: str) -> None:
    build, ns, _ = VERSIONS[version]
    out = tiny.translate_file(build(), "xliff").data
    for unit in _units(out, version)[:-1]:
        src, tgt = unit.find(f"{{{ns}}}source"), unit.find(f"{{{ns}}}target")
        assert sorted(_codes(tgt)) == sorted(_codes(src))
        text = "".join(tgt.itertext())
        assert text.strip() and not ARABIC.search(text)


def test_flagged_units_need_review_with_their_issues_in_notes_12(tiny: Translator) -> None:
    out = tiny.translate_file(samples.xliff12(), "xliff")
    ns = samples.XLIFF12
    for unit, para in zip(_units(out.data, "1.2"), out.document.paragraphs, strict=False):
        target = unit.find(f"{{{ns}}}target")
        issues = [i for s in para.segments for i in s.issues]
        notes = [n.text for n in unit.findall(f"{{{ns}}}note") if n.get("from") == "tarjama"]
        assert target.get("state") == ("needs-review-translation" if issues else "translated")
        assert notes == [f"{i.check} ({i.severity}): {i.message}" for i in issues]
        assert target.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


def test_flagged_segments_get_notes_at_unit_level_20(tiny: Translator) -> None:
    out = tiny.translate_file(samples.xliff20(), "xliff")
    ns = samples.XLIFF20
    root = etree.fromstring(out.data)
    assert root.get("trgLang") == "en"
    units = list(root.iter(f"{{{ns}}}unit"))[:-1]
    for unit, para in zip(units, out.document.paragraphs, strict=True):
        segment = unit.find(f"{{{ns}}}segment")
        issues = [i for s in para.segments for i in s.issues]
        assert segment.get("state") == "translated"
        assert segment.get("subState") == ("tarjama:review" if issues else None)
        notes = unit.find(f"{{{ns}}}notes")
        if issues:
            # <notes> comes before the segments, as XLIFF 2 requires.
            assert list(unit).index(notes) < list(unit).index(segment)
            assert len(notes) == len(issues)


def test_units_with_a_translator_s_target_are_kept() -> None:
    root = etree.fromstring(samples.xliff12())
    ns = samples.XLIFF12
    units = list(root.iter(f"{{{ns}}}trans-unit"))
    human = etree.SubElement(units[0], f"{{{ns}}}target", state="translated")
    human.text = "Opening of the new Coast Port"
    pending = etree.SubElement(units[1], f"{{{ns}}}target", state="needs-translation")
    pending.text = copy.copy(units[1].findtext(f"{{{ns}}}source"))
    engine = FakeEngine()
    out = Translator(engine).translate_file(etree.tostring(root), "xliff")
    kept, redone = _units(out.data, "1.2")[:2]
    assert kept.findtext(f"{{{ns}}}target") == "Opening of the new Coast Port"
    assert redone.find(f"{{{ns}}}target").get("state") != "needs-translation"
    assert len(out.document.paragraphs) == len(units) - 2  # the human one and the final one


def test_a_file_for_another_pair_is_refused_before_translating() -> None:
    data = samples.xliff12().replace(b'target-language="en"', b'target-language="fr"')
    engine = FakeEngine()
    with pytest.raises(InputError, match="asks for fr, not en"):
        Translator(engine).translate_file(data, "xliff")
    assert engine.calls == []


def test_xml_that_is_not_xliff_is_refused() -> None:
    with pytest.raises(InputError, match=r"not XLIFF 1\.2 or 2\.x"):
        Translator(FakeEngine()).translate_file(b"<?xml version='1.0'?><tmx/>", "xliff")
