"""HTML character references and tags out of a text, with offsets back to it.

Some MT services return HTML-escaped text (``&quot;``, ``&#39;``, ``&apos;``) or keep inline
tags; checks that read such text see lost quotation marks, numbers (``39``) and words
(``quot``) that are not there. :func:`unmarkup` decodes it once, and keeps for every
character the index of the original character it came from, so reports still point into
the text the user gave.

>>> u = unmarkup("He said &quot;no&quot; <b>twice</b>")
>>> u.text
'He said "no" twice'
>>> u.original_span(8, 12)
(8, 22)
"""

from __future__ import annotations

import html
import re

from .normalize import Cleaned

# A named or numeric character reference (the ";" may be missing, as html.unescape allows
# for the common names), or a tag: <b>, </i>, <br/>, <span class="x">.
_MARKUP = re.compile(
    r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};)"
    r"|</?[A-Za-z][A-Za-z0-9]{0,15}(?:\s[^<>]{0,200})?/?>"
)


def unmarkup(text: str) -> Cleaned:
    """``text`` with character references decoded and tags removed, and the offsets of
    each output character in ``text`` (see :class:`~tarjama.text.normalize.Cleaned`)."""
    if "&" not in text and "<" not in text:
        return Cleaned(text, tuple(range(len(text) + 1)))
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _MARKUP.finditer(text):
        out.append(text[pos : m.start()])
        offsets.extend(range(pos, m.start()))
        piece = m.group(0)
        decoded = "" if piece.startswith("<") else html.unescape(piece)
        if decoded == piece:  # an unknown name such as &foo; stays as written
            out.append(piece)
            offsets.extend(range(m.start(), m.end()))
        else:
            out.append(decoded)
            offsets.extend([m.start()] * len(decoded))
        pos = m.end()
    out.append(text[pos:])
    offsets.extend(range(pos, len(text) + 1))
    return Cleaned("".join(out), tuple(offsets))
