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
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx

from ..document import Signature
from ..errors import ConfigError, EngineError
from .base import Hints, Hypothesis
from .llm import Chunks, answer_cap, answered, chunked
from .prompts import PROMPT_VERSION, as_prompt, check_profile, messages

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
    ) -> list[Hypothesis]:
        """One hypothesis per text; no alternatives (an LLM at temperature 0 gives one)."""
        plan = Chunks.of(texts, hints, self.endpoint.lines)

        def run(k: int) -> list[str]:
            return self._chunk(plan.chunks[k], source, target, plan.contexts[k], plan.hints(k))

        if len(plan.chunks) <= 1:
            answers = [run(k) for k in range(len(plan.chunks))]
        else:
            workers = min(self.endpoint.concurrency, len(plan.chunks))
            with ThreadPoolExecutor(workers, thread_name_prefix="tarjama-llm") as pool:
                answers = list(pool.map(run, range(len(plan.chunks))))
        return plan.hypotheses(texts, answers)

    # -- one chunk -----------------------------------------------------------------------

    def _chunk(
        self,
        texts: list[str],
        source: str,
        target: str,
        context: Sequence[str],
        hints: Sequence[Hints | None],
    ) -> list[str]:
        """The chunk's lines, asked once more when the answer's lines do not map back."""
        chat = messages(self.endpoint.profile, texts, source, target, context=context, hints=hints)
        cap = answer_cap([estimate_tokens(t) for t in texts])
        who = f"endpoint model '{self.name}'"
        (lines,) = answered(lambda _, __: [self._complete(chat, cap)], [len(texts)], who)
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
        e = self.endpoint
        payload = {"model": e.model, "temperature": 0, "max_tokens": cap, **body}
        deadline = time.monotonic() + e.max_wait
        why = ""
        for attempt in range(e.attempts):
            try:
                response = self._client.post(path, json=payload, headers=self._headers())
            except httpx.TimeoutException as exc:
                why = f"timed out after {e.timeout:g} s ({type(exc).__name__})"
            except httpx.HTTPError as exc:
                why = f"cannot reach it: {exc}"
            else:
                if response.status_code in RETRY_STATUSES:
                    why = f"HTTP {response.status_code}"
                elif response.status_code in (400, 404) and _no_chat(path, response):
                    return None
                else:
                    return self._answer(response)
            pause = min(8.0, 0.25 * 2**attempt)
            if attempt + 1 == e.attempts or time.monotonic() + pause > deadline:
                break
            time.sleep(pause)
        raise EngineError(f"endpoint '{e.url}' failed: {why}")

    def _answer(self, response: httpx.Response) -> dict[str, Any]:
        if response.status_code in (401, 403):
            env = self.endpoint.api_key_env
            where = f"the key in {env}" if env else "no key (record one with --api-key-env)"
            raise ConfigError(
                f"endpoint '{self.endpoint.url}' refused {where}: HTTP {response.status_code}"
            )
        return _json_of(response)


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
