"""A batch job over an output directory: refuse what must be refused, scan, recover, run
the pools on a backend, put outputs in place, and say how it went.

The rules a newsroom relies on:

- one job at a time on a directory (:class:`~.outputs.DirectoryLock`);
- a directory that holds a job is continued only with ``resume=True``, and only with the
  settings it was started with; a non-empty directory without a job is never written into;
- a document is translated until the journal says done, then never again, unless its
  input changes; a document that fails is retried by the next resume.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..errors import ConfigError, FileNotFound, InputError, TarjamaError
from ..formats import Registry
from ..pipeline import Known, segment
from .documents import JobFormats
from .formats import Fields
from .inputs import STATE_DIR, Discovery
from .journal import Journal, Settings, journal_faults, journal_path
from .local import run_local
from .outputs import DirectoryLock, put_in_place, recover, write_records_file, write_temp
from .repeats import Cutter, Repeats
from .summary import Summary, summarize
from .work import PinsMemory, Pool, PoolResult, Translators

BACKENDS = ("local", "ray")
#: Characters of source per pool: ~8,000 news sentences, sorted by length together so
#: that each engine batch holds sentences of like length (a random-weight model padded
#: 14% of its steps at 60,000, 5% at 250,000, 2.5% here: docs/batch.md). A crash costs
#: the engine batch in flight, not the pool (:mod:`.checkpoints`); what grows with the
#: pool is the memory it holds and the wait before its documents are written.
POOL_CHARS = 1_000_000


@dataclass(frozen=True)
class JobOptions:
    fields: Fields = field(default_factory=Fields)
    include: Sequence[str] = ()
    exclude: Sequence[str] = ()
    backend: str = "local"
    workers: int = 1
    threads: int | None = None  # engine threads per worker (default: the cores, divided)
    gpus: float = 0.0  # per Ray worker
    pool_chars: int = POOL_CHARS
    resume: bool = False
    #: The document formats it reads besides text and records (default: those of
    #: :data:`tarjama.formats.REGISTRY` when the job starts); sent to every worker.
    formats: Registry | None = None
    #: A document's blocks already in the target language go to the model too.
    translate_all: bool = False

    def check(self) -> None:
        if self.backend not in BACKENDS:
            raise ConfigError(f"unknown backend '{self.backend}' (choose {', '.join(BACKENDS)})")
        if self.workers < 1:
            raise ConfigError(f"workers must be at least 1, not {self.workers}")
        if self.threads is not None and self.threads < 1:
            raise ConfigError(f"threads must be at least 1, not {self.threads}")
        if self.gpus < 0:
            raise ConfigError(f"gpus must not be negative, not {self.gpus}")
        if self.pool_chars < 1:
            raise ConfigError(f"the pool size must be at least 1, not {self.pool_chars}")


class Events(Protocol):
    """What a job reports while it runs (the CLI shows a progress bar)."""

    def started(self, summary: Summary) -> None: ...

    def pool_done(self, result: PoolResult) -> None: ...

    def translated(self, sentences: int) -> None:
        """``sentences`` more came out of the engine (a batch of a pool in flight)."""


class _Quiet:
    def started(self, summary: Summary) -> None:
        pass

    def pool_done(self, result: PoolResult) -> None:
        pass

    def translated(self, sentences: int) -> None:
        pass


def run_job(
    inputs: Sequence[str | Path],
    out_dir: str | Path,
    translators: Translators,
    options: JobOptions | None = None,
    events: Events | None = None,
) -> Summary:
    """Translate every document of ``inputs`` into ``out_dir``; the journal's summary."""
    opts = options or JobOptions()
    opts.check()
    if opts.backend == "ray":
        from .ray_backend import require_ray

        require_ray()  # before anything is written
    if not inputs:
        raise InputError("no input given")
    for given in inputs:
        if not Path(given).exists():
            raise FileNotFound(str(given))
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} is not a directory")
    if (
        out.is_dir()
        and not journal_path(out).is_file()
        and any(p.name != STATE_DIR for p in out.iterdir())
    ):
        raise InputError(f"{out} is not empty and holds no batch job; choose a new --out")
    out.mkdir(parents=True, exist_ok=True)
    with journal_faults(journal_path(out)):
        with DirectoryLock(out):  # first: a running job is named as such
            had_job = journal_path(out).is_file()
            if had_job and not opts.resume:
                raise InputError(
                    f"{out} already holds a batch job; add --resume to continue it "
                    "(it skips what is done), or choose another --out"
                )
            journal = Journal(out)
            run = _Run(journal, out, translators, opts, events or _Quiet())
            try:
                run.run(inputs)
            except TarjamaError:
                if not had_job and not journal.anything_done():
                    # Refused before it did anything: nothing is left behind to --resume.
                    journal.close()
                    journal.remove()
                raise
            finally:
                journal.close()
        summary = summarize(out)
    summary.skipped = run.skipped
    return summary


