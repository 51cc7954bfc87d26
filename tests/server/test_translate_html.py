"""/translate with format=html: translated like an HTML file (sentences whole, inline tags
placed by alignment), with what must stay untouched kept byte for byte, in LibreTranslate's
response shape (a fragment stays a fragment, a list stays a list)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from ..fakes import AligningFakeEngine, FakeEngine
from .conftest import build_client


@pytest.fixture(autouse=True)
def _isolated(home: Path) -> None:
    """Every test gets an empty $TARJAMA_HOME (no default glossary, no memory)."""


def client_for(engine: FakeEngine) -> TestClient:
    return build_client(engine, raise_server_exceptions=False)


@pytest.fixture
def engine() -> AligningFakeEngine:
    return AligningFakeEngine(pairs=[("ar", "en")])


@pytest.fixture
def client(engine: AligningFakeEngine) -> Iterator[TestClient]:
    with client_for(engine) as c:
        yield c


def html(client: TestClient, q: Any, **more: Any) -> Any:
    r = client.post(
        "/translate", json={"q": q, "source": "ar", "target": "en", "format": "html", **more}
    )
    assert r.status_code == 200, r.text
    return r.json()


def sent(engine: FakeEngine) -> list[str]:
    return [t for call in engine.calls for t in call]


#: Untouched regions whose bytes lxml would rewrite (entities, single quotes, spacing).
KEPT = {
    "translate-no": "<span translate=\"no\" title='x'>بوتين &quot;قال&quot;&nbsp;</span>",
    "notranslate": '<span class="tag notranslate">وزارة  &amp;  الخارجية</span>',
    "code": "<code class='py'>if a &lt; b &amp;&amp; c: print(&#39;مرحبا&#39;)</code>",
    "time": '<time datetime="2025-03-12">12 مارس</time>',
    "video": "<video src='v.mp4' controls>فيديو</video>",
}


@pytest.mark.parametrize("kept", KEPT.values(), ids=KEPT.keys())
def test_untouched_inline_elements_come_back_byte_for_byte(
    client: TestClient, engine: FakeEngine, kept: str
) -> None:
    out = html(client, f"<p>أعلن الوزير {kept} عن الخطة</p>")["translatedText"]
    assert kept in out
    inside = kept.split(">", 1)[1].rsplit("<", 1)[0]
    assert not any(word in t for t in sent(engine) for word in inside.split() if word.isalpha())
    assert any("أعلن الوزير" in t and "عن الخطة" in t for t in sent(engine))


@pytest.mark.parametrize(
    "block",
    [
        "<pre>  def f(x):\n      return x &lt; 2 &amp;&amp; 'نعم'\n</pre>",
        "<address>شارع   الجمهورية&nbsp;5</address>",
        '<div translate="no"><p>نص <b>محمي</b></p></div>',
        "<script>if (a < b && c > d) { s = '</p>'; }</script>",
        "<style>p::after { content: '&gt;'; }</style>",
    ],
)
def test_untouched_blocks_come_back_byte_for_byte(
    client: TestClient, engine: FakeEngine, block: str
) -> None:
    q = f"<p>مرحبا بكم</p>\n{block}\n<p>شكرا لكم</p>"
    out = html(client, q)["translatedText"]
    assert block in out
    assert sent(engine) == ["مرحبا بكم", "شكرا لكم"]


def test_a_fragment_stays_a_fragment_and_a_list_stays_a_list(client: TestClient) -> None:
    one = html(client, "مرحبا <b>بكم</b>")["translatedText"]
    assert one == "مرحبا <b>بكم</b>"  # the aligning fake writes its input back
    many = html(client, ["<p>مرحبا</p>", "<i>شكرا</i> لكم"])["translatedText"]
    assert many == ["<p>مرحبا</p>", "<i>شكرا</i> لكم"]
    assert not any("<html" in t or "<body" in t or "<div" in t for t in [one, *many])


def test_a_sentence_across_inline_tags_is_translated_whole(engine: FakeEngine) -> None:
    with client_for(engine) as c:
        html(c, '<p>قال <a href="/x">الوزير</a> إن <b>الخطة</b> جاهزة</p>')
    assert sent(engine) == ["قال الوزير إن الخطة جاهزة"]


def test_a_mastodon_post_keeps_its_mention_and_hashtags(
    client: TestClient, engine: AligningFakeEngine
) -> None:
    mention = (
        '<span class="h-card" translate="no"><a href="https://example.social/@user" '
        'class="u-url mention">@<span>user</span></a></span>'
    )
    hashtag = (
        '<a href="https://example.social/tags/غزة" class="mention hashtag" rel="tag">'
        "#<span>غزة</span></a>"
    )
    post = f"<p>{mention} وصلت المساعدات إلى {hashtag} اليوم</p>"
    out = html(client, [post, "BBC"], source="auto")
    assert out["translatedText"][1] == "BBC"  # English comes back as it was
    translated = out["translatedText"][0]
    assert mention in translated
    # lxml writes a link's non-ASCII characters %-escaped, as a browser sends them anyway.
    assert 'href="https://example.social/tags/غزة"' in unquote(translated)
    assert re.search(r'class="mention hashtag" rel="tag">#?<span>#?غزة</span></a>', translated)
    assert translated.startswith("<p>") and translated.endswith("</p>")
    assert sent(engine) == ["وصلت المساعدات إلى #غزة اليوم"]
    assert engine.align_calls == [[True]]  # placed by the word alignment


def test_html_gets_libretranslates_empty_alternatives(client: TestClient) -> None:
    assert html(client, "<p>مرحبا</p>", alternatives=2)["alternatives"] == []
    listed = html(client, ["<p>مرحبا</p>", "<p>شكرا</p>"], alternatives=2)
    assert listed["alternatives"] == [[], []]


def test_a_list_of_fragments_is_one_engine_call(engine: FakeEngine) -> None:
    with client_for(engine) as c:
        html(c, ["<p>مرحبا</p>", "<p>شكرا <i>لكم</i></p>", "<p>2025</p>"])
    assert engine.calls == [["مرحبا", "شكرا لكم"]]


def test_a_page_stays_a_page_without_an_invented_doctype(client: TestClient) -> None:
    out = html(client, "<html><body><p>مرحبا</p></body></html>")["translatedText"]
    assert out.startswith('<html lang="en"><body><p>')  # lang names the translation's language
    declared = html(client, "<!DOCTYPE html><html><body><p>مرحبا</p></body></html>")
    assert declared["translatedText"].startswith("<!DOCTYPE html>\n<html")
