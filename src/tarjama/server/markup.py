"""``format=html``: translate the text nodes of an HTML fragment and keep every tag.

The fragment is cut with the standard library's :class:`html.parser.HTMLParser` into
markup (kept byte for byte) and text nodes. Text inside ``script`` and ``style`` is markup.
Translations are escaped on the way back in, so model output can never become a tag.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

_RAW_TEXT = {"script", "style"}


class HtmlFragment(HTMLParser):
    """``texts`` are the text nodes worth translating; :meth:`render` puts translations back."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self._parts: list[str | int] = []  # markup, or the index of a text node
        self.texts: list[str] = []
        self._raw_depth = 0
        self.feed(source)
        self.close()

    def render(self, translations: list[str]) -> str:
        return "".join(
            p if isinstance(p, str) else html.escape(translations[p], quote=False)
            for p in self._parts
        )

    # -- parser callbacks ---------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._parts.append(self.get_starttag_text() or f"<{tag}>")
        if tag in _RAW_TEXT:
            self._raw_depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._parts.append(self.get_starttag_text() or f"<{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        self._parts.append(f"</{tag}>")
        if tag in _RAW_TEXT and self._raw_depth:
            self._raw_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._raw_depth or not data.strip():
            self._parts.append(data if self._raw_depth else html.escape(data, quote=False))
            return
        # Keep the node's surrounding whitespace outside the translated text.
        core = data.strip()
        lead = data[: len(data) - len(data.lstrip())]
        trail = data[len(data.rstrip()) :]
        self._parts.append(html.escape(lead, quote=False))
        self._parts.append(len(self.texts))
        self._parts.append(html.escape(trail, quote=False))
        self.texts.append(core)

    def handle_comment(self, data: str) -> None:
        self._parts.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self._parts.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self._parts.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self._parts.append(f"<![{data}]>")
