"""A batch job on the fake engine: outputs mirror the inputs, the journal resumes exactly,
changed inputs are translated again, failures stay per document, and what must be refused
is refused."""

from __future__ import annotations

import csv
import io
import json
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from tarjama.batch import Fields, JobOptions, PoolResult, Summary, run_job
from tarjama.batch.outputs import TEMP_SUFFIX, DirectoryLock
from tarjama.document import TranslatedDocument
from tarjama.engines import Hypothesis
from tarjama.errors import ConfigError, InputError
from tarjama.pipeline import Translator

from ..conftest import corpus
from ..fakes import FakeEngine
from .conftest import (
    BREAKS,
    BreakingEngine,
    FakeTranslators,
    article,
    journal_rows,
    outputs,
    write_archive,
)


def alone(text: str) -> str:
    """What translate_document gives for a text on the fake engine."""
    return Translator(FakeEngine()).translate_document(text).text


def inputs(archive: dict[str, Path]) -> list[Path]:
    return [archive["folder"], archive["feed"], archive["sheet"]]


def test_outputs_mirror_the_inputs_in_their_formats(
    archive: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    summary = run_job(inputs(archive), out, FakeTranslators())
    assert (summary.total, summary.done, summary.failed, summary.pending) == (9, 9, 0, 0)
    files = outputs(out)
    assert sorted(files) == [
        "feed.jsonl",
        "sheet.csv",
        "wire/2023/story-0.txt",
        "wire/2023/story-2.txt",
        "wire/2024/story-1.txt",
        "wire/2024/story-3.txt",
    ]
    for name, data in files.items():
        if name.endswith(".txt"):
            source = (archive["folder"].parent / name).read_text(encoding="utf-8")
            assert data.decode() == alone(source)
    # JSONL: the same ids in the same order, every other field kept, the text translated.
    given = [json.loads(x) for x in archive["feed"].read_text(encoding="utf-8").splitlines()]
    got = [json.loads(x) for x in files["feed.jsonl"].decode().splitlines()]
    assert [g["id"] for g in got] == ["n0", "n1", "n2"]
    for g, src in zip(got, given, strict=True):
        assert g == {**src, "text": alone(src["text"])}
    rows = list(csv.reader(io.StringIO(files["sheet.csv"].decode())))
    assert rows[0] == ["id", "headline", "text"]
    assert [r[:2] for r in rows[1:]] == [["100", "headline 0"], ["101", "headline 1"]]
    assert rows[1][2] == alone(article(2, 2))


def test_sentences_are_pooled_across_documents_and_translated_once(
    archive: dict[str, Path], tmp_path: Path
) -> None:
    t = FakeTranslators()
    run_job(inputs(archive), tmp_path / "out", t)
    texts = [p.read_text(encoding="utf-8") for p in sorted(archive["folder"].rglob("*.txt"))]
    texts += [json.loads(x)["text"] for x in archive["feed"].read_text().splitlines()]
    texts += [r["text"] for r in csv.DictReader(archive["sheet"].open(encoding="utf-8"))]
    every = [s.normalized for t_ in texts for s in Translator(FakeEngine()).segment(t_).segments]
    assert len(every) > len(set(every))  # the stories share sentences
    assert len(t.calls) == 1  # the whole small archive is one pool: one engine call
    assert sorted(t.sentences) == sorted(set(every))  # each sentence reached it once


def test_a_finished_job_is_resumed_only_when_asked_and_skips_what_is_done(
    archive: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run_job(inputs(archive), out, FakeTranslators())
    before = outputs(out)
    with pytest.raises(InputError, match="already holds a batch job; add --resume"):
        run_job(inputs(archive), out, FakeTranslators())
    again = FakeTranslators()
    summary = run_job(inputs(archive), out, again, JobOptions(resume=True))
    assert again.calls == []
    assert summary.done == 9 and summary.runs == 2
    assert outputs(out) == before
    assert [r["done_count"] for r in journal_rows(out)] == [1] * 9


def test_a_changed_input_is_translated_again(archive: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_job(inputs(archive), out, FakeTranslators())
    story = archive["folder"] / "2023" / "story-2.txt"
    story.write_text("تغير الخبر بعد النشر.\n", encoding="utf-8")
    lines = archive["feed"].read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[1])
    row["text"] = "عدل المحرر الفقرة."
    lines[1] = json.dumps(row, ensure_ascii=False)
    archive["feed"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    again = FakeTranslators()
    run_job(inputs(archive), out, again, JobOptions(resume=True))
    assert sorted(again.sentences) == sorted(["تغير الخبر بعد النشر.", "عدل المحرر الفقرة."])
    assert (out / "wire/2023/story-2.txt").read_text(
        encoding="utf-8"
    ) == "<تغير الخبر بعد النشر.>\n"
    feed = [json.loads(x) for x in (out / "feed.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [f["id"] for f in feed] == ["n0", "n1", "n2"]
    assert feed[1]["text"] == "<عدل المحرر الفقرة.>"
    counts = {(r["name"], r["record"]): r["done_count"] for r in journal_rows(out)}
    assert counts[("wire/2023/story-2.txt", "")] == 2
    assert counts[("feed.jsonl", "n1")] == 2
    assert sum(counts.values()) == 11


def test_a_record_removed_from_its_file_leaves_the_output(
    archive: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run_job([archive["feed"]], out, FakeTranslators())
    lines = archive["feed"].read_text(encoding="utf-8").splitlines()
    archive["feed"].write_text("\n".join([lines[0], lines[2]]) + "\n", encoding="utf-8")
    again = FakeTranslators()
    summary = run_job([archive["feed"]], out, again, JobOptions(resume=True))
    assert again.calls == [] and summary.total == 2
    ids = [json.loads(x)["id"] for x in (out / "feed.jsonl").read_text().splitlines()]
    assert ids == ["n0", "n2"]


def test_failures_are_per_document_and_retried_on_resume(
    archive: dict[str, Path], tmp_path: Path
) -> None:
    (archive["folder"] / "bad.txt").write_bytes(b"\xd9\x82\xff not text")
    (archive["folder"] / "broken.txt").write_text(f"{BREAKS}\n", encoding="utf-8")
    with archive["feed"].open("a", encoding="utf-8") as f:
        f.write('{"id": "n9", "body": "no text field"}\n{"id": "n0", "text": "مكرر."}\nnot json\n')
    out = tmp_path / "out"
    summary = run_job(inputs(archive), out, FakeTranslators(BreakingEngine))
    failed = dict(summary.failures)
    assert summary.failed == 5 and summary.done == 9
    assert "not valid UTF-8 (first bad byte at offset 2)" in failed["wire/bad.txt"]
    assert failed["wire/broken.txt"] == "the engine broke down"
    assert "no 'text' string" in failed["feed.jsonl#(line 4)"]
    assert "id 'n0' appears twice" in failed["feed.jsonl#(line 5)"]
    assert "not a JSON object" in failed["feed.jsonl#(line 6)"]
    # The others were translated, in the pool that broke too, and written.
    assert (out / "wire/2023/story-0.txt").is_file() and not (out / "wire/broken.txt").exists()
    assert len((out / "feed.jsonl").read_text().splitlines()) == 3
    # Resumed with an engine that works, the engine's failure is retried and mended.
    again = FakeTranslators()
    summary = run_job(inputs(archive), out, again, JobOptions(resume=True))
    assert again.sentences == [BREAKS]
    assert summary.failed == 4 and "wire/broken.txt" not in dict(summary.failures)
    assert (out / "wire/broken.txt").read_text(encoding="utf-8") == f"<{BREAKS}>\n"


class _Crash(Exception):
    pass


class _CrashAfter:
    """Events that stop the job (like a kill) once ``pools`` pools of documents are
    journalled."""

    def __init__(self, pools: int) -> None:
        self.left = pools

    def started(self, summary: Summary) -> None:
        pass

    def pool_done(self, result: PoolResult) -> None:
        self.left -= bool(result.docs)
        if self.left == 0:
            raise _Crash

    def translated(self, sentences: int) -> None:
        pass


def test_sentences_recurring_across_pools_reach_the_engine_once(tmp_path: Path) -> None:
    root = tmp_path / "in"
    write_archive(root, stories=12)
    t = FakeTranslators()
    run_job([root], tmp_path / "out", t, JobOptions(pool_chars=300))
    pools = {r["pool"] for r in journal_rows(tmp_path / "out")}
    assert len(pools) >= 5
    texts = [p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.txt"))]
    every = {s.normalized for x in texts for s in Translator(FakeEngine()).segment(x).segments}
    assert len(t.sentences) == len(set(t.sentences))  # none twice, in any pool
    assert set(t.sentences) >= every
    for path in sorted(root.rglob("*.txt")):  # and each story as translate_document says
        out = tmp_path / "out" / path.relative_to(root.parent)
        assert out.read_text(encoding="utf-8") == alone(path.read_text(encoding="utf-8"))


def test_a_resumed_job_makes_the_engine_calls_of_an_uninterrupted_one(tmp_path: Path) -> None:
    root = tmp_path / "in"
    write_archive(root, stories=12)
    small = JobOptions(pool_chars=300)
    whole = FakeTranslators()
    run_job([root], tmp_path / "whole", whole, small)
    first = FakeTranslators()
    with pytest.raises(_Crash):  # after the repeats and two pools of documents
        run_job([root], tmp_path / "cut", first, small, _CrashAfter(2))
    rest = FakeTranslators()
    run_job([root], tmp_path / "cut", rest, JobOptions(pool_chars=300, resume=True))
    # What was not journalled is translated again in the same pools, so the same engine
    # calls, and the same outputs, as in the uninterrupted run.
    assert rest.calls and rest.calls == whole.calls[len(whole.calls) - len(rest.calls) :]
    assert whole.calls[0] not in rest.calls  # the repeats were journalled
    assert outputs(tmp_path / "cut") == outputs(tmp_path / "whole")


def test_a_crash_between_commit_and_rename_is_finished_and_leaves_no_temp(
    archive: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run_job(inputs(archive), out, FakeTranslators())
    want = outputs(out)
    done = out / "wire/2024/story-1.txt"
    done.rename(done.with_name(done.name + TEMP_SUFFIX))  # journalled, not yet renamed
    (out / "feed.jsonl").rename(out / f"feed.jsonl{TEMP_SUFFIX}")
    stale = out / f"wire/2023/story-0.txt{TEMP_SUFFIX}"
    stale.write_text("half a translation", encoding="utf-8")  # never journalled
    (out / "wire/2023/story-2.txt").unlink()  # deleted by hand: translated again
    again = FakeTranslators()
    run_job(inputs(archive), out, again, JobOptions(resume=True))
    assert outputs(out) == want
    assert not list(out.rglob(f"*{TEMP_SUFFIX}"))
    assert sorted(again.sentences) == sorted(
        {s.normalized for s in Translator(FakeEngine()).segment(article(2)).segments}
    )


def test_a_crash_before_a_file_of_records_is_assembled_again(
    archive: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    run_job([archive["feed"]], out, FakeTranslators())
    lines = archive["feed"].read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[0])
    row["text"] = "خبر معدل."
    archive["feed"].write_text("\n".join([json.dumps(row), *lines[1:]]) + "\n", encoding="utf-8")

    def crash(*args: object) -> None:
        raise _Crash  # the record is journalled; its file is not yet assembled

    monkeypatch.setattr("tarjama.batch.job.write_records_file", crash)
    with pytest.raises(_Crash):
        run_job([archive["feed"]], out, FakeTranslators(), JobOptions(resume=True))
    monkeypatch.undo()
    again = FakeTranslators()
    run_job([archive["feed"]], out, again, JobOptions(resume=True))
    assert again.calls == []  # nothing to translate: the file is assembled from the journal
    first = json.loads((out / "feed.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["text"] == "<خبر معدل.>"


def test_workers_give_the_outputs_of_one_worker(tmp_path: Path) -> None:
    root = tmp_path / "in"
    write_archive(root, stories=10)
    one, four = FakeTranslators(), FakeTranslators()
    run_job([root], tmp_path / "one", one, JobOptions(pool_chars=200))
    run_job([root], tmp_path / "four", four, JobOptions(pool_chars=200, workers=4))
    # Each worker loads its own translator, once for the repeats and once for the documents.
    assert len(one.engines) == 2 and 4 < len(four.engines) <= 8
    assert outputs(tmp_path / "one") == outputs(tmp_path / "four")
    assert sorted(map(tuple, one.calls)) == sorted(map(tuple, four.calls))


def test_the_engine_decodes_the_next_pool_while_one_is_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "in"
    write_archive(root, stories=4, sentences=corpus("ar"))  # no sentence in two pools
    next_pool = threading.Event()

    class Engine(FakeEngine):
        def translate_batch(self, *args: Any, **kw: Any) -> list[Hypothesis]:
            if self.calls:  # the worker's second pool
                next_pool.set()
            return super().translate_batch(*args, **kw)

    waited: list[bool] = []
    check = Translator.check

    def slow_check(self: Translator, doc: TranslatedDocument) -> TranslatedDocument:
        if not waited:  # the first pool's first document waits for the engine to go on
            waited.append(next_pool.wait(timeout=20))
        return check(self, doc)

    monkeypatch.setattr(Translator, "check", slow_check)
    t = FakeTranslators(Engine)
    run_job([root / "wire"], tmp_path / "out", t, JobOptions(pool_chars=300))
    assert waited == [True]
    assert len(t.calls) >= 3
    # ...and every document was still checked: the fake engine leaves the Arabic in, and
    # the checks' findings are journalled for each one.
    rows = journal_rows(tmp_path / "out")
    assert rows and all(r["state"] == "done" and r["errors"] > 0 for r in rows)


def test_refusals(archive: dict[str, Path], tmp_path: Path) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="not empty and holds no batch job"):
        run_job(inputs(archive), busy, FakeTranslators())
    assert (busy / "notes.txt").read_text() == "mine"
    out = tmp_path / "out"
    out.mkdir()
    with DirectoryLock(out), pytest.raises(InputError, match=r"another batch job \(pid \d+\)"):
        run_job(inputs(archive), out, FakeTranslators())
    run_job(inputs(archive), out, FakeTranslators())
    with pytest.raises(ConfigError, match=r"model_id: 'fake' then, 'other' now"):
        run_job(inputs(archive), out, FakeTranslators(model_id="other"), JobOptions(resume=True))
    with pytest.raises(ConfigError, match="text_field"):
        run_job(
            inputs(archive),
            out,
            FakeTranslators(),
            JobOptions(resume=True, fields=Fields(text="body")),
        )


def test_a_refused_fresh_job_leaves_nothing_to_resume(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "out"
    with pytest.raises(InputError, match="no documents found"):
        run_job([empty], out, FakeTranslators())
    write_archive(empty)
    assert run_job([empty], out, FakeTranslators()).done == 9  # no --resume needed


def test_which_files_a_folder_gives(tmp_path: Path) -> None:
    root = tmp_path / "desk"
    for rel in ["a.txt", "drafts/b.txt", "2024/c.txt", ".hidden.txt", ".git/d.txt", "e.pdf"]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("قال.\n", encoding="utf-8")
    out = root / "translated"  # inside the input: never read back as input
    opts = JobOptions(exclude=["drafts/*"])
    summary = run_job([root], out, FakeTranslators(), opts)
    assert sorted(outputs(out)) == ["desk/2024/c.txt", "desk/a.txt"]
    assert summary.skipped == {".pdf": 1}
    assert summary.lines()[-1] == "skipped 1 file(s) of other types (.pdf 1)"
    only = tmp_path / "only"
    run_job([root], only, FakeTranslators(), JobOptions(include=["c.*"]))
    assert sorted(outputs(only)) == ["desk/2024/c.txt"]


def test_two_inputs_with_one_output_are_refused(tmp_path: Path) -> None:
    for side in ("a", "b"):
        (tmp_path / side / "same").mkdir(parents=True)
        (tmp_path / side / "same" / "x.txt").write_text("قال.\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="would both be written to"):
        run_job([tmp_path / "a/same", tmp_path / "b/same"], tmp_path / "out", FakeTranslators())


def test_a_named_file_of_unknown_type_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    with pytest.raises(InputError, match=r"x.pdf: unsupported file type \(batch reads .csv"):
        run_job([tmp_path / "x.pdf"], tmp_path / "out", FakeTranslators())


def test_the_ray_backend_without_the_extra_says_how_to_install_it(
    archive: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now raises ImportError
    with pytest.raises(ConfigError, match=r"needs the ray extra: pip install 'tarjama\[ray\]'"):
        run_job(inputs(archive), tmp_path / "out", FakeTranslators(), JobOptions(backend="ray"))
    assert not (tmp_path / "out").exists()
