"""Annotating shards: in this process, or in a pool of worker processes.

A worker loads the model once (in the pool's initializer), annotates whole shards and writes
each shard's part and done-marker itself, so that only the rows go to it and only a small
marker comes back. The parent reads the input and keeps at most ``workers + 1`` shards in
flight, so memory stays flat whatever the size of the archive.

Workers ignore SIGINT (the parent handles Ctrl-C and stops them) and exit by themselves when
the parent dies, even by SIGKILL: an orphan never goes on writing parts.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import pyarrow as pa
from spacy.language import Language

from .columns import MISSING, RowProblem, annotation_columns, classify_rows, model_labels, output_column_names
from .errors import WorkerError
from .shards import PartsFolder, sha256_file
from .summary import shard_counts
from .writers import write_part

__all__ = ["JobSettings", "ShardTask", "annotate_shard", "run_local", "run_pool"]


@dataclass(frozen=True)
class JobSettings:
    """What every shard of a job shares (sent once to each worker)."""

    parts_dir: str
    part_format: str              # parquet | jsonl
    text_column: str = "text"
    id_column: str | None = "id"
    model_path: str | None = None  # None: the shipped default model
    batch_size: int = 256


@dataclass
class ShardTask:
    """One shard to annotate: its rows, or for the dask engine, where to read them."""

    index: int                    # shard number in the whole job (the order of the output)
    input_index: int              # which input
    start: int                    # first row within that input
    count: int
    rows: list[dict[str, Any]] = field(default_factory=list)
    wheres: list[str] = field(default_factory=list)
    problems: list[RowProblem | None] = field(default_factory=list)
    schema: pa.Schema | None = None


def _columns_of(rows: list[dict[str, Any]], schema: pa.Schema | None) -> list[str]:
    if schema is not None:
        return list(schema.names)
    return list(dict.fromkeys(name for row in rows for name in row))


def annotate_shard(task: ShardTask, settings: JobSettings, nlp: Language,
                   on_progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Annotate one shard, write its part and its done-marker; return the marker."""
    started = time.monotonic()
    folder = PartsFolder(Path(settings.parts_dir))
    texts = [row.get(settings.text_column, MISSING) for row in task.rows]
    ids = [row.get(settings.id_column) for row in task.rows] if settings.id_column else None
    results = classify_rows(texts, nlp, wheres=task.wheres, ids=ids, problems=task.problems,
                            text_column=settings.text_column, batch_size=settings.batch_size,
                            on_progress=on_progress)
    annotations = annotation_columns(results)
    columns = _columns_of(task.rows, task.schema)
    part = folder.part_path(task.index, settings.part_format)
    write_part(part, settings.part_format, task.rows, columns, annotations, model_labels(nlp), task.schema)
    names = output_column_names(columns)
    marker = {
        "shard": task.index, "input": task.input_index, "start": task.start, "count": len(task.rows),
        "file": part.name, "size": part.stat().st_size, "sha256": sha256_file(part),
        "columns": [names[c] for c in columns],
        "counts": shard_counts(annotations), "seconds": round(time.monotonic() - started, 3),
    }
    folder.commit_marker(marker)
    return marker


# -- in this process -------------------------------------------------------------------------


def run_local(tasks: Iterable[ShardTask], settings: JobSettings, nlp: Language,
              on_done: Callable[[dict[str, Any]], None], on_progress: Callable[[int], None]) -> None:
    """Annotate the shards one after the other in this process."""
    for task in tasks:
        on_done(annotate_shard(task, settings, nlp, on_progress))


# -- in worker processes ---------------------------------------------------------------------

_worker: dict[str, Any] = {}


def _watch_parent(parent_pid: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != parent_pid:
            os._exit(1)  # the parent died (even by SIGKILL): stop, leaving only temporary files


def _init_worker(model_path: str | None, counter: Any, parent_pid: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    try:  # one process per core: no BLAS threads of its own competing with the other workers
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:
        pass
    from ..api import load

    _worker["counter"] = counter
    try:
        _worker["nlp"] = load(model_path)
    except Exception as err:  # reported with the first shard, as a message that pickles
        _worker["load_error"] = f"{type(err).__name__}: {err}"


def _count_progress(rows: int) -> None:
    counter = _worker["counter"]
    with counter.get_lock():
        counter.value += rows


def _annotate_in_worker(task: ShardTask, settings: JobSettings) -> dict[str, Any]:
    if "load_error" in _worker:
        raise WorkerError(f"a worker could not load the model: {_worker['load_error']}")
    try:
        return annotate_shard(task, settings, _worker["nlp"], _count_progress)
    except Exception as err:
        # Exceptions with their own constructors do not always unpickle: send the text.
        raise WorkerError(f"shard {task.index} failed in a worker process: {type(err).__name__}: {err}\n"
                          f"{traceback.format_exc()}") from None


def _stop_workers(executor: ProcessPoolExecutor) -> None:
    for process in list(getattr(executor, "_processes", {}).values()):  # no public way before 3.14
        if process.is_alive():
            process.terminate()
    executor.shutdown(wait=True, cancel_futures=True)


def run_pool(tasks: Iterable[ShardTask], settings: JobSettings, workers: int,
             on_done: Callable[[dict[str, Any]], None], on_progress_total: Callable[[int], None],
             start_method: str = "spawn") -> None:
    """Annotate the shards in ``workers`` processes, at most ``workers + 1`` shards in flight.

    ``on_progress_total(n)`` receives the number of rows annotated so far in this run.
    """
    context = multiprocessing.get_context(start_method)
    counter = context.Value("q", 0)
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                                   initargs=(settings.model_path, counter, os.getpid()))
    pending: set[Future] = set()

    def drain(until: int) -> None:
        while len(pending) > until:
            finished, _ = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            on_progress_total(counter.value)
            for future in finished:
                pending.discard(future)
                on_done(future.result())

    try:
        for task in tasks:
            drain(workers)
            pending.add(executor.submit(_annotate_in_worker, task, settings))
        drain(0)
        on_progress_total(counter.value)
    except BrokenProcessPool as err:
        _stop_workers(executor)
        raise WorkerError("a worker process died (killed, or out of memory?). The shards finished so far "
                          "are kept: rerun with --resume.") from err
    except BaseException:
        _stop_workers(executor)
        raise
    executor.shutdown(wait=True)
