"""Document jobs: each one has a deadline and stops when its client goes away.

A document (``/translate_file``, ``/v1/translate``, ``/v1/documents/{id}/render``) runs in a
request thread like any request, under a :class:`JobToken` that the thread's context
carries (:data:`CURRENT`). The coalesced engine sees the token and sends the document's
sentences to the model in chunks of a bounded size, in the coalescer's document lane,
checking the token before each chunk (:class:`~.coalescer.CoalescedEngine`): a small
request waits behind at most one chunk, and a stopped job queues nothing more.

The event loop watches the job: when ``--document-timeout`` seconds pass, it answers 503
naming the flag; when the client disconnects, it gives up on the answer. Either way it
stops the token, which cancels the chunk the thread is waiting for (still queued: it is
dropped) and makes the thread's next check raise, so the job stops consuming the engine
after at most the chunk being decoded.

A streamed job (:class:`StreamedJob`) is the same job whose thread tells what it does as it
goes; the loop hands that on as it comes and stops the token when the deadline passes or
the client goes away (the response's stream is then closed). An LLM's streamed answer is
cut off at its next word, not after the chunk (:class:`~.coalescer.CoalescedEngine`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from fastapi import Request

from ..errors import EngineError
from .errors import ApiError

if TYPE_CHECKING:  # the coalescer imports this module, and the state imports the coalescer
    from .state import ServerState

T = TypeVar("T")

#: Seconds a document job may take by default (``--document-timeout``): a long report of
#: 2,000 sentences decodes in about a minute on 8 cores with an OPUS-MT-size model.
DOCUMENT_TIMEOUT = 600.0
#: The status of an answer nobody reads (nginx's "client closed request"), for the log.
CLIENT_GONE = 499


class JobToken:
    """A document job's deadline and stop signal, shared by the loop and its thread."""

    def __init__(self, limit: float) -> None:
        self.limit = limit
        self.deadline = time.monotonic() + limit
        #: Why the job was stopped (None while it runs).
        self.reason: str | None = None
        self._lock = threading.Lock()
        self._waits: set[concurrent.futures.Future[Any]] = set()

    @property
    def expired_message(self) -> str:
        return f"the document did not finish within {self.limit:g} s (--document-timeout)"

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def check(self) -> None:
        """Raise if the job was stopped or its time is up (the thread's check between chunks)."""
        if self.reason is None and self.remaining() <= 0:
            self.stop(self.expired_message)
        if self.reason is not None:
            raise EngineError(self.reason)

    def stop(self, reason: str) -> None:
        """Stop the job: what its thread waits for is cancelled, and its next check raises."""
        with self._lock:
            if self.reason is None:
                self.reason = reason
            waits, self._waits = list(self._waits), set()
        for wait in waits:
            wait.cancel()  # a chunk still queued is skipped by the coalescer

    def watch(self, wait: concurrent.futures.Future[Any]) -> None:
        """Cancel ``wait`` when the job stops (at once if it already has)."""
        with self._lock:
            if self.reason is None:
                self._waits.add(wait)
                return
        wait.cancel()

    def unwatch(self, wait: concurrent.futures.Future[Any]) -> None:
        with self._lock:
            self._waits.discard(wait)


#: The document job the calling thread works for (None: an ordinary request).
CURRENT: contextvars.ContextVar[JobToken | None] = contextvars.ContextVar(
    "tarjama_document_job", default=None
)


async def run_document(state: ServerState, request: Request, work: Callable[[], T]) -> T:
    """Run ``work`` in a request thread as a document job; answer 503 when its deadline
    passes and stop it when its client disconnects (see the module's docstring)."""
    token = JobToken(state.settings.document_timeout)
    context = contextvars.copy_context()
    context.run(CURRENT.set, token)
    loop = asyncio.get_running_loop()
    job = loop.run_in_executor(state.workers, context.run, work)
    gone = asyncio.ensure_future(_disconnect(request))
    either: set[asyncio.Future[Any]] = {job, gone}
    try:
        done, _ = await asyncio.wait(
            either, timeout=max(token.remaining(), 0), return_when=asyncio.FIRST_COMPLETED
        )
    finally:
        gone.cancel()
    if job in done:
        return job.result()
    job.add_done_callback(_forget)  # it ends at its next check; nobody reads its result
    if gone in done:
        token.stop("the client went away")
        raise ApiError(CLIENT_GONE, "Invalid request: the client went away")
    token.stop(token.expired_message)
    raise ApiError(503, token.expired_message)


async def _disconnect(request: Request) -> None:
    """Return when the client disconnects (its body has been read: nothing else arrives)."""
    while (await request.receive())["type"] != "http.disconnect":
        await asyncio.sleep(0.05)  # a server that answers at once must not spin the loop


def _forget(job: asyncio.Future[Any]) -> None:
    if not job.cancelled():
        job.exception()  # retrieved, so that asyncio does not log it as lost


class StreamedJob(Generic[T]):
    """A document job whose ``work(tell)`` calls ``tell(item)`` (in its thread) as it goes
    and returns its result; :meth:`next` gives what it told, in order, then its end.
    Started on the running loop, under the server's ``--document-timeout``."""

    def __init__(self, state: ServerState, work: Callable[[Callable[[Any], None]], T]) -> None:
        self.token = JobToken(state.settings.document_timeout)
        self._told: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        loop = asyncio.get_running_loop()

        def tell(kind: str, value: Any) -> None:
            loop.call_soon_threadsafe(self._told.put_nowait, (kind, value))

        def run() -> None:
            try:
                result = work(lambda item: tell("item", item))
            except BaseException as exc:  # told to the loop, which answers it
                tell("error", exc)
            else:
                tell("result", result)

        context = contextvars.copy_context()
        context.run(CURRENT.set, self.token)
        self._job = loop.run_in_executor(state.workers, context.run, run)
        self._job.add_done_callback(_forget)

    async def next(self, wait: float) -> tuple[str, Any]:
        """What the job told next: ``("item", x)``, its end (``("result", r)`` or
        ``("error", exc)``), ``("expired", message)`` once the deadline has passed (the job
        is stopped), or ``("waiting", None)`` after ``wait`` seconds of nothing."""
        left = self.token.remaining()
        try:
            return await asyncio.wait_for(self._told.get(), max(min(wait, left), 0))
        except asyncio.TimeoutError:
            if self.token.remaining() > 0:
                return "waiting", None
            self.token.stop(self.token.expired_message)
            return "expired", self.token.expired_message

    def stop(self, reason: str) -> None:
        """Stop the job (its client went away): it queues and streams nothing more."""
        self.token.stop(reason)
