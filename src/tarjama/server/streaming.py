"""``POST /v1/translate`` with ``"stream": true``: the pipeline's events as server-sent events.

The route reads and checks the request as always (a bad one is a 4xx with ``{"error"}``),
then runs the document as a streamed job (:class:`~.jobs.StreamedJob`): its deadline, a
client that goes away stopping it. Nothing is sent until the job has its translator (the
memory opened, the glossary read), so those failures are 4xx too. Then, as the pipeline
tells them (:mod:`tarjama.pipeline.stream`):

- ``draft``: ``{"paragraph", "segment", "text"}``, a segment's translation so far as an
  LLM writes it, the whole of it each time (a later one replaces it), unchecked;
- ``segment``: the segment as the response will have it (``paragraph`` and the fields of
  a segment in ``paragraphs[].segments[]``: translation, origin, issues...), once
  translated and checked, in the order segments are ready;
- ``done``: the body the same request without ``stream`` answers, and the end;
- ``error``: ``{"error", "status"}``, what failed after the stream began (the status the
  request would have been answered with), and the end.

A comment line every :data:`KEEP_ALIVE` seconds of silence keeps proxies from closing a
stream while a slow model thinks. This module frames; the pipeline orchestrates.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi.responses import StreamingResponse

from ..pipeline.stream import Draft, Event
from .errors import ApiError, answer_for
from .jobs import StreamedJob
from .state import ServerState

#: Seconds of silence after which a comment is sent.
KEEP_ALIVE = 15.0
#: No cache, and no buffering by a proxy (nginx reads X-Accel-Buffering).
HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
#: What a streamed job tells once its translator is made: the answer may start.
READY = "ready"

Tell = Callable[[Any], None]


def frame(event: str, data: dict[str, Any]) -> bytes:
    """One server-sent event; its JSON is one line."""
    text = json.dumps(data, ensure_ascii=False)
    try:
        body = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate a client sent: escaped, still the same JSON
        body = json.dumps(data).encode("ascii")
    return b"event: " + event.encode("ascii") + b"\ndata: " + body + b"\n\n"


def frames_of(event: Event) -> list[bytes]:
    if isinstance(event, Draft):
        data = {"paragraph": event.paragraph, "segment": event.segment, "text": event.text}
        return [frame("draft", data)]
    return [frame("segment", {"paragraph": s.paragraph, **s.to_json()}) for s in event.segments]


async def streamed(state: ServerState, work: Callable[[Tell], dict[str, Any]]) -> StreamingResponse:
    """Answer ``work(tell)`` as server-sent events: ``tell(READY)`` once it may start (an
    error before it is answered as usual), then the pipeline's events; it returns the
    ``done`` body."""
    job: StreamedJob[dict[str, Any]] = StreamedJob(state, work)
    kind, value = await job.next(KEEP_ALIVE)
    while kind == "waiting":
        kind, value = await job.next(KEEP_ALIVE)
    if kind == "error":
        raise value
    if kind == "expired":
        raise ApiError(503, value)
    first = [] if value == READY else [(kind, value)]
    return StreamingResponse(_events(job, first), media_type="text/event-stream", headers=HEADERS)


async def _events(
    job: StreamedJob[dict[str, Any]], first: list[tuple[str, Any]]
) -> AsyncIterator[bytes]:
    ended = False
    try:
        while True:
            kind, value = first.pop() if first else await job.next(KEEP_ALIVE)
            if kind == "waiting":
                yield b": keep-alive\n\n"
            elif kind == "item":
                for data in frames_of(value):
                    yield data
            else:
                ended = True
                yield _last(kind, value)
                return
    finally:
        if not ended:  # the client went away (the response's stream was closed)
            job.stop("the client went away")


def _last(kind: str, value: Any) -> bytes:
    if kind == "result":
        return frame("done", value)
    status, message = (503, value) if kind == "expired" else answer_for(value)
    return frame("error", {"error": message, "status": status})
