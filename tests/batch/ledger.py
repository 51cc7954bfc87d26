"""A document format that tarjama does not ship, written as a user would add one: one
class and one registration. A "ledger" file opens with ``LEDGER``; each ``> `` line is a
paragraph to translate; every other line is kept as it is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from tarjama.errors import InputError
from tarjama.formats import Block, BlockResult, DocumentFormat, Formatted
from tarjama.formats.inline import text_of

HEAD = b"LEDGER\n"


@dataclass
class LedgerDocument:
    kind = "ledger"
    lines: list[str]
    blocks: list[Block] = field(default_factory=list)

    def write(self, results: Sequence[BlockResult], *, source: str, target: str) -> bytes:
        done = iter(results)
        out = [f"> {text_of(next(done).tokens)}" if x.startswith("> ") else x for x in self.lines]
        return ("\n".join(out) + "\n").encode("utf-8")


class LedgerFormat(DocumentFormat):
    kind = "ledger"
    suffixes = (".ledger",)
    media_type = "text/x-ledger; charset=utf-8"
    description = "a ledger of lines"

    def sniff(self, head: bytes) -> bool:
        return head.startswith(HEAD)

    def read(self, data: bytes, where: str) -> Formatted:
        if not data.startswith(HEAD):
            raise InputError(f"{where} is not a ledger (it must open with LEDGER)")
        lines = data.decode("utf-8").rstrip("\n").split("\n")
        blocks = [Block([x[2:]]) for x in lines if x.startswith("> ")]
        return LedgerDocument(lines, blocks)


def ledger(paragraphs: Sequence[str]) -> bytes:
    """A ledger holding ``paragraphs``, each after a line that stays untouched."""
    body = [y for k, p in enumerate(paragraphs) for y in (f"# entry {k}", f"> {p}")]
    return ("\n".join(["LEDGER", *body]) + "\n").encode("utf-8")