class _Run:
    def __init__(
        self, journal: Journal, out: Path, translators: Translators, opts: JobOptions, ev: Events
    ) -> None:
        self.journal, self.out, self.translators, self.opts, self.events = (
            journal,
            out,
            translators,
            opts,
            ev,
        )
        self.skipped: dict[str, int] = {}  # files of other types in the folders, by suffix
        self.formats = JobFormats(opts.formats, translate_all=opts.translate_all)

    def run(self, inputs: Sequence[str | Path]) -> None:
        fields = self.opts.fields
        settings = {**self.translators.settings, "id_field": fields.id, "text_field": fields.text}
        # Recorded only when set, so that older journals still resume, and compared both ways.
        stored = self.journal.settings()
        if stored and bool(stored.get("translate_all")) != self.opts.translate_all:
            raise ConfigError(
                f"{self.out} holds a job with other settings (translate_all); resume it with "
                "the same ones, or choose another --out"
            )
        if self.opts.translate_all:
            settings["translate_all"] = True
        self.journal.fix_settings(Settings(settings))
        if isinstance(self.translators, PinsMemory):
            # The memory as it was when the job first started (docs/memory.md).
            self.translators = self.translators.pinned(self.journal.memory_as_of())
        self.journal.begin_run(self.opts.backend, self.opts.workers)
        self.repeats = Repeats(self.journal)
        self._scan(inputs)
        recover(self.out, self.journal)
        self.events.started(summarize(self.out))
        ahead = self.repeats.plan(self.opts.pool_chars)
        if ahead:  # the sentences that recur across pools, once, before the documents
            self._backend(ahead, None, workers=min(self.opts.workers, len(ahead)))
        self._backend(self.journal.plan(), self.repeats.known())
        for name, source, fmt in self.journal.record_files():
            missing = not (self.out / name).is_file()
            stale = missing or self.journal.stale(name)
            if stale and self.journal.settled(name):
                write_records_file(self.out, self.journal, name, source, fmt, fields, self.formats)
        self.journal.end_run()

    def _backend(
        self, pools: Iterable[Pool], known: Mapping[str, Known] | None, workers: int = 0
    ) -> None:
        """Run pools on the job's backend; each run loads one translator per worker."""
        o = self.opts
        n = workers or o.workers
        if o.backend == "ray":
            from .ray_backend import run_ray

            run_ray(pools, self.translators, self.accept, fields=o.fields, workers=n,
                    formats=self.formats, threads=o.threads, gpus=o.gpus,
                    known=known)  # fmt: skip
        else:
            run_local(pools, self.translators, self.accept, fields=o.fields, workers=n,
                      formats=self.formats,
                      threads=o.threads, known=known, checkpoints=self.out,
                      progress=self.events.translated)  # fmt: skip

    def _scan(self, inputs: Sequence[str | Path]) -> None:
        found = Discovery(
            inputs, self.out, self.opts.include, self.opts.exclude, formats=self.formats
        )
        cut = Cutter(self.opts.pool_chars)
        lang = self.translators.source
        position = 0
        for i, f in enumerate(found.files(), start=1):
            self.journal.add_file(f)
            for entry in f.format.scan(f.path, self.opts.fields):
                pool = cut(entry.chars)
                self.journal.add_entry(f.name, entry, position, pool)
                if entry.text and not entry.error:
                    doc = segment(entry.text, lang)
                    self.repeats.count((s.normalized for s in doc.segments), pool)
                position += 1
            if i % 500 == 0:  # a long scan keeps its work if it is interrupted
                self.journal.commit()
        self.skipped = found.skipped
        self.journal.drop_unseen()
        self.repeats.end_scan()
        self.journal.commit()
        if position == 0:
            given = ", ".join(map(str, inputs))
            raise InputError(f"no documents found in {given} ({self.formats.supported()})")

    def accept(self, result: PoolResult) -> None:
        """Journal a pool's results: outputs on disk first, then the commit, then renames."""
        if result.known:
            self.repeats.record(result.known)
            self.journal.forget(result.batches)
            self.events.pool_done(result)
            return
        files = [r for r in result.docs if r.state == "done" and not r.record]
        for r in files:
            write_temp(self.out / r.name, [r.output])
        self.journal.record(result.docs)
        for r in files:
            put_in_place(self.out / r.name)
        records = {r.name for r in result.docs if r.record}
        for name, source, fmt in self.journal.record_files(records):
            if self.journal.settled(name):
                write_records_file(
                    self.out, self.journal, name, source, fmt, self.opts.fields, self.formats
                )
        self.journal.forget(result.batches)
        self.events.pool_done(result)
