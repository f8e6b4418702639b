"""Bulk annotation of notice archives: every row out, in order, resumable, in parallel.

>>> import retraction_reasons as rr
>>> ds = rr.annotate("notices.jsonl", out="annotated.parquet", workers=2)   # a datasets.Dataset
>>> ds = my_dataset.map(rr.annotate_batch, batched=True, fn_kwargs={"text_column": "text"})

The command line is ``retraction-reasons annotate`` (see ``docs/bulk.md``). Modules:
:mod:`.readers` (inputs as streams of shards), :mod:`.columns` (what is added to each row),
:mod:`.workers` (annotating shards in processes), :mod:`.shards` (the parts folder and
resuming), :mod:`.writers` (parts and the final file), :mod:`.summary`, :mod:`.progress`,
:mod:`.dask_engine` (the optional Dask engine) and :mod:`.job` (all of it together).
"""

from __future__ import annotations

from .columns import ANNOTATION_COLUMNS, annotate_batch, annotated_features, annotation_schema
from .errors import AnnotateError, AnnotateInputError, ResumeError, WorkerError
from .job import annotate, run_annotate
from .summary import JobSummary

__all__ = [
    "annotate",
    "annotate_batch",
    "annotated_features",
    "run_annotate",
    "JobSummary",
    "ANNOTATION_COLUMNS",
    "annotation_schema",
    "AnnotateError",
    "AnnotateInputError",
    "ResumeError",
    "WorkerError",
]
