"""An engine over any OpenAI-compatible server (vLLM, llama.cpp's ``llama-server``, Ollama,
LM Studio, SGLang): chat completions at temperature 0, the plain completions endpoint when
the server has no chat template, output capped by the source's length.

A batch is cut into chunks of consecutive sentences (each with the chunk before it as
context), sent concurrently up to ``concurrency``; a chunk's answer must give back its
numbered lines (:mod:`.prompts`), else it is asked again once and then fails with
EngineError, for the guard (:mod:`tarjama.pipeline.guard`) to fall back on. 429 and 5xx
answers and timeouts are retried with backoff within ``max_wait`` seconds in all. The API
key is read from the environment variable the manifest names, when a request is made;
it is never stored. httpx's errors become EngineError here, the one place that calls it.

It streams (:class:`~tarjama.engines.base.Streamer`): ``translate_stream`` asks for one
sentence with ``"stream": true`` and yields the answer's text as the server's
server-sent events bring it, its line number taken off (:class:`LineStream`). A batch
given ``progress=`` (:class:`~tarjama.engines.base.Reporter`) sends the same requests
streamed, telling each line's draft as it arrives and each text's final hypothesis as soon
as its request's answer maps back.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from ..document import Signature
from ..errors import ConfigError, EngineError
from .base import Hints, Hypothesis, Progress
from .llm import Chunks, LineDrafts, answer_cap, answered, chunked
from .prompts import NUMBERED, PROMPT_VERSION, as_prompt, check_profile, messages, parse_lines

__all__ = ["Endpoint", "OpenAIEngine", "chunked", "estimate_tokens"]

#: Statuses worth asking again: the server is busy or broke for a moment.
RETRY_STATUSES = frozenset({408, 409, 425, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Endpoint:
    """Where and how to reach the server: what a manifest records (never a key)."""

    url: str
    model: str
    profile: str = "generic"
    api_key_env: str | None = None
    concurrency: int = 4
    #: Seconds one request may take.
    timeout: float = 120.0
    #: Attempts of one request (429, 5xx, timeouts), and the seconds all of them may take.
    attempts: int = 4
    max_wait: float = 300.0
    #: Sentences per request.
    lines: int = 8

    def __post_init__(self) -> None:
        check_profile(self.profile)
        if not self.url.startswith(("http://", "https://")):
            raise ConfigError(f"an endpoint's URL starts with http:// or https://: {self.url}")
        if not 1 <= self.concurrency <= 256:
            raise ConfigError(f"concurrency must be between 1 and 256, not {self.concurrency}")
        if self.attempts < 1 or self.lines < 1 or self.timeout <= 0 or self.max_wait <= 0:
            raise ConfigError("an endpoint's attempts, lines, timeout and max_wait are positive")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Endpoint:
        try:
            return cls(
                url=str(data["url"]),
                model=str(data["model"]),
                profile=str(data.get("profile", "generic")),
                api_key_env=str(data["api_key_env"]) if data.get("api_key_env") else None,
                concurrency=int(data.get("concurrency", 4)),
                timeout=float(data.get("timeout", 120.0)),
                attempts=int(data.get("attempts", 4)),
                max_wait=float(data.get("max_wait", 300.0)),
                lines=int(data.get("lines", 8)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"invalid endpoint settings: {exc}") from exc


def estimate_tokens(text: str) -> int:
    """A tokenizer-free estimate: about 3 characters a token (Arabic and English alike,
    erring long), so caps are generous rather than cutting an answer."""
    return (len(text) + 2) // 3


class OpenAIEngine:
    """Translation by an OpenAI-compatible server (see the module's doc)."""

    def __init__(
        self,
        name: str,
        endpoint: Endpoint,
        *,
        pairs: Sequence[tuple[str, str]] = (("ar", "en"),),
        max_input_tokens: int = 512,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.name = name
        self.pairs = list(pairs)
        self.max_input_tokens = max_input_tokens
        self.endpoint = endpoint
        self._client = httpx.Client(
            base_url=endpoint.url.rstrip("/"), timeout=endpoint.timeout, transport=transport
        )
        self._chat = True  # until the server says it has no chat template
        self._lock = threading.Lock()

    @property
    def hinted(self) -> bool:
        return True

    @property
    def drafts(self) -> bool:
        return True

    @property
    def signature(self) -> Signature:
        e = self.endpoint
        return Signature.of(
            self.name,
            model_id=e.model,
            temperature=0,
            profile=e.profile,
            prompt=PROMPT_VERSION,
            lines=e.lines,
        )

    def count_tokens(self, text: str, source: str) -> int:
        return estimate_tokens(text)

    def close(self) -> None:
        self._client.close()

    def translate_batch(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        *,
        num_alternatives: int = 0,
        hints: Sequence[Hints | None] | None = None,
        progress: Progress | None = None,
    ) -> list[Hypothesis]:
        """One hypothesis per text; no alternatives (an LLM at temperature 0 gives one).
        With ``progress``, each request streams: its lines are told as drafts as they
        arrive, and as final once its answer maps back (the same requests, the same
        answers)."""
        plan = Chunks.of(texts, hints, self.endpoint.lines)
        told = plan.told(texts, progress)

        def run(k: int) -> list[str]:
            chunk = plan.chunks[k]
            drafts = told.drafts(k)
            lines = self._chunk(chunk, source, target, plan.contexts[k], plan.hints(k), drafts)
            told.final(k, lines)
            return lines

        if len(plan.chunks) <= 1:
            answers = [run(k) for k in range(len(plan.chunks))]
        else:
            workers = min(self.endpoint.concurrency, len(plan.chunks))
            with ThreadPoolExecutor(workers, thread_name_prefix="tarjama-llm") as pool:
                answers = list(pool.map(run, range(len(plan.chunks))))
        return plan.hypotheses(texts, answers)

    def translate_stream(self, text: str, source: str, target: str) -> Iterator[str]:
        """One sentence's translation in pieces as the server decodes it (its request is
        the one-line chunk ``translate_batch`` would send alone, streamed). The pieces
        joined are the line ``translate_batch`` maps back; an answer that does not map
        back to one line ends the stream with EngineError."""
        if not text.strip():
            return
        chat = messages(self.endpoint.profile, [text], source, target)
        cap = 64 + 3 * (estimate_tokens(text) + 4)
        lines = LineStream()
        for piece in self._stream(chat, cap):
            if out := lines.feed(piece):
                yield out
        if out := lines.close():
            yield out
        if parse_lines(lines.answer, 1) != [lines.sent]:
            raise EngineError(f"endpoint model '{self.name}' did not answer one line")

    def _stream(self, chat: list[dict[str, Any]], cap: int) -> Iterator[str]:
        """The answer's text as the server streams it (server-sent events)."""
        if self._chat:
            with self._open("/chat/completions", {"messages": chat, "stream": True}, cap) as r:
                if r is not None:
                    yield from _events(r, "chat")
                    return
            with self._lock:
                self._chat = False
        with self._open("/completions", {"prompt": as_prompt(chat), "stream": True}, cap) as r:
            if r is None:
                raise EngineError(f"endpoint '{self.endpoint.url}' has no completions endpoint")
            yield from _events(r, "text")

    @contextmanager
    def _open(self, path: str, body: dict[str, Any], cap: int) -> Iterator[httpx.Response | None]:
        """A streamed answer whose status is 200 (retried as :meth:`_post` retries), or
        None when the server says it has no chat template."""
        why = ""
        for _ in self._tries():
            try:
                with self._client.stream(
                    "POST", path, json=self._payload(body, cap), headers=self._headers()
                ) as response:
                    if response.status_code == 200:
                        yield response
                        return
                    if response.status_code not in RETRY_STATUSES:
                        response.read()
                        if response.status_code in (400, 404) and _no_chat(path, response):
                            yield None
                            return
                        self._answer(response)  # raises, saying why
                    why = f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                why = self._failure(exc)
        raise EngineError(f"endpoint '{self.endpoint.url}' failed: {why}")

    # -- one chunk -----------------------------------------------------------------------

    def _chunk(
        self,
        texts: list[str],
        source: str,
        target: str,
        context: Sequence[str],
        hints: Sequence[Hints | None],
        drafts: LineDrafts | None = None,
    ) -> list[str]:
        """The chunk's lines, asked once more when the answer's lines do not map back;
        streamed into ``drafts`` when given."""
        chat = messages(self.endpoint.profile, texts, source, target, context=context, hints=hints)
        cap = answer_cap([estimate_tokens(t) for t in texts])
        who = f"endpoint model '{self.name}'"

        def ask(_: list[int], __: int) -> list[str]:
            if drafts is None:
                return [self._complete(chat, cap)]
            drafts.restart()
            for piece in self._stream(chat, cap):
                drafts.feed(piece)
            return [drafts.answer]

        (lines,) = answered(ask, [len(texts)], who)
        return lines

    def _complete(self, chat: list[dict[str, Any]], cap: int) -> str:
        if self._chat:
            body: dict[str, Any] = {"messages": chat}
            answer = self._post("/chat/completions", body, cap)
            if answer is not None:
                return _chat_text(answer)
            with self._lock:
                self._chat = False
        answer = self._post("/completions", {"prompt": as_prompt(chat)}, cap)
        if answer is None:
            raise EngineError(f"endpoint '{self.endpoint.url}' has no completions endpoint")
        return _completion_text(answer)

    def _headers(self) -> dict[str, str]:
        env = self.endpoint.api_key_env
        if not env:
            return {}
        key = os.environ.get(env)
        if not key:
            raise ConfigError(f"the endpoint's API key variable {env} is not set")
        return {"Authorization": f"Bearer {key}"}

    def _post(self, path: str, body: dict[str, Any], cap: int) -> dict[str, Any] | None:
        """The server's JSON answer; None when it says it has no chat template (or no such
        endpoint). Retries as the module's doc says."""
        why = ""
        for _ in self._tries():
            try:
                response = self._client.post(
                    path, json=self._payload(body, cap), headers=self._headers()
                )
            except httpx.HTTPError as exc:
                why = self._failure(exc)
            else:
                if response.status_code in RETRY_STATUSES:
                    why = f"HTTP {response.status_code}"
                elif response.status_code in (400, 404) and _no_chat(path, response):
                    return None
                else:
                    return self._answer(response)
        raise EngineError(f"endpoint '{self.endpoint.url}' failed: {why}")

    def _payload(self, body: dict[str, Any], cap: int) -> dict[str, Any]:
        return {"model": self.endpoint.model, "temperature": 0, "max_tokens": cap, **body}

    def _tries(self) -> Iterator[int]:
        """The attempts of one request, with the backoff slept between them: at most
        ``attempts``, none that would start after ``max_wait`` seconds."""
        e = self.endpoint
        deadline = time.monotonic() + e.max_wait
        for attempt in range(e.attempts):
            if attempt:
                pause = min(8.0, 0.25 * 2 ** (attempt - 1))
                if time.monotonic() + pause > deadline:
                    return
                time.sleep(pause)
            yield attempt

    def _failure(self, exc: httpx.HTTPError) -> str:
        if isinstance(exc, httpx.TimeoutException):
            return f"timed out after {self.endpoint.timeout:g} s ({type(exc).__name__})"
        return f"cannot reach it: {exc}"

    def _answer(self, response: httpx.Response) -> dict[str, Any]:
        if response.status_code in (401, 403):
            env = self.endpoint.api_key_env
            where = f"the key in {env}" if env else "no key (record one with --api-key-env)"
            raise ConfigError(
                f"endpoint '{self.endpoint.url}' refused {where}: HTTP {response.status_code}"
            )
        return _json_of(response)


class LineStream:
    """A one-line answer's pieces as they arrive, with what :func:`.prompts.parse_lines`
    takes off it: the leading line number ("1. "), the space around the line, and the
    lines after it (of a numbered answer); an unnumbered answer's runs of space become one.
    ``answer`` is everything fed, ``sent`` everything given out."""

    #: Characters read before deciding whether the answer is numbered.
    LOOK = 8

    def __init__(self) -> None:
        self.answer = ""
        self.sent = ""
        self._numbered: bool | None = None
        self._space = ""
        self._done = False

    def feed(self, piece: str) -> str:
        self.answer += piece
        if self._numbered is None:
            head = self.answer.lstrip()
            if len(head) < self.LOOK and "\n" not in head:
                return ""
            return self._decide()
        return self._take(piece)

    def close(self) -> str:
        return self._decide() if self._numbered is None else ""

    def _decide(self) -> str:
        found = NUMBERED.match(self.answer.split("\n", 1)[0])
        self._numbered = found is not None
        return self._take(self.answer[found.start(2) :] if found else self.answer)

    def _take(self, text: str) -> str:
        out: list[str] = []
        for char in text:
            if self._done or (char == "\n" and self._numbered and self.sent + "".join(out)):
                self._done = True
                break
            if char.isspace():
                self._space += char
                continue
            if self._space and (self.sent or out):
                out.append(self._space if self._numbered else " ")
            self._space = ""
            out.append(char)
        given = "".join(out)
        self.sent += given
        return given


def _events(response: httpx.Response, kind: str) -> Iterator[str]:
    """The text of each server-sent event of a streamed answer, until ``[DONE]``."""
    try:
        for line in response.iter_lines():
            if not line.startswith("data:"):
                continue
            data = line[5:].strip()
            if data == "[DONE]":
                return
            try:
                event = json.loads(data)
            except json.JSONDecodeError as exc:
                raise EngineError(f"endpoint streamed malformed JSON: {data[:120]!r}") from exc
            choices = event.get("choices") if isinstance(event, dict) else None
            if not choices:
                continue
            choice = choices[0]
            where = choice.get("delta", {}) if kind == "chat" else choice
            piece = where.get("content") if kind == "chat" else where.get("text")
            if isinstance(piece, str):
                yield piece
    except httpx.HTTPError as exc:
        raise EngineError(f"endpoint's stream broke off: {exc}") from exc


def _no_chat(path: str, response: httpx.Response) -> bool:
    """Whether a 400/404 to the chat endpoint says the server cannot chat."""
    if path != "/chat/completions":
        return False
    text = response.text.lower()
    return response.status_code == 404 or "chat template" in text or "chat_template" in text


def _json_of(response: httpx.Response) -> dict[str, Any]:
    if response.status_code != 200:
        raise EngineError(f"endpoint answered HTTP {response.status_code}: {response.text[:200]}")
    try:
        data = response.json()
    except (ValueError, json.JSONDecodeError) as exc:
        raise EngineError(f"endpoint answered malformed JSON: {response.text[:120]!r}") from exc
    if not isinstance(data, dict):
        raise EngineError("endpoint answered JSON that is not an object")
    return data


def _first_choice(data: dict[str, Any]) -> dict[str, Any]:
    choices = data.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise EngineError("endpoint answered no choices")
    choice: dict[str, Any] = choices[0]
    return choice


def _chat_text(data: dict[str, Any]) -> str:
    message = _first_choice(data).get("message")
    content = message.get("content") if isinstance(message, dict) else None
    if not isinstance(content, str):
        raise EngineError("endpoint answered a chat choice without text content")
    return content


def _completion_text(data: dict[str, Any]) -> str:
    text = _first_choice(data).get("text")
    if not isinstance(text, str):
        raise EngineError("endpoint answered a completion choice without text")
    return text
