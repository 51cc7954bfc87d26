"""What the batch tests share: translators over the fake engine, and a small archive of
fictional wire copy in every input format (written here, fresh for each test)."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from tarjama.archive import TranslationMemory
from tarjama.engines import Hypothesis
from tarjama.errors import EngineError
from tarjama.pipeline import Translator

from ..fakes import FakeEngine

#: A sentence the breaking engine cannot translate.
BREAKS = "تعطل المحرك."

DATELINE = "القاهرة (وكالات) -"
SENTENCES = [
    "قال وزير النقل إن الميناء الجديد سيفتح في الربيع.",
    "وبلغت كلفة المشروع 3.5 مليار دولار.",
    "وأضاف أن الأعمال بدأت قبل عامين.",
    "وقالت شركة الشحن إنها ستنقل الحاويات إلى الرصيف الشرقي.",
    "وتوقع المحللون أن ترتفع الصادرات بنسبة 12 في المئة.",
    "ولم يعلق المتحدث على التقارير.",
    "وشارك في الاجتماع ممثلون عن ست دول.",
    "وسيعقد المؤتمر المقبل في الخريف.",
]


class BreakingEngine(FakeEngine):
    """The fake engine, failing any call that holds :data:`BREAKS`."""

    def translate_batch(
        self, texts: Sequence[str], source: str, target: str, *, num_alternatives: int = 0
    ) -> list[Hypothesis]:
        if BREAKS in texts:
            self.calls.append(list(texts))
            raise EngineError("the engine broke down")
        return super().translate_batch(texts, source, target, num_alternatives=num_alternatives)


class FakeTranslators:
    """Translators over the fake engine (one per worker); remembers every engine."""

    source = "ar"

    def __init__(
        self, engine: type[FakeEngine] = FakeEngine, memory: Path | None = None, **settings: Any
    ) -> None:
        self.engine = engine
        self.memory = memory
        self.engines: list[FakeEngine] = []
        self.settings = {"model_id": "fake", "source": "ar", "target": "en", **settings}

    def __call__(self, threads: int | None = None) -> Translator:
        engine = self.engine()
        self.engines.append(engine)
        memory = TranslationMemory.open(self.memory) if self.memory else None
        return Translator(engine, memory=memory)

    @property
    def calls(self) -> list[list[str]]:
        return [c for e in self.engines for c in e.calls]

    @property
    def sentences(self) -> list[str]:
        return [s for c in self.calls for s in c]


def article(i: int, n: int = 3, sentences: Sequence[str] = SENTENCES) -> str:
    """A wire story: the dateline, then ``n`` paragraphs drawn in turn from ``sentences``
    (the story ``i`` starts at the ``i``-th one)."""
    body = [sentences[(i * n + k) % len(sentences)] for k in range(n)]
    return "\n".join([f"{DATELINE} {body[0]}", *body[1:]]) + "\n"


def write_archive(
    root: Path, stories: int = 4, sentences: Sequence[str] = SENTENCES
) -> dict[str, Path]:
    """A folder of stories (nested), a JSONL feed and a CSV sheet; returns them by kind."""
    folder = root / "wire"
    for i in range(stories):
        path = folder / ("2024" if i % 2 else "2023") / f"story-{i}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article(i, 3, sentences), encoding="utf-8")
    feed = root / "feed.jsonl"
    with feed.open("w", encoding="utf-8") as f:
        for i in range(3):
            text = article(stories + i, 2, sentences)
            row = {"id": f"n{i}", "desk": "gulf", "text": text, "n": i}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    sheet = root / "sheet.csv"
    with sheet.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "headline", "text"])
        for i in range(2):
            w.writerow([100 + i, f"headline {i}", article(i + 2, 2, sentences)])
    return {"folder": folder, "feed": feed, "sheet": sheet}


def journal_rows(out: Path) -> list[sqlite3.Row]:
    db = sqlite3.connect(out / ".tarjama" / "journal.sqlite")
    db.row_factory = sqlite3.Row
    try:
        return db.execute(
            "SELECT * FROM documents WHERE scan = (SELECT MAX(scan) FROM documents) "
            "ORDER BY position"
        ).fetchall()
    finally:
        db.close()


def outputs(out: Path) -> dict[str, bytes]:
    """Every file under ``out`` but the journal, by relative path."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".tarjama" not in p.relative_to(out).parts
    }


@pytest.fixture
def archive(tmp_path: Path) -> dict[str, Path]:
    return write_archive(tmp_path / "in")
