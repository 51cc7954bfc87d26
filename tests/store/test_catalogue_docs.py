"""The README's model table and docs/llm.md say what the catalogue says about the LLMs:
a row for each, its size, its use restrictions, and the page its figures were checked
against (issue N: "The README's model table gains the LLM rows")."""

from __future__ import annotations

import re
from pathlib import Path

from tarjama.store.catalogue import LLMS

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
LLM_DOC = (ROOT / "docs" / "llm.md").read_text(encoding="utf-8")


def _readme_rows() -> dict[str, list[str]]:
    """Each catalogue name in the README's model table -> the cells of its row (a row may
    name several models, its sizes then given in the same order: "~16 / ~65 GB")."""
    rows: dict[str, list[str]] = {}
    for line in README.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) == 5:
            for name in re.findall(r"`([\w.-]+)`", cells[0]):
                rows[name] = cells
    return rows


def test_the_readme_has_a_row_for_each_llm_with_its_catalogue_size() -> None:
    rows = _readme_rows()
    for name, entry in LLMS.items():
        assert name in rows, name
        names = re.findall(r"`([\w.-]+)`", rows[name][0])
        sizes = re.findall(r"~([\d.]+) ?(?:/|GB)", rows[name][2])
        assert len(sizes) == len(names), rows[name]
        said = sizes[names.index(name)]
        # Within the rounding of what is written: "~3.9" is 3,850-3,950 MB, "~27" 26.5-27.5 GB.
        slack = 50 if "." in said else 500
        assert abs(float(said) * 1000 - entry.size_mb) <= slack, (name, said, entry.size_mb)


def test_the_restrictions_and_the_sources_are_said_where_the_catalogue_says_them() -> None:
    rows = _readme_rows()
    for name, entry in LLMS.items():
        row = " ".join(rows[name])
        if "South Korea" in entry.licence:
            assert all(t in row for t in ("the EU", "the UK", "South Korea")), name
        if "non-commercial" in entry.licence:
            assert "non-commercial" in row, name
        assert f"https://huggingface.co/{entry.repo}" in LLM_DOC, name
