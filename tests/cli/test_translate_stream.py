"""`tarjama translate --stream` over the loopback OpenAI-compatible stub: stdout is the
checked translation, paragraph by paragraph as each is ready; a terminal's stderr shows the
drafts, any other stderr none."""

from __future__ import annotations

import io
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tarjama.cli import main
from tarjama.workspace import Workspace

from ..commands import tarjama_text
from ..llm_stub import Stub, romanized, serve_stub

FIRST = "قال الرئيس إن الخطة جاهزة. وأضاف أن الميناء سيفتح غدا."
SECOND = "وقال الوزير إن العمل سيبدأ."
ARTICLE = f"\n{FIRST}\n\n\n{SECOND}"


@pytest.fixture
def stub() -> Iterator[Stub]:
    yield from serve_stub()


@pytest.fixture
def endpoint(stub: Stub, home: Path) -> Path:
    """An endpoint model "llm" in the home, one request at a time (a paragraph each)."""
    Workspace.open(home).add_endpoint("llm", url=stub.url, model="m", concurrency=1)
    return home


def test_stdout_is_the_translation_without_stream_and_a_pipe_gets_no_drafts(
    endpoint: Path,
) -> None:
    streamed = tarjama_text("translate", "-m", "llm", "--stream", home=endpoint, stdin=ARTICLE)
    whole = tarjama_text("translate", "-m", "llm", home=endpoint, stdin=ARTICLE)
    assert streamed.returncode == whole.returncode == 0, streamed.stderr
    assert streamed.stdout == whole.stdout
    assert streamed.stdout == f"\n{romanized(FIRST)}\n\n\n{romanized(SECOND)}\n"
    assert streamed.stderr == whole.stderr  # the summary only: no drafts in a pipe


class Watched(io.StringIO):
    """stdout that notes, at each write, whether the test's event was set yet."""

    def __init__(self, released: threading.Event) -> None:
        super().__init__()
        self.released = released
        self.writes: list[tuple[str, bool]] = []

    def write(self, text: str) -> int:
        self.writes.append((text, self.released.is_set()))
        if romanized(FIRST) in text:
            self.released.set()  # the second paragraph's answer may now come
        return super().write(text)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_paragraph_is_written_before_the_next_is_translated_and_a_terminal_sees_drafts(
    stub: Stub, endpoint: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    released = threading.Event()
    stub.script = [("ok", None), ("wait", released)]  # the second paragraph waits for it
    out, err = Watched(released), Terminal()
    monkeypatch.setenv("TARJAMA_HOME", str(endpoint))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARTICLE.encode())))
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    assert main(["translate", "-m", "llm", "--stream"]) == 0
    first = next(n for n, (text, _) in enumerate(out.writes) if romanized(FIRST) in text)
    # Written alone, while the second paragraph's answer was still held back.
    assert out.writes[first][1] is False and romanized(SECOND) not in out.writes[first][0]
    assert out.getvalue() == f"\n{romanized(FIRST)}\n\n\n{romanized(SECOND)}\n"
    shown = err.getvalue()
    words = romanized(SECOND).split()
    assert f"… 2.1 {words[0]}\r" in shown  # a draft, rewritten in place as words come
    assert f"… 2.1 {' '.join(words)}" in shown and "\x1b[K" in shown


def test_stream_takes_plain_text_only(endpoint: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(f"<p>{FIRST}</p>", encoding="utf-8")
    for args in (["--format", "json"], [str(page)]):
        ran = tarjama_text("translate", "-m", "llm", "--stream", *args, home=endpoint, stdin=FIRST)
        assert ran.returncode == 2 and ran.stdout == ""
        assert ran.stderr.count("\n") == 1 and "--stream" in ran.stderr
