"""Bilingual archive files: one file holding both languages, a pair of files, or a folder.

Each line with content is a paragraph, and its script (:func:`tarjama.text.script_of`)
decides its language.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..document import read_text
from ..errors import InputError
from ..text import script_of
from .types import Article


def split_bilingual(text: str) -> list[tuple[list[str], list[str]]]:
    """Split an archive text into articles of (Arabic paragraphs, English paragraphs).

    Each line with content is a paragraph; its script decides its side. A run of Arabic
    paragraphs followed by a run of English ones is one article, so a file may hold
    several articles in a row. Lines without letters (a lone "2023") stay with their run.
    """
    runs: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        para = line.strip()
        if not para:
            continue
        lang = script_of(para)
        if runs and (lang is None or runs[-1][0] == lang):
            runs[-1][1].append(para)
        else:
            runs.append((lang or "ar", [para]))
    if not runs:
        raise InputError("the bilingual text is empty")
    articles = []
    for k in range(0, len(runs), 2):
        first = runs[k]
        if k + 1 >= len(runs) or first[0] != "ar":
            raise InputError(
                "a bilingual text must hold Arabic paragraphs followed by their English "
                f"translation; paragraph run {k + 1} ({first[0]}) has no partner"
            )
        articles.append((first[1], runs[k + 1][1]))
    return articles


def paragraphs_of(text: str) -> list[str]:
    """Non-empty lines of ``text``, stripped: the paragraphs of a one-language file."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _language_of(paragraphs: list[str]) -> str:
    return script_of(" ".join(paragraphs)) or "en"


def read_articles(path: str | Path, english: str | Path | None = None) -> list[Article]:
    """Articles from a bilingual file, an Arabic file and its ``english`` one, or a folder.

    In a folder, every ``*.txt`` holding both scripts is a bilingual file, and one-language
    files pair up by name once the language is dropped (``x.ar.txt`` with ``x.en.txt``).
    """
    p = Path(path)
    if english is not None:
        return [_pair_article(p, Path(english))]
    if p.is_dir():
        return _folder_articles(p)
    text = read_text(p)
    paragraphs = paragraphs_of(text)
    if len({script_of(x) == "ar" for x in paragraphs}) < 2:
        raise InputError(f"{p} holds only one language; give its translation with --en FILE")
    return [Article(f"{p}#{k}", ar, en) for k, (ar, en) in enumerate(split_bilingual(text), 1)]


def _pair_article(arabic: Path, english: Path) -> Article:
    ar = paragraphs_of(read_text(arabic))
    en = paragraphs_of(read_text(english))
    if _language_of(ar) != "ar" or _language_of(en) != "en":
        raise InputError(f"expected Arabic in {arabic} and English in {english}")
    return Article(f"{arabic}+{english.name}", ar, en)


def _folder_articles(folder: Path) -> list[Article]:
    articles: list[Article] = []
    halves: dict[str, dict[str, Path]] = {}
    for file in sorted(folder.glob("*.txt")):
        paragraphs = paragraphs_of(read_text(file))
        scripts = {_language_of([x]) for x in paragraphs}
        if len(scripts) == 2:
            articles.extend(read_articles(file))
        elif scripts:
            stem = re.sub(r"[._-](ar|en|arabic|english)$", "", file.stem, flags=re.IGNORECASE)
            halves.setdefault(stem, {})[scripts.pop()] = file
    for stem, sides in sorted(halves.items()):
        if set(sides) != {"ar", "en"}:
            raise InputError(f"{folder}: '{stem}' has no file in the other language")
        articles.append(_pair_article(sides["ar"], sides["en"]))
    if not articles:
        raise InputError(f"{folder} holds no .txt files to align")
    return articles
