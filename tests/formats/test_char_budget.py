"""The character limit counted while a document is read (:mod:`tarjama.formats.budget`):
a document over it is refused at the block that crosses it, in a fraction of the time and
memory that reading it whole takes."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from collections.abc import Callable

import pytest

from tarjama import formats
from tarjama.errors import InputError
from tarjama.formats.budget import char_budget
from tarjama.pipeline import Translator

from ..fakes import FakeEngine
from . import samples
from .hostile import docx_parts

SENTENCE = "هذه جملة عربية عن الأخبار المهمة اليوم"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def xliff(units: int) -> bytes:
    body = "".join(
        f'<trans-unit id="{k}"><source>{SENTENCE} {k}</source></trans-unit>' for k in range(units)
    )
    return (
        '<?xml version="1.0"?><xliff version="1.2" '
        'xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="ar" '
        f'target-language="en" datatype="plaintext" original="x"><body>{body}</body></file>'
        "</xliff>"
    ).encode()


def docx(paragraphs: int) -> bytes:
    """The sample DOCX with ``paragraphs`` one-run paragraphs as its body."""
    parts = docx_parts(samples.docx_document())
    body = "".join(f"<w:p><w:r><w:t>{SENTENCE} {k}</w:t></w:r></w:p>" for k in range(paragraphs))
    parts["word/document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}'
        "</w:body></w:document>"
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def cost(read: Callable[[], object]) -> tuple[float, float, str | None]:
    """Seconds and peak traced MB of ``read()``, and its refusal (None if it read)."""
    tracemalloc.start()
    started = time.perf_counter()
    refused = None
    try:
        read()
    except InputError as exc:
        refused = str(exc)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, refused


@pytest.mark.timing
@pytest.mark.parametrize(
    ("kind", "build", "count", "traced"),
    # A DOCX's tree is lxml's, outside what tracemalloc sees: its time is the measure.
    [("xliff", xliff, 8_000, True), ("docx", docx, 2_000, False)],
)
def test_a_document_over_the_limit_is_refused_at_the_block_that_crosses_it(
    kind: str, build: Callable[[int], bytes], count: int, traced: bool
) -> None:
    data = build(count)

    def read(limit: int | None) -> Callable[[], object]:
        def run() -> object:
            with char_budget(limit, "the file"):
                return formats.read(data, kind, where="the file")

        return run

    whole_s, whole_mb, whole_refused = cost(read(None))
    s, mb, refused = cost(read(5_000))
    assert whole_refused is None
    assert refused == "the file holds more than 5000 characters to translate; the limit is 5000"
    # The parse is paid either way; the blocks after the limit are not built.
    assert s < whole_s / 2, (s, whole_s)
    assert mb < whole_mb / 2 or not traced, (mb, whole_mb)


def test_without_a_budget_nothing_is_counted_and_a_budget_ends_with_its_read() -> None:
    data = xliff(200)  # about 8,000 characters
    with pytest.raises(InputError, match="more than 1000 characters"), char_budget(1000, "x"):
        formats.read(data, "xliff", where="x")
    assert len(formats.read(data, "xliff", where="x").blocks) == 200
    with char_budget(-1, "x"):  # LibreTranslate's "no limit"
        assert len(formats.read(data, "xliff", where="x").blocks) == 200


def test_translate_file_applies_its_limit_while_reading() -> None:
    engine = FakeEngine()
    with pytest.raises(InputError, match="characters to translate; the limit is 1000"):
        Translator(engine).translate_file(xliff(200), "xliff", where="x", char_limit=1000)
    assert engine.calls == []
    done = Translator(engine).translate_file(xliff(20), "xliff", where="x", char_limit=1000)
    assert len(done.document.paragraphs) == 20
