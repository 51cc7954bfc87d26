"""XLIFF output validates against its version's schema (1.1, 1.2, 2.0/2.1, 2.2: the
OASIS files in ``tests/data/thirdparty/xliff/schemas``), on real files: the OASIS XLIFF 2.1
and 2.2 valid suites and Okapi's XLIFF filter test files. Every target a file already had
comes back byte for byte; the notes of a unit with issues sit where the schema allows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from tarjama.formats.xliff import XliffDocument

from .thirdparty import SCHEMAS, STRICT_12, THIRDPARTY, files, identity_results, xliff_schema

OASIS = files("xliff/oasis-2.1", ".xlf") + files("xliff/oasis-2.2", ".xlf")
OKAPI = files("xliff/okapi", ".xlf")


def _namespace(root: Any) -> str:
    return str(root.tag)[1:].split("}")[0] if str(root.tag).startswith("{") else ""


def _languages(root: Any) -> tuple[str, str]:
    if root.get("srcLang"):  # 2.x
        return root.get("srcLang"), root.get("trgLang") or "fr"
    file = root.find("{*}file") if _namespace(root) else root.find("file")
    return file.get("source-language"), file.get("target-language") or "fr"


#: States that ask for a (new) translation: their targets are the tool's to write.
TO_TRANSLATE = {"new", "needs-translation", "initial"}


def _targets(root: Any) -> list[bytes]:
    """A translator's targets: not empty, and in no state that asks for translation."""
    return [
        etree.tostring(t, with_tail=False)
        for t in root.iter("{*}target", "target")
        if (t.text or len(t)) and (t.get("state") or t.getparent().get("state")) not in TO_TRANSLATE
    ]


def _round_trip(path: Path, *, issue: bool) -> tuple[Any, Any, int]:
    data = path.read_bytes()
    source = etree.fromstring(data)
    document = XliffDocument(data, where=path.name)
    src, trg = _languages(source)
    out = document.write(identity_results(document.blocks, issue=issue), source=src, target=trg)
    return source, etree.fromstring(out), len(document.blocks)


@pytest.mark.parametrize("issue", [False, True], ids=["clean", "with-issues"])
@pytest.mark.parametrize("path", OASIS + OKAPI, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_output_validates_and_keeps_every_target(path: Path, issue: bool) -> None:
    source, out, _ = _round_trip(path, issue=issue)
    namespace = _namespace(source)
    if namespace in SCHEMAS:  # XLIFF 1.0 without a namespace has no schema to check
        schema = xliff_schema(namespace)
        assert schema.validate(source)  # the file was valid: so must the output be
        assert schema.validate(out), schema.error_log.last_error
    if namespace == "urn:oasis:names:tc:xliff:document:1.2":
        strict = xliff_schema(namespace, STRICT_12)
        assert strict.validate(out) == strict.validate(source)  # strict in, strict out
    after = _targets(out)
    for target in _targets(source):
        assert target in after  # a translator's target, byte for byte


def test_the_suites_have_work_to_do() -> None:
    """Not vacuous: 29 files have segments to translate (the others hold only a
    translator's targets, or nothing), and every version is there."""
    counts = {p: _round_trip(p, issue=False)[2] for p in OASIS + OKAPI}
    assert sum(1 for n in counts.values() if n) == 29 and sum(counts.values()) == 261
    assert len(OASIS) == 50 and len(OKAPI) == 11
    kinds = {_namespace(etree.parse(str(p)).getroot()) for p in counts}
    assert kinds == {"", *SCHEMAS}  # 1.0 without a namespace, 1.1, 1.2, 2.0 (2.1), 2.2
    assert (THIRDPARTY / "xliff" / "schemas" / "xml.xsd").is_file()
