"""The elements an HTML translation leaves alone, kept byte for byte.

lxml writes back what it read in its own way (entities, quotes, attribute spacing), which
is wrong for code and for what an author marked ``translate="no"``. So before parsing,
each such element of the source is swapped for an empty stand-in with the same tag and
``translate="no"`` (it takes the same place in the page's structure and is left alone
the same way), and after writing each stand-in is swapped back for the original text.

The source is scanned with the standard library's :class:`html.parser.HTMLParser`, which
reports where each tag starts; an element whose end tag it never sees is left to lxml.
The same scan counts the text outside kept elements against the read's character limit
(:mod:`.budget`), so that a page over it is refused before the rest is scanned and parsed.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Mapping
from html.parser import HTMLParser

from .budget import ahead, counting

#: Elements without content or end tag: nothing in them to keep.
VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)

_LINE = re.compile(r"\n")


def untouched(attrs: Mapping[str, str | None]) -> bool:
    """``translate="no"`` or the class ``notranslate``: the author's "leave this alone"."""
    if (attrs.get("translate") or "").lower() == "no":
        return True
    return "notranslate" in (attrs.get("class") or "").split()


class Verbatim(HTMLParser):
    """``text`` is the source with its kept elements replaced by stand-ins;
    :meth:`restore` puts the originals back into a written page."""

    def __init__(self, source: str, kept: Callable[[str, dict[str, str | None]], bool]) -> None:
        super().__init__(convert_charrefs=False)
        self._source = source
        self._kept = kept
        self._lines = [0, *(m.end() for m in _LINE.finditer(source))]
        # The element being kept: its tag, where it starts, how deep its tag is nested in it.
        self._tag: str | None = None
        self._start = self._depth = 0
        self._found: list[tuple[str, int, int]] = []
        self._counting, self._chars = counting(), 0
        #: A string no page holds, for stand-ins here and for others (see :mod:`.html`).
        self.marker = f"tarjama-{secrets.token_hex(4)}"
        self.feed(source)
        self.close()
        self.originals = [source[a:b] for _, a, b in self._found]
        self.text = self._stand_ins()

    def restore(self, written: str) -> str:
        """``written`` with every stand-in replaced by the element it stands for."""
        if not self.originals:
            return written
        pattern = re.compile(
            r"<([\w:-]+)[^>]*?\sdata-kept=\"" + self.marker + r"-(\d+)\"[^>]*?(?:/>|>(?:</\1>)?)"
        )
        return pattern.sub(lambda m: self.originals[int(m.group(2))], written)

    def _stand_ins(self) -> str:
        out, at = [], 0
        for n, (tag, start, end) in enumerate(self._found):
            out += [
                self._source[at:start],
                f'<{tag} translate="no" data-kept="{self.marker}-{n}">',
            ]
            out.append(f"</{tag}>")
            at = end
        out.append(self._source[at:])
        return "".join(out)

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._lines[line - 1] + column

    # -- parser callbacks ---------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._tag is not None:
            self._depth += tag == self._tag
        elif tag not in VOID and self._kept(tag, dict(attrs)):
            self._tag, self._start, self._depth = tag, self._offset(), 1

    def handle_data(self, data: str) -> None:
        # Stripped, and without entities (reported apart): at most what lxml's tree gives
        # the blocks, as libxml2 drops some whitespace-only text.
        if self._counting and self._tag is None:
            self._chars += len(data.strip())
            ahead(self._chars)

    def handle_endtag(self, tag: str) -> None:
        if tag != self._tag:
            return
        self._depth -= 1
        if self._depth == 0:
            end = self._source.find(">", self._offset()) + 1
            self._found.append((tag, self._start, end))
            self._tag = None
