"""Batch jobs over many documents: a journal, resume after any crash, local workers or Ray.

    run_job(inputs, out_dir, translators, JobOptions(...)) -> Summary

``translators`` is what the job translates with (a :class:`Translators`, such as
:meth:`tarjama.Workspace.batch_translators` makes): each worker calls it once to load its
own model, so the job never opens a home or a model store itself. Inputs are files and
folders of the formats of :class:`JobFormats` (plain text, JSONL, CSV, and every document
format of :mod:`tarjama.formats`: HTML, DOCX, XLIFF, SRT, WebVTT, Markdown, and those
registered there); outputs mirror them, each in its input's format, in ``out_dir``; the
journal there is the record of what is done (:mod:`.journal`). See docs/batch.md.
"""

from .documents import DocumentFile, JobFormats
from .formats import Entry, Fields, Format, Source
from .job import BACKENDS, POOL_CHARS, Events, JobOptions, run_job
from .progress import RichProgress
from .report import write_report
from .summary import Summary, summarize
from .work import PoolResult, Translators

__all__ = [
    "BACKENDS",
    "POOL_CHARS",
    "DocumentFile",
    "Entry",
    "Events",
    "Fields",
    "Format",
    "JobFormats",
    "JobOptions",
    "PoolResult",
    "RichProgress",
    "Source",
    "Summary",
    "Translators",
    "run_job",
    "summarize",
    "write_report",
]
