"""Throughput of `tarjama batch` against translating document by document, against the bare
engine, and on Ray; and its peak memory as the number of documents grows.

Documents are built from the FLORES Arabic lines: 5 to 20 sentences each, one paragraph
per sentence, where 10% of the sentences repeat one of an earlier document (wire copy
repeats datelines and boilerplate). All contenders use the random-weight model with
OPUS-MT ar-en's architecture (scripts/build_bench_model.py), int8, every core, the same beam:

- per-document: ``Translator.translate_document`` on each file in turn, written out;
- batch: ``run_job`` on the folder (local backend, one worker), journal and files included;
- bare: the engine's ``translate_batch`` on the unique sentences of the corpus, once;
- ray (with the ``ray`` extra): ``run_job`` on the Ray backend, Ray started by the job.

Targets: batch >= 1.5x per-document, >= 0.9x bare. The Ray overhead is printed. Peak RSS
is measured in child processes on two corpus sizes with a tiny model (the batch's own
memory, not the model's): it should not grow with the number of documents once a few
pools are in flight (the defaults, 3,000 and 6,000 documents, are about 5 and 9 pools).

Beside the times it counts the decoding work each contender asks of the engine (see
:class:`DecodingWork`), so that the gap to the bare engine splits into what the random
model's batches cost and what the job's own work costs.

    python benchmarks/bench_batch.py [--docs 1000] [--beam 4] [--rounds 1]
                                     [--rss-docs 3000 6000] [--no-ray] [--only NAME...]
                                     [--pool-chars 1000000]

The random model decodes ~1 sentence/s at beam 4 and ~15 at beam 1 on two cores: give
--docs and --beam a size that finishes in the time you have, and quote it with the figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from build_bench_model import FLORES, REPO, build

from tarjama.batch import POOL_CHARS, JobOptions, run_job
from tarjama.engines import ct2
from tarjama.engines.ct2 import available_cores
from tarjama.workspace import Workspace

REPEATED = 0.10
CONTENDERS = ("bare", "batch", "per-document", "ray")


class DecodingWork:
    """Counts what each engine batch asks of the decoder: rows times the batch's step
    limit (set by its longest sentence), and rows times each sentence's own limit.

    A random-weight model never emits its end token, so every sentence of a batch decodes
    to the batch's limit; a trained model stops each sentence at its end, and CTranslate2
    drops finished sentences from the batch. The gap between the two counts is what this
    model pays, and a trained one would not, for sentences of unlike length in one batch.
    """

    def __init__(self) -> None:
        self.asked = self.own = 0
        self.busy = 0.0  # seconds inside the engine's batches
        original = ct2.CTranslate2Engine._decode

        def counting(
            engine: ct2.CTranslate2Engine, units: list[list[str]], *rest: object
        ) -> object:
            longest = max(len(u) for u in units)
            self.asked += len(units) * ct2.decoding_limit(longest)
            self.own += sum(ct2.decoding_limit(len(u)) for u in units)
            start = time.perf_counter()
            rows = original(engine, units, *rest)  # type: ignore[arg-type]
            self.busy += time.perf_counter() - start
            return rows

        ct2.CTranslate2Engine._decode = counting  # type: ignore[method-assign,assignment]

    def take(self) -> tuple[int, int, float]:
        taken = (self.asked, self.own, self.busy)
        self.asked, self.own, self.busy = 0, 0, 0.0
        return taken


def corpus(n_docs: int, seed: int = 7) -> list[str]:
    """``n_docs`` documents of FLORES sentences, 10% of them repeats of earlier ones."""
    lines = [
        x
        for name in ("flores-dev.ar", "flores-test.ar")
        for x in (FLORES / name).read_text(encoding="utf-8").splitlines()
        if x.strip()
    ]
    rng = random.Random(seed)
    used: list[str] = []
    docs = []
    fresh = 0
    for _ in range(n_docs):
        sentences = []
        for _ in range(rng.randint(5, 20)):
            if used and rng.random() < REPEATED:
                sentences.append(rng.choice(used))
                continue
            line = lines[fresh % len(lines)]
            # Past the last line, a marker keeps each sentence new (and still one sentence).
            sentences.append(line if fresh < len(lines) else f"({fresh // len(lines)}) {line}")
            fresh += 1
            used.append(sentences[-1])
        docs.append("\n".join(sentences) + "\n")
    return docs


def write(docs: list[str], folder: Path) -> None:
    for i, text in enumerate(docs):
        path = folder / f"{i // 100:03d}" / f"doc-{i:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="batch throughput and memory")
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--rss-docs", type=int, nargs="*", default=[3000, 6000])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--no-ray", action="store_true", help="skip the Ray contender")
    parser.add_argument("--pool-chars", type=int, default=POOL_CHARS, help="the job's pools")
    parser.add_argument(
        "--only", nargs="+", choices=CONTENDERS, default=CONTENDERS, help="these contenders"
    )
    parser.add_argument(
        "--device", default="cpu", help="cpu, or cuda where a GPU makes the full size quick"
    )
    parser.add_argument("--rss-child", nargs=2, help=argparse.SUPPRESS)  # MODEL DOCS
    return parser.parse_args()


def main() -> int:
    args = _arguments()
    if args.rss_child:
        return _rss_child(Path(args.rss_child[0]), int(args.rss_child[1]))

    model = build()
    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    docs = corpus(args.docs)
    write(docs, work / "in")
    ws = Workspace.open(work / "home")
    factory = ws.batch_translators(model, device=args.device, beam_size=args.beam)
    translator = factory(available_cores())
    splits = [translator.segment(d).segments for d in docs]
    total = sum(len(s) for s in splits)
    unique = list(dict.fromkeys(s.normalized for segs in splits for s in segs))
    print(
        f"{args.docs} documents, {total} sentences ({len(unique)} unique), beam {args.beam}, "
        f"int8 on {args.device}, {available_cores()} threads; "
        "random weights, OPUS-MT ar-en architecture"
    )
    print(f"load average before: {os.getloadavg()[0]:.2f}")

    runs = itertools.count()

    def per_document() -> None:
        out = work / f"per-doc-{next(runs)}"
        for path in sorted((work / "in").rglob("*.txt")):
            doc = translator.translate_document(path.read_text(encoding="utf-8"))
            target = out / path.relative_to(work / "in")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(doc.text, encoding="utf-8")

    def batch(backend: str) -> Callable[[], object]:
        opts = JobOptions(backend=backend, pool_chars=args.pool_chars)
        return lambda: run_job([work / "in"], work / f"batch-{next(runs)}", factory, opts)

    def bare() -> None:
        translator.engine.translate_batch(unique, "ar", "en")

    contenders = {"bare": bare, "batch": batch("local"), "per-document": per_document}
    if not args.no_ray and "ray" in args.only:
        if importlib.util.find_spec("ray") is None:
            print("ray: skipped (pip install -e '.[ray]')")
        else:
            contenders["ray"] = batch("ray")
    contenders = {k: v for k, v in contenders.items() if k in args.only}
    times, asked, busy = _race(contenders, args.rounds)
    med = {name: statistics.median(t) for name, t in times.items()}
    _print_work(med, asked, busy, total, args.rounds)
    _print_ratios(med, asked, busy)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if args.rss_docs:
        _rss(work, args.rss_docs)
    return 0


def _race(
    contenders: dict[str, Callable[[], object]], rounds: int
) -> tuple[dict[str, list[float]], dict[str, tuple[int, int, float]], dict[str, list[float]]]:
    """Each contender's times, its last decoding work and its times inside the engine."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    asked: dict[str, tuple[int, int, float]] = {}
    busy: dict[str, list[float]] = {name: [] for name in contenders}
    counter = DecodingWork()  # the Ray actors decode in other processes: not counted
    names = list(contenders)
    for r in range(rounds):
        # Alternate the order every round so that no contender always runs first.
        for name in names if r % 2 == 0 else reversed(names):
            times[name].append(timed(contenders[name]))
            asked[name] = counter.take()
            busy[name].append(asked[name][2])
            # A full-size run takes hours on a small machine: say how far it has come.
            print(f"  round {r + 1}, {name}: {times[name][-1]:.1f} s", flush=True)
    return times, asked, busy


