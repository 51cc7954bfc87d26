"""The openai engine's streaming over the loopback stub: retried before the first piece,
the completions fallback, and an answer that does not map back to one line refused. The
happy path against a real server is ``test_llm_server.py``'s."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tarjama.engines.openai import Endpoint, LineStream, OpenAIEngine
from tarjama.engines.prompts import parse_lines
from tarjama.errors import EngineError

from ..llm_stub import Stub, romanized, serve_stub

AR = "قال الرئيس إن الخطة جاهزة"


@pytest.fixture
def stub() -> Iterator[Stub]:
    yield from serve_stub()


def engine(stub: Stub) -> OpenAIEngine:
    return OpenAIEngine("llm", Endpoint(url=stub.url, model="m", max_wait=5.0))


def test_a_busy_server_is_asked_again_before_the_stream_starts(stub: Stub) -> None:
    stub.script = [("status", 429)]
    assert "".join(engine(stub).translate_stream(AR, "ar", "en")) == romanized(AR)
    assert [body.get("stream") for _, body, _ in stub.requests] == [True, True]


def test_without_a_chat_template_it_streams_completions(stub: Stub) -> None:
    stub.no_chat = True
    pieces = list(engine(stub).translate_stream(AR + " اليوم", "ar", "en"))
    assert "".join(pieces) == romanized(AR + " اليوم") and len(pieces) > 1
    assert [p for p, _, _ in stub.requests] == ["/v1/chat/completions", "/v1/completions"]


def test_an_answer_that_is_not_one_line_ends_the_stream_with_an_engine_error(
    stub: Stub,
) -> None:
    stub.script = [("text", "Sure:\n1. one\n2. two")]
    with pytest.raises(EngineError, match="did not answer one line"):
        list(engine(stub).translate_stream(AR, "ar", "en"))


@pytest.mark.parametrize(
    "answer",
    ["1. The  plan is\nready", "  2) a b  \n", "The   plan\n is ready", "12", "1. x", ""],
)
def test_the_pieces_are_what_parse_lines_keeps(answer: str) -> None:
    for size in (1, 3, 50):
        lines = LineStream()
        pieces = [lines.feed(answer[k : k + size]) for k in range(0, len(answer), size)]
        joined = "".join(pieces) + lines.close()
        assert lines.answer == answer
        expected = parse_lines(answer, 1)
        if expected is not None:
            assert [joined] == expected
