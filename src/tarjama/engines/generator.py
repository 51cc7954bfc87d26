"""An LLM in-process: a decoder-only model (Llama, Mistral, Qwen3, Gemma 3, TranslateGemma)
converted to CTranslate2 and run by its ``Generator``, with the same prompts, chunks and
mapping back as the endpoint engine (:mod:`.prompts`, :mod:`.llm`).

- Greedy (temperature 0); each answer capped by its source's length (:func:`.llm.answer_cap`).
- The prompt's fixed opening (the template's start, the profile's instruction, up to the
  first line that changes) is CTranslate2's ``static_prompt``: its state is computed once
  and kept, and each request forwards only the rest.
- CTranslate2 4.8 computes a prompt longer than a model's sliding window wrongly when it
  forwards it at once (Gemma 3's local layers: see docs/llm.md). Such a prompt is decoded
  step by step instead (``include_prompt_in_result``: one token a step, as the answer is).
- A chunk whose answer does not map back to its lines is asked again line by line (asking
  the same prompt again would give the same answer); then EngineError, for the guard.
- ``translate_stream`` gives one text's answer piece by piece (``generate_tokens``); a batch
  given ``progress=`` tells each line's draft as its chunk's tokens come (CTranslate2's
  step callback) and each text final once decoded and mapped back.

``generator.json`` in the model directory holds the prompt profile and the sliding window,
written when the model was converted (:mod:`tarjama.store.convert`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import ctranslate2

from ..document import Signature
from ..errors import EngineError, Stopped, UnsupportedPair
from ..store.llm import GeneratorSettings
from .base import Hints, Hypothesis, Progress
from .chat import ChatFormat
from .ct2 import open_model, resolve_device
from .llm import NUMBER_SO_FAR, Chunks, LineDrafts, answer_cap, answered
from .prompts import PROMPT_VERSION, check_profile, messages, parse_lines

#: Sequences per call into CTranslate2: enough to keep the cores busy, and bounded memory.
MAX_BATCH = 32

#: One request's prompt: the static opening (None: the request has none) and the rest.
Prompt = tuple[list[str] | None, list[str]]


class GeneratorEngine:
    """Translation by a decoder-only model in-process (see the module's doc)."""

    def __init__(
        self,
        model_dir: str | Path,
        *,
        name: str,
        pairs: Sequence[tuple[str, str]] = (("ar", "en"), ("en", "ar")),
        max_input_tokens: int = 512,
        model_id: str = "",
        settings: GeneratorSettings | None = None,
        device: str = "auto",
        compute_type: str | None = None,
        threads: int | None = None,
    ) -> None:
        directory = Path(model_dir)
        self.name = name
        self.pairs = list(pairs)
        self.max_input_tokens = max_input_tokens
        self.settings = settings or GeneratorSettings.read(directory)
        check_profile(self.settings.profile)
        self.device = resolve_device(device)
        self.compute_type = compute_type or ("int8" if self.device == "cpu" else "int8_float16")
        self.chat = ChatFormat(directory)
        self._model_id = model_id
        self.generator = open_model(
            ctranslate2.Generator, name, directory, self.device, self.compute_type, threads
        )
        self.end_tokens = self.chat.end_tokens()
        self._static: dict[tuple[str, str], tuple[str, list[str]]] = {}
        self._lock = threading.Lock()

    @property
    def hinted(self) -> bool:
        return True

    @property
    def drafts(self) -> bool:
        return True

    @property
    def signature(self) -> Signature:
        s = self.settings
        return Signature.of(
            self.name,
            model_id=self._model_id,
            temperature=0,
            profile=s.profile,
            prompt=PROMPT_VERSION,
            lines=s.lines,
            context=s.before,
            compute_type=self.compute_type,
        )

    def count_tokens(self, text: str, source: str) -> int:
        return self.chat.count([text])[0]

    # -- prompts -----------------------------------------------------------------------

    def static_text(self, source: str, target: str) -> tuple[str, list[str]]:
        """The opening every prompt of the pair shares, to its last line break, and its
        tokens: what two different requests render alike."""
        with self._lock:
            found = self._static.get((source, target))
        if found is not None:
            return found
        profile = self.settings.profile
        one = self.chat.render(messages(profile, ["a"], source, target))
        two = self.chat.render(messages(profile, ["b", "c"], source, target, context=["d"]))
        k = 0
        while k < min(len(one), len(two)) and one[k] == two[k]:
            k += 1
        text = one[: one.rfind("\n", 0, k) + 1]
        found = (text, self.chat.tokens(text) if text else [])
        with self._lock:
            self._static[(source, target)] = found
        return found

    def prompt(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        *,
        context: Sequence[str] = (),
        hints: Sequence[Hints | None] = (),
    ) -> Prompt:
        """One request's tokens: the static opening and the rest."""
        chat = messages(self.settings.profile, texts, source, target, context=context, hints=hints)
        rendered = self.chat.render(chat)
        static, tokens = self.static_text(source, target)
        if static and rendered.startswith(static):
            return tokens, self.chat.tokens(rendered[len(static) :])
        return None, self.chat.tokens(rendered)

    def fits(self, prompt: Prompt) -> bool:
        """Whether a prompt may be forwarded at once (within the sliding window)."""
        window = self.settings.window
        return not window or len(prompt[0] or []) + len(prompt[1]) <= window

    # -- translating -------------------------------------------------------------------

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
        """One hypothesis per text; no alternatives (greedy decoding gives one)."""
        if (source, target) not in self.pairs:
            raise UnsupportedPair(self.name, source, target, self.pairs)
        s = self.settings
        plan = Chunks.of(texts, hints, s.lines, s.before)
        told = plan.told(texts, progress)

        first: dict[int, str] = {}

        def ask(ks: list[int], attempt: int) -> list[str]:
            if attempt == 0:
                requests = [
                    (plan.chunks[k], plan.contexts[k], plan.hints(k), source, target) for k in ks
                ]
                drafts = [told.drafts(k) for k in ks]
                first.update(zip(ks, self._answers(requests, drafts), strict=True))
                return [first[k] for k in ks]
            # A one-line chunk asked alone is the same prompt: its answer would not change.
            return [
                first[k]
                if len(plan.chunks[k]) == 1
                else self._line_by_line(plan, k, source, target)
                for k in ks
            ]

        who = f"model '{self.name}'"
        answers = answered(ask, [len(c) for c in plan.chunks], who)
        for k, lines in enumerate(answers):
            told.final(k, lines)
        return plan.hypotheses(texts, answers)

    def _line_by_line(self, plan: Chunks, k: int, source: str, target: str) -> str:
        """Chunk ``k`` asked again one line a request, its answers written as numbered lines."""
        chunk, hints = plan.chunks[k], plan.hints(k)
        requests = [
            ([text], plan.contexts[k], [hint], source, target)
            for text, hint in zip(chunk, hints, strict=True)
        ]
        lines = [parse_lines(a, 1) for a in self._answers(requests)]
        return "\n".join(f"{n}. {line[0]}" for n, line in enumerate(lines, 1) if line)

    def _answers(
        self,
        requests: Sequence[tuple[Sequence[str], Sequence[str], Sequence[Hints | None], str, str]],
        drafts: Sequence[LineDrafts | None] = (),
    ) -> list[str]:
        """The answer text of each request (lines, context, hints, source, target), told
        to its ``drafts`` (when given) as its tokens come."""
        prompts = [
            self.prompt(lines, source, target, context=context, hints=hints)
            for lines, context, hints, source, target in requests
        ]
        caps = [answer_cap(self.chat.count(list(r[0]))) for r in requests]
        said: dict[int, list[int]] = {}

        def step(k: int, token: str, token_id: int) -> None:
            draft = drafts[k]
            ids = said.setdefault(k, [])
            if draft is None or token in self.end_tokens or len(ids) >= caps[k]:
                return
            ids.append(token_id)
            text = self.chat.decode(ids)
            if not text.endswith("\ufffd"):  # not inside a character
                draft.update(text)

        told = step if any(d is not None for d in drafts) else None
        return [self.chat.decode(ids) for ids in self.generate(prompts, caps, told)]

    def generate(
        self,
        prompts: Sequence[Prompt],
        caps: Sequence[int],
        step: Callable[[int, str, int], None] | None = None,
    ) -> list[list[int]]:
        """The answer's token ids of each prompt, at most its cap: those within the window
        with their static opening cached, the others step by step. ``step(k, token, id)``
        is told each token of prompt ``k`` decoded at once, as it comes."""
        out: list[list[int]] = [[] for _ in prompts]
        at_once: dict[tuple[str, ...], list[int]] = {}
        for k, prompt in enumerate(prompts):
            if prompt[0] is not None and self.fits(prompt):
                at_once.setdefault(tuple(prompt[0]), []).append(k)
            elif self.fits(prompt):
                at_once.setdefault((), []).append(k)
            else:
                out[k] = self._step_by_step(prompt, caps[k])
        for static, ks in at_once.items():
            results = self._call(
                [prompts[k][1] for k in ks],
                max_length=max(caps[k] for k in ks),
                static_prompt=list(static) or None,
                include_prompt_in_result=False,
                step=None if step is None else _in(ks, step),
            )
            for k, ids in zip(ks, results, strict=True):
                out[k] = ids[: caps[k]]
        return out

    def _step_by_step(self, prompt: Prompt, cap: int) -> list[int]:
        tokens = [*(prompt[0] or []), *prompt[1]]
        # The limit counts the prompt but its first token.
        (ids,) = self._call(
            [tokens], max_length=len(tokens) - 1 + cap, include_prompt_in_result=True
        )
        # The result holds the prompt, less its first token when that is the start token.
        given = [self.chat.tokenizer.token_to_id(t) for t in tokens]
        skip = len(tokens) if ids[: len(given)] == given else len(tokens) - 1
        return ids[skip:]

    def _call(
        self,
        prompts: list[list[str]],
        step: Callable[[int, str, int], None] | None = None,
        **options: object,
    ) -> list[list[int]]:
        """``generate_batch`` greedy; ``step(k, token, id)`` told each token of prompt ``k``
        (a Stopped it raises stops the decoding, and is raised here)."""
        stopped: list[Stopped] = []

        def callback(result: ctranslate2.GenerationStepResult) -> bool:
            assert step is not None
            try:
                step(result.batch_id, result.token, result.token_id)
            except Stopped as exc:
                stopped.append(exc)
            return bool(stopped)  # True stops this sequence; every next one stops at once

        if step is not None:
            options["callback"] = callback
        try:
            results = self.generator.generate_batch(
                prompts,
                max_batch_size=MAX_BATCH,
                beam_size=1,
                sampling_topk=1,
                end_token=self.end_tokens,
                **options,
            )
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"model '{self.name}' failed to generate: {exc}") from exc
        if stopped:
            raise stopped[0]
        return [list(r.sequences_ids[0]) for r in results]

    # -- streaming ---------------------------------------------------------------------

    def translate_stream(self, text: str, source: str, target: str) -> Iterator[str]:
        """One text's translation as it is decoded: the pieces joined are what
        ``translate_batch`` gives for the text alone (no context, as one request)."""
        if (source, target) not in self.pairs:
            raise UnsupportedPair(self.name, source, target, self.pairs)
        if not text.strip():
            return
        prompt = self.prompt([text], source, target)
        cap = answer_cap(self.chat.count([text]))
        if not self.fits(prompt):
            (whole,) = self.translate_batch([text], source, target)
            yield whole.text
            return
        ids: list[int] = []
        said = ""
        try:
            steps = self.generator.generate_tokens(
                prompt[1],
                max_length=cap,
                sampling_topk=1,
                end_token=self.end_tokens,
                static_prompt=prompt[0],
            )
            for step in steps:
                if step.token in self.end_tokens:
                    break
                ids.append(step.token_id)
                now = _settled(self.chat.decode(ids))
                if now is not None and now.startswith(said) and len(now) > len(said):
                    yield now[len(said) :]
                    said = now
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"model '{self.name}' failed to generate: {exc}") from exc
        lines = parse_lines(self.chat.decode(ids), 1)
        if lines is None:
            raise EngineError(f"model '{self.name}' did not answer 1 numbered line")
        if lines[0].startswith(said) and len(lines[0]) > len(said):
            yield lines[0][len(said) :]


def _in(
    ks: Sequence[int], step: Callable[[int, str, int], None]
) -> Callable[[int, str, int], None]:
    """``step`` told of the prompts ``ks`` by their place in one call."""
    return lambda n, token, token_id: step(ks[n], token, token_id)


def _settled(partial: str) -> str | None:
    """What a partial one-line answer says so far, or None while it may still be the line's
    number or ends inside a character."""
    if NUMBER_SO_FAR.fullmatch(partial) or partial.endswith("\ufffd"):
        return None
    lines = parse_lines(partial, 1)
    return lines[0] if lines else None
