"""The character limit counted while a document is read (:mod:`tarjama.formats.budget`):
a document over it is refused at the block that crosses it, in a fraction of the time and
memory that reading it whole takes; HTML, Markdown and subtitles, whose blocks come after
a costly parse, are refused while they are parsed, and a document at the limit still
reads."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from collections.abc import Callable

import pytest

from tarjama import formats
from tarjama.errors import InputError
from tarjama.formats import inline
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


def html(paragraphs: int) -> bytes:
    body = "".join(
        f"<p>{SENTENCE} <b>{k}</b> <code>x = {k}</code></p>\n" for k in range(paragraphs)
    )
    return f"<!DOCTYPE html><html><body>{body}</body></html>".encode()


def markdown(paragraphs: int) -> bytes:
    return "".join(
        f"{SENTENCE} **{k}** [link](https://example.org/{k}) `x = {k}`\n\n"
        for k in range(paragraphs)
    ).encode()


def srt(cues: int) -> bytes:
    return "".join(
        f"{k + 1}\n00:00:01,000 --> 00:00:02,000\n<i>{SENTENCE}</i>\n{k}\n\n" for k in range(cues)
    ).encode()


def vtt(cues: int) -> bytes:
    return ("WEBVTT\n\n" + srt(cues).decode().replace(",000", ".000")).encode()


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
    [("xliff", xliff, 8_000, True), ("docx", docx, 6_000, False)],
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


@pytest.mark.timing
@pytest.mark.parametrize(
    ("kind", "build", "count"),
    # Each read whole in about a second on a quiet machine.
    [
        ("html", html, 3_000),
        ("markdown", markdown, 2_000),
        ("srt", srt, 8_000),
        ("vtt", vtt, 6_000),
    ],
)
def test_a_document_parsed_before_its_blocks_is_refused_while_it_is_parsed(
    kind: str, build: Callable[[int], bytes], count: int
) -> None:
    data = build(count)

    def seconds(limit: int | None) -> tuple[float, str | None]:
        started = time.perf_counter()
        try:
            with char_budget(limit, "the file"):
                formats.read(data, kind, where="the file")
        except InputError as exc:
            return time.perf_counter() - started, str(exc)
        return time.perf_counter() - started, None

    whole_s, whole_refused = seconds(None)
    # The fastest of three: a refusal takes milliseconds, which a loaded machine can blur.
    s, refused = min(seconds(5_000) for _ in range(3))
    assert whole_refused is None
    assert refused == "the file holds more than 5000 characters to translate; the limit is 5000"
    # Not only the blocks past the limit: the parse of the rest is not paid either.
    assert s < whole_s / 4, (s, whole_s)


EDGES = [
    # Entities, whitespace-only text, kept elements, attributes, a comment, a page title.
    (
        "html",
        b"<html><head><title> \xd8\xb9 </title></head><body>\n  <p>a &amp; b&#32;c</p>\n"
        b'<p translate="no">kept</p><pre> x </pre><img alt="\xd8\xb5\xd9\x88\xd8\xb1\xd8\xa9">'
        b"<!-- note --><p>  <i> d </i>  e <script>f()</script> g</p>   </body></html>",
    ),
    # Whitespace between the page's parts, some of which libxml2 drops.
    (
        "html",
        b"<!DOCTYPE html>\n\n<html>\n\n<head>\n\n<meta charset=utf-8>\n\n</head>\n\n"
        b"<body>\n\n<p>a</p>\n\n</body>\n\n</html>\n\n",
    ),
    # A reference defined after its use, escapes, entities, breaks, an autolink, a table.
    (
        "markdown",
        b"# t\n\na [b][r] \\* &amp; c  \nd\\\ne <https://x.org> f\n\n"
        b"| h | i |\n|---|---|\n| j | k |\n\n[r]: https://example.org\n",
    ),
    # Untagged text, tags, blank-looking and spaced lines, an empty cue.
    (
        "srt",
        b"1\n00:00:01,000 --> 00:00:02,000\n  <b>a</b> b  \n{\\an8}c\n\n"
        b"2\n00:00:03,000 --> 00:00:04,000\n\n3\n00:00:05,000 --> 00:00:06,000\nd\n",
    ),
    (
        "vtt",
        b"WEBVTT\n\nNOTE x\n\n00:01.000 --> 00:02.000 align:start\n<v a>b</v> c\n \nd\n\n"
        b"c2\n00:03.000 --> 00:04.000\n<c.x>e</c>\n",
    ),
]


def _spent(data: bytes, kind: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """The characters the document's blocks spend, as :class:`inline.Block` counts them."""
    counted: list[int] = []
    with monkeypatch.context() as patch:
        patch.setattr(inline, "spend", counted.append)
        formats.read(data, kind, where="the file")
    return sum(counted)


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        *EDGES,
        *[(kind, samples.SAMPLES[kind][1]()) for kind in ("html", "markdown", "srt", "vtt")],
        ("html", samples.html_fragment()),
    ],
    ids=[f"edge-{kind}-{k}" for k, (kind, _) in enumerate(EDGES)]
    + ["html", "markdown", "srt", "vtt", "html-fragment"],
)
def test_what_is_counted_while_parsing_never_refuses_a_document_at_the_limit(
    kind: str, data: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    spent = _spent(data, kind, monkeypatch)
    assert spent > 0
    with char_budget(spent, "the file"):
        read = formats.read(data, kind, where="the file")
    unlimited = formats.read(data, kind, where="the file")
    assert [b.text for b in read.blocks] == [b.text for b in unlimited.blocks]
    with (
        pytest.raises(InputError, match=f"more than {spent - 1} characters"),
        char_budget(spent - 1, "the file"),
    ):
        formats.read(data, kind, where="the file")