def _print_work(
    med: dict[str, float],
    asked: dict[str, tuple[int, int, float]],
    busy: dict[str, list[float]],
    total: int,
    rounds: int,
) -> None:
    print(f"{rounds} round(s), medians:")
    for name, t in med.items():
        print(f"  {name:13s} {t:8.1f} s  ({total / t:6.2f} sentences/s of the corpus)")
    print("decoding work (rows x step limit; in brackets, each sentence at its own limit):")
    for name, (steps, own, _) in asked.items():
        if steps:
            print(f"  {name:13s} {steps:10d}  ({own:10d}, {1 - own / steps:5.1%} spent on padding)")
    print("time inside the engine's batches, and the rest, when the engine waits (medians):")
    for name, b in busy.items():
        if asked[name][0]:
            inside = statistics.median(b)
            print(f"  {name:13s} {inside:8.1f} s inside, {med[name] - inside:7.1f} s waiting")


def _print_ratios(
    med: dict[str, float],
    asked: dict[str, tuple[int, int, float]],
    busy: dict[str, list[float]],
) -> None:
    if "per-document" in med and "batch" in med:
        print(f"batch / per-document throughput: {med['per-document'] / med['batch']:.2f}x "
              "(target >= 1.5)")  # fmt: skip
    if "bare" in med and "batch" in med:
        print(f"batch / bare translate_batch (unique sentences): "
              f"{med['bare'] / med['batch']:.3f}x (target >= 0.9)")  # fmt: skip
        shape = asked["bare"][0] / asked["batch"][0]
        rest = med["bare"] / med["batch"] / shape
        print(f"  = decoding work, bare / batch: {shape:.3f}x "
              f"times all else (reading, checks, journal, files): {rest:.3f}x")  # fmt: skip
        # All else, split: the engine's speed on its work while the job runs beside it
        # (threads that share the cores), and the share of the job's time it is busy.
        speed = (asked["batch"][0] / statistics.median(busy["batch"])) / (
            asked["bare"][0] / statistics.median(busy["bare"])
        )
        share = statistics.median(busy["batch"]) / med["batch"]
        share_bare = statistics.median(busy["bare"]) / med["bare"]
        print(f"    all else = engine speed beside the job, batch / bare: {speed:.3f}x "
              f"times engine busy, batch / bare: {share / share_bare:.3f}x "
              f"({share:.1%} of the job's time, {share_bare:.1%} of bare's)")  # fmt: skip
    if "ray" in med and "batch" in med:
        extra = med["ray"] - med["batch"]
        print(
            f"ray / local time: {med['ray'] / med['batch']:.2f}x "
            f"(overhead {extra:+.1f} s, Ray's start included)"
        )


