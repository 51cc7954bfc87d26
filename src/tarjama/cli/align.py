"""`tarjama align`: pair the sentences of Arabic articles with their English translations."""

from __future__ import annotations

import argparse
import json
import sys

from ..archive import read_articles
from ..workspace import Workspace
from ._io import write_output


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "align", help="align a bilingual archive (Arabic then English) into sentence pairs"
    )
    p.add_argument("file", metavar="FILE", help="bilingual file, Arabic file (with --en) or folder")
    p.add_argument("--en", default=None, metavar="FILE", help="the English translation of FILE")
    p.add_argument("--format", "-f", choices=("tsv", "json"), default="tsv")
    p.add_argument("--output", "-o", default=None, help="write here instead of stdout")
    p.add_argument(
        "--threshold", type=float, default=0.5, help="flag links scored below this (default 0.5)"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    articles = read_articles(args.file, args.en)
    aligner = Workspace.open().aligner(threshold=args.threshold)
    # As an import aligns: two passes, the second with the lexicon the first teaches.
    alignments = aligner.align_many(articles)
    if args.format == "json":
        out = json.dumps([a.to_json() for a in alignments], ensure_ascii=False, indent=2) + "\n"
    else:
        rows = ["origin\tparagraph\tkind\tscore\tflagged\tsource\ttarget"]
        for a in alignments:
            for number, para in enumerate(a.paragraphs, 1):
                # A paragraph left without partner has no sentences: list it whole.
                for s in para.sentences or (para,):
                    flag = "flagged" if s.flagged else ""
                    rows.append(
                        f"{a.origin}\t{number}\t{s.kind}\t{s.score:.3f}\t{flag}"
                        f"\t{s.source}\t{s.target}"
                    )
        out = "\n".join(rows) + "\n"
    write_output(out, args.output)
    paragraphs = sum(len(a.paragraphs) for a in alignments)
    sentences = [s for a in alignments for s in a.sentences]
    flagged = sum(s.flagged for s in sentences) + sum(
        p.flagged and not p.sentences for a in alignments for p in a.paragraphs
    )
    print(
        f"{len(alignments)} article(s): {paragraphs} paragraph pairs, "
        f"{len(sentences)} sentence pairs, {flagged} flagged",
        file=sys.stderr,
    )
    return 0
