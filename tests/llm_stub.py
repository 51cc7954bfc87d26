"""An OpenAI-compatible stub server on loopback, for the LLM engine's tests.

It "translates" each numbered line between ``<source>`` and ``</source>`` by a fixed
transliteration (:func:`romanized`), so a test knows the answer to expect and can see
that an instruction inside an article came back as its transliteration, not obeyed.
``script`` holds what the next requests get instead (a status, a pause, broken JSON, a
refusal, a preamble, a line short, a wait for a test's event); ``no_chat`` makes it a server
without a chat template.
Asked to stream, it answers with server-sent events, a word a time.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_SOURCE = re.compile(r"<source>\n(.*?)\n</source>", re.DOTALL)


def romanized(text: str) -> str:
    """The stub's deterministic 'translation': each Arabic letter as a Latin letter."""
    return "".join(
        chr(ord("a") + (ord(c) - 0x600) % 26) if "\u0600" <= c <= "\u06ff" else c for c in text
    )


@dataclass
class Stub:
    url: str = ""
    script: list[tuple[str, Any]] = field(default_factory=list)
    no_chat: bool = False
    #: Seconds per word of an answer, as a model's decoding rate: streamed between the
    #: words, or all of it before a whole answer.
    word_delay: float = 0.0
    requests: list[tuple[str, dict[str, Any], dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_action(self) -> tuple[str, Any]:
        with self.lock:
            return self.script.pop(0) if self.script else ("ok", None)

    def shaped(self, kind: str, value: Any, answer: str) -> str:
        """The answer as the script's action ``kind`` makes it (after any pause it asks)."""
        if kind == "sleep":
            time.sleep(value)
        elif kind == "wait":  # until the test sets its threading.Event (10 s at most)
            value.wait(10)
        elif kind == "text":
            return str(value)
        elif kind == "prefix":
            return str(value) + answer
        elif kind == "drop_line":
            return "\n".join(answer.splitlines()[:-1])
        elif kind == "replace":
            return answer.replace(*value)
        return answer

    def answer(self, prompt: str) -> str:
        found = _SOURCE.search(prompt)
        lines = found.group(1).splitlines() if found else []
        out = []
        for line in lines:
            number, _, text = line.partition(". ")
            out.append(f"{number}. {romanized(text)}")
        return "\n".join(out)


def _prompt_of(path: str, body: dict[str, Any]) -> str:
    if path.endswith("/completions") and "prompt" in body:
        return str(body["prompt"])
    parts = []
    for message in body.get("messages", []):
        content = message["content"]
        if isinstance(content, list):
            content = "\n".join(item["text"] for item in content)
        parts.append(content)
    return "\n".join(parts)


def _handler(stub: Stub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _send(self, status: int, text: str) -> None:
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length))
            chat = self.path.endswith("/chat/completions")
            with stub.lock:
                stub.requests.append((self.path, body, dict(self.headers)))
            if chat and stub.no_chat:
                self._send(400, json.dumps({"error": "this model has no chat template"}))
                return
            kind, value = stub.next_action()
            answer = stub.answer(_prompt_of(self.path, body))
            if kind == "status":
                self._send(value, json.dumps({"error": "busy"}))
                return
            if kind == "raw":
                self._send(200, value)
                return
            answer = stub.shaped(kind, value, answer)
            if body.get("stream"):
                self._stream(answer, chat)
                return
            time.sleep(stub.word_delay * len(answer.split()))
            choice = (
                {"message": {"role": "assistant", "content": answer}} if chat else {"text": answer}
            )
            self._send(200, json.dumps({"choices": [choice]}))

        def _stream(self, answer: str, chat: bool) -> None:
            """The answer as server-sent events, a word a time, as vLLM streams it."""
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for piece in re.findall(r"\s*\S+", answer):
                time.sleep(stub.word_delay)
                delta = {"delta": {"content": piece}} if chat else {"text": piece}
                event = json.dumps({"choices": [delta]})
                self.wfile.write(f"data: {event}\n\n".encode())
            self.wfile.write(b"data: [DONE]\n\n")

    return Handler


def serve_stub() -> Iterator[Stub]:
    stub = Stub()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stub))
    server.daemon_threads = True
    stub.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
