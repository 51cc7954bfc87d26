"""Batch jobs over many documents: a journal, resume after any crash, local workers or Ray.

    run_job(inputs, out_dir, translators, JobOptions(...)) -> Summary

``translators`` is what the job translates with (a :class:`Translators`, such as
:meth:`tarjama.Workspace.batch_translators` makes): each worker calls it once to load its
own model, so the job never opens a home or a model store itself. Inputs are files and
folders of the formats in :data:`FORMATS` (plain text, JSONL, CSV; :func:`register` adds
one); outputs mirror them in ``out_dir``; the journal there is the record of what is
done (:mod:`.journal`). See docs/batch.md.
"""

from .formats import FORMATS, Entry, Fields, Format, Source, register
from .job import BACKENDS, POOL_CHARS, Events, JobOptions, run_job
from .progress import RichProgress
from .report import write_report
from .summary import Summary, summarize
from .work import PoolResult, Translators

__all__ = [
    "BACKENDS",
    "FORMATS",
    "POOL_CHARS",
    "Entry",
    "Events",
    "Fields",
    "Format",
    "JobOptions",
    "PoolResult",
    "RichProgress",
    "Source",
    "Summary",
    "Translators",
    "register",
    "run_job",
    "summarize",
    "write_report",
]
