"""``tarjama batch --llm-post-edit LLM``: the NMT model drafts, the endpoint LLM edits, an
edit is kept only where it passes the checks, the outputs carry the edits, the summary and
the report count them, and the post-edit is part of the job's settings, so a resumed job
never mixes edited and unedited output. The loopback stub plays the LLM."""

from __future__ import annotations

import csv
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tarjama.batch.journal import journal_path
from tarjama.workspace import Workspace

from ..commands import tarjama_text
from ..llm_stub import Stub, romanized, serve_stub
from .conftest import outputs

#: Two documents; the second's number is what a bad edit drops.
DOCS = {
    "a.txt": "قال الرئيس إن الخطة جاهزة للتنفيذ.",
    "b.txt": "وصلت 7 سفن إلى الميناء أمس.",
}


@pytest.fixture
def stub() -> Iterator[Stub]:
    yield from serve_stub()


@pytest.fixture
def inputs(stub: Stub, home: Path, copy_model_dir: Path, tmp_path: Path) -> Path:
    """The copy model as ``nmt``, the stub as ``llm``, and a folder of the documents."""
    ws = Workspace.open(home)
    ws.add_model(copy_model_dir, "nmt")
    ws.add_model(copy_model_dir, "nmt-en-ar", source="en", target="ar")
    ws.add_endpoint("llm", url=stub.url, model="m")
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")
    return folder


def batch(home: Path, inputs: Path, out: Path, *args: str) -> tuple[int, str, str]:
    ran = tarjama_text("batch", str(inputs), "--out", str(out), "--model", "nmt", *args, home=home)
    return ran.returncode, ran.stdout, ran.stderr


def draft(home: Path, text: str) -> str:
    return Workspace.open(home).engine("nmt").translate_batch([text], "ar", "en")[0].text


def test_the_outputs_carry_the_edits_and_the_report_counts_them(
    stub: Stub, home: Path, inputs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = batch(home, inputs, out, "--llm-post-edit", "llm")
    assert code == 0, stderr
    written = outputs(out)
    for name, text in DOCS.items():
        assert written[f"in/{name}"].decode().strip() == romanized(text)
    assert "2 edited by the LLM" in stdout
    assert "post_edit:llm:m" in stdout  # the documents' signature names the editor
    assert stub.requests  # the LLM was asked
    status = tarjama_text("batch", "status", str(out), "--report", str(tmp_path / "r.html"),
                          home=home)  # fmt: skip
    assert "2 edited by the LLM" in status.stdout
    with (tmp_path / "r.csv").open(encoding="utf-8") as f:
        edits = {r["file"]: r["edits"] for r in csv.DictReader(f)}
    assert edits == {"in/a.txt": "1", "in/b.txt": "1"}
    assert 'id="edits">2<' in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_an_edit_that_fails_a_check_leaves_the_draft_in_the_output(
    stub: Stub, home: Path, inputs: Path, tmp_path: Path
) -> None:
    stub.script = [("replace", ("7", ""))] * 8  # every request's edit drops the number
    out = tmp_path / "out"
    code, stdout, stderr = batch(home, inputs, out, "--llm-post-edit", "llm")
    assert code == 0, stderr
    written = outputs(out)
    assert written["in/a.txt"].decode().strip() == romanized(DOCS["a.txt"])
    assert written["in/b.txt"].decode().strip() == draft(home, DOCS["b.txt"])
    assert "1 edited by the LLM" in stdout


def test_a_resumed_job_keeps_its_post_edit_setting(
    stub: Stub, home: Path, inputs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert batch(home, inputs, out, "--llm-post-edit", "llm")[0] == 0
    asked = len(stub.requests)
    code, _, stderr = batch(home, inputs, out, "--resume")
    assert code == 2 and "other settings (post_edit: 'model:llm|" in stderr
    assert len(stderr.strip().splitlines()) == 1
    code, _, stderr = batch(home, inputs, out, "--resume", "--llm-post-edit", "llm")
    assert code == 0, stderr
    assert len(stub.requests) == asked  # everything was done: nothing asked again
    # The other way round: an unedited job refuses to go on edited.
    plain = tmp_path / "plain"
    assert batch(home, inputs, plain)[0] == 0
    code, _, stderr = batch(home, inputs, plain, "--resume", "--llm-post-edit", "llm")
    assert code == 2 and "post_edit: None then" in stderr


def test_a_job_journalled_before_post_editing_resumes_plain_and_refuses_an_edit(
    home: Path, inputs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert batch(home, inputs, out)[0] == 0
    with sqlite3.connect(journal_path(out)) as db:  # as a journal of the last release
        db.execute("DELETE FROM job WHERE key = 'post_edit'")
    stored = sqlite3.connect(journal_path(out))
    assert "post_edit" not in {r[0] for r in stored.execute("SELECT key FROM job")}
    stored.close()
    assert batch(home, inputs, out, "--resume")[0] == 0
    code, _, stderr = batch(home, inputs, out, "--resume", "--llm-post-edit", "llm")
    assert code == 2 and "post_edit" in stderr


def test_a_bad_post_editor_is_refused_before_any_work(
    home: Path, inputs: Path, tmp_path: Path
) -> None:
    cases = [
        (["--llm-post-edit", "nmt"], "takes an endpoint model"),
        (["--llm-post-edit", "missing"], "unknown model 'missing'"),
        (["--model", "nmt-en-ar", "--llm-post-edit", "llm"], "does not translate en->ar"),
    ]
    for args, says in cases:
        out = tmp_path / f"out-{len(args)}-{args[-1]}"
        code, _, stderr = batch(home, inputs, out, *args)
        assert code == 2 and says in stderr and len(stderr.strip().splitlines()) == 1, stderr
        assert not out.exists() or not any(out.iterdir())


def test_the_job_settings_record_the_editor(home: Path, inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert batch(home, inputs, out, "--llm-post-edit", "llm")[0] == 0
    with sqlite3.connect(journal_path(out)) as db:
        (value,) = db.execute("SELECT value FROM job WHERE key = 'post_edit'").fetchone()
    assert json.loads(value).startswith("model:llm|model_id:m|")


@pytest.mark.timing
def test_the_chunks_of_a_pool_reach_the_endpoint_concurrently(
    stub: Stub, home: Path, inputs: Path, tmp_path: Path
) -> None:
    """A pool's 16 sentences are two chunks of 8 lines; the endpoint's concurrency (4) lets
    both be in flight at once, as for a batch over an endpoint model."""
    flying, most, lock = [0], [0], threading.Lock()

    def slow() -> tuple[str, Any]:
        with lock:
            flying[0] += 1
            most[0] = max(most[0], flying[0])
        time.sleep(0.5)
        with lock:
            flying[0] -= 1
        return ("ok", None)

    stub.next_action = slow  # type: ignore[method-assign]
    sentences = [f"وصلت {n} سفن إلى الميناء." for n in range(1, 17)]
    (inputs / "c.txt").write_text(" ".join(sentences) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, stderr = batch(home, inputs, out, "--llm-post-edit", "llm")
    assert code == 0, stderr
    assert outputs(out)["in/c.txt"].decode().strip() == romanized(" ".join(sentences))
    assert "18 edited by the LLM" in stdout
    assert most[0] >= 2