def _rss(work: Path, sizes: list[int]) -> None:
    """Peak RSS of a whole batch job in a child process, at each corpus size."""
    from tarjama.testing import TINY, build_marian_model  # imports torch where installed

    tiny = build_marian_model(
        work / "tiny", *_lines(), arch=TINY, spm_vocab=2000, quantization="int8"
    )
    for n in sizes:
        proc = subprocess.Popen(
            [sys.executable, __file__, "--rss-child", str(tiny), str(n)],
            stdout=subprocess.PIPE,
            text=True,
        )
        out, _ = proc.communicate()
        print(f"peak RSS, {n:5d} documents (tiny model): {out.strip()}")


def _lines() -> tuple[list[str], list[str]]:
    ar = (FLORES / "flores-dev.ar").read_text(encoding="utf-8").splitlines()
    en = (FLORES / "flores-dev.en").read_text(encoding="utf-8").splitlines()
    return ar, en


def _rss_child(model: Path, n_docs: int) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-rss-") as tmp:
        write(corpus(n_docs), Path(tmp) / "in")
        factory = Workspace.open(Path(tmp) / "home").batch_translators(model, device="cpu")
        summary = run_job([Path(tmp) / "in"], Path(tmp) / "out", factory)
    # The high-water mark of this process alone (ru_maxrss would count the parent's pages
    # from before the exec).
    status = Path("/proc/self/status").read_text().splitlines()
    peak = next(int(x.split()[1]) for x in status if x.startswith("VmHWM:"))
    print(f"{peak / 1024:7.1f} MB  ({summary.done} done, {summary.sentences} sentences)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
