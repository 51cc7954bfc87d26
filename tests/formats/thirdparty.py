"""The third-party corpus (``tests/data/thirdparty/``, origin and licence in its README)
and the exact copy model it runs through."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from lxml import etree

from tarjama.document import Issue, Paragraph, Segment
from tarjama.formats.base import BlockResult
from tarjama.formats.inline import Block

THIRDPARTY = Path(__file__).parent.parent / "data" / "thirdparty"


def files(folder: str, *suffixes: str) -> list[Path]:
    return sorted(p for p in (THIRDPARTY / folder).rglob("*") if p.suffix in suffixes)


def characters(texts: Iterator[str]) -> str:
    """Every character the texts hold (whitespace left out), as one line: trained into a
    copy model, it can write each of them back."""
    seen: set[str] = set()
    for text in texts:
        seen.update(text)
    return "".join(sorted(c for c in seen if not c.isspace()))


def corpus_texts() -> Iterator[str]:
    """The text of every text file of the corpus (zips and other binaries left out)."""
    for path in sorted(THIRDPARTY.rglob("*")):
        if path.is_file() and path.suffix in (".json", ".md", ".srt", ".vtt", ".xlf"):
            for encoding in ("utf-8", "utf-16", "cp1252"):
                try:
                    yield path.read_bytes().decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue


#: Each XLIFF version's schema (``tests/data/thirdparty/xliff/schemas``), by namespace.
SCHEMAS = {
    "urn:oasis:names:tc:xliff:document:1.1": "xliff-core-1.1.xsd",
    "urn:oasis:names:tc:xliff:document:1.2": "xliff-core-1.2-transitional.xsd",
    "urn:oasis:names:tc:xliff:document:2.0": "xliff_core_2.0.xsd",
    "urn:oasis:names:tc:xliff:document:2.2": "xliff_core_2.2.xsd",
}


#: XLIFF 1.2's strict schema (no deprecated elements), checked where a file meets it.
STRICT_12 = "xliff-core-1.2-strict.xsd"


def xliff_schema(namespace: str, name: str | None = None) -> etree.XMLSchema:
    """The schema of an XLIFF namespace (or the file ``name``), its imports read from the
    local copies (the W3C ``xml.xsd`` is named by URL in the OASIS files: never fetched)."""
    folder = THIRDPARTY / "xliff" / "schemas"
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    doc = etree.parse(str(folder / (name or SCHEMAS[namespace])), parser)
    for imported in doc.iter("{http://www.w3.org/2001/XMLSchema}import"):
        location = imported.get("schemaLocation", "")
        if location.endswith("xml.xsd"):
            imported.set("schemaLocation", (folder / "xml.xsd").as_uri())
        elif location:
            imported.set("schemaLocation", (folder / Path(location).name).as_uri())
    return etree.XMLSchema(doc)


def identity_results(blocks: Sequence[Block], *, issue: bool = False) -> list[BlockResult]:
    """Each block given back as it was (an exact identity engine at the format's seam),
    with one error on each when ``issue``: the notes and states a review asks for."""
    results = []
    for k, block in enumerate(blocks):
        segment = Segment(k, 0, block.text, translation=block.text)
        if issue:
            segment.issues = [Issue("numbers", "error", "a number is missing")]
        paragraph = Paragraph(k, block.text, segments=[segment])
        results.append(BlockResult(list(block.tokens), paragraph))
    return results


def srt_cues(data: bytes) -> list[tuple[str, str, str]]:
    """A SubRip file's cues as pysrt reads them: start, end, text (numbers are checked
    as written by their own test)."""
    import pysrt

    from tarjama.document import decode_bytes

    items = pysrt.from_string(decode_bytes(data, "srt"))
    return [(str(c.start), str(c.end), c.text) for c in items]


def vtt_cues(data: bytes) -> list[tuple[str, str, str, str]]:
    """A WebVTT file's cues as webvtt-py reads them: identifier, start, end, text."""
    import io

    import webvtt

    from tarjama.document import decode_bytes

    captions = webvtt.from_buffer(io.StringIO(decode_bytes(data, "vtt"))).captions
    return [(c.identifier or "", c.start, c.end, c.text) for c in captions]


def docx_runs(data: bytes) -> list[list[tuple[tuple[object, ...], str]]]:
    """Every paragraph of a Word file (body, table cells, headers and footers) as its runs:
    formatting and text, adjacent runs of one formatting joined (documented)."""
    import io

    import docx

    document = docx.Document(io.BytesIO(data))
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        paragraphs += [p for row in table.rows for cell in row.cells for p in cell.paragraphs]
    for section in document.sections:
        paragraphs += section.header.paragraphs + section.footer.paragraphs
    out = []
    for paragraph in paragraphs:
        runs: list[tuple[tuple[object, ...], str]] = []
        for run in paragraph.runs:
            style = run.style.name if run.style is not None else None
            key = (run.bold, run.italic, run.underline, style, run.font.name, run.font.size)
            if runs and runs[-1][0] == key:
                runs[-1] = (key, runs[-1][1] + run.text)
            else:
                runs.append((key, run.text))
        out.append([r for r in runs if r[1]])
    return out


def markdown_html(data: bytes) -> str:
    from markdown_it import MarkdownIt

    return str(MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(data.decode()))
