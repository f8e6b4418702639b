"""A bulk annotation job from inputs to one output file, and the ``annotate`` API.

The job: open the inputs and count their rows; prepare ``OUT.parts`` (keeping the finished
shards when resuming); annotate the other shards (in this process, in worker processes, or
on a Dask cluster); check that every row of every input is in exactly one finished shard;
assemble the parts in input order into ``OUT`` through a temporary file and a rename; delete
``OUT.parts``; print the summary.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator, Sequence

from spacy.language import Language

from .. import _resources
from ..errors import ModelError, ModelNotFoundError
from .errors import AnnotateError, AnnotateInputError
from .progress import Progress
from .readers import ParquetSource, Source, open_sources
from .shards import PartsFolder, parts_dir_for
from .summary import JobSummary
from .workers import JobSettings, ShardTask, run_local, run_pool
from .writers import OUTPUT_FORMATS, assemble_output, part_format

__all__ = ["run_annotate", "annotate", "output_format_for", "auto_shard_size"]

#: Version of the parts folder layout; a folder of another version is not resumed.
LAYOUT_VERSION = 1
#: Bounds of the automatic shard size (rows).
MIN_SHARD_SIZE, MAX_SHARD_SIZE = 250, 10_000


def auto_shard_size(total_rows: int | None) -> int:
    """Rows per shard when none is given: about a hundredth of the job, 250 to 10,000 rows.

    Enough shards to keep every worker busy and to lose little work to an interruption, few
    enough that each part is worth its file. It depends on the row count only (not on the
    number of workers), so that a job resumed with other ``--workers`` plans the same shards.
    """
    if total_rows is None:
        return 1_000
    return min(MAX_SHARD_SIZE, max(MIN_SHARD_SIZE, -(-total_rows // 100)))


def output_format_for(out: Path, fmt: str | None) -> str:
    """The output format: ``fmt`` if given, else from the suffix of ``out``."""
    if fmt:
        if fmt not in OUTPUT_FORMATS:
            raise AnnotateInputError(f"unknown output format {fmt!r}: use one of {', '.join(OUTPUT_FORMATS)}.")
        return fmt
    suffix = out.suffix.lower()
    by_suffix = {".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl",
                 ".csv": "csv", ".tsv": "csv"}
    if suffix not in by_suffix:
        raise AnnotateInputError(f"{out}: cannot tell the output format from the name; end it with .parquet, "
                                 ".jsonl or .csv, or give --format.")
    return by_suffix[suffix]


def _model_identity(model: str | Path | Language | None) -> tuple[str | None, dict[str, Any]]:
    """The model folder (None for an in-memory pipeline) and its name, version and labels,
    checked against its manifest without loading it (the workers load it)."""
    from ..model_io import CLASSIFIER_PIPE, verify_manifest

    if isinstance(model, Language):
        from .columns import model_labels, model_stamp

        path = getattr(model, "path", None)
        return (str(path) if path else None), {**model_stamp(model), "labels": model_labels(model)}
    folder = Path(model) if model is not None else _resources.default_model_dir()
    if not (folder / "config.cfg").is_file() or not (folder / "meta.json").is_file():
        raise ModelNotFoundError(folder)
    verify_manifest(folder)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    labels = meta.get("labels", {}).get(CLASSIFIER_PIPE)
    if not labels:
        raise ModelError(f"the pipeline at {folder} has no {CLASSIFIER_PIPE} labels: it is not a "
                         "retraction-reasons model.")
    identity = {"name": str(meta.get("name", "unknown")), "version": str(meta.get("version", "0.0.0")),
                "labels": list(labels)}
    return (str(folder.resolve()) if model is not None else None), identity


def _check_text_column(sources: Sequence[Source], text_column: str) -> None:
    known = [(source, source.column_names()) for source in sources]
    known = [(source, names) for source, names in known if names]
    if known and all(text_column not in names for _, names in known):
        source, names = known[0]
        shown = ", ".join(names[:20]) + (" ..." if len(names) > 20 else "")
        raise AnnotateInputError(f"no column {text_column!r} in {source.name} (columns: {shown}): name the column "
                                 "holding the notice text with --text-column.")


def _shard_tasks(sources: Sequence[Source], shard_size: int, done: dict[int, dict[str, Any]],
                 rows_read: list[int], n_shards: list[int]) -> Iterator[ShardTask]:
    """Tasks for the shards not done yet, in order; checks that done shards still cover the
    same rows of the same input. Fills ``rows_read`` (per input) and ``n_shards`` as it goes."""
    base = 0
    for input_index, source in enumerate(sources):
        seen = 0
        for shard in source.iter_shards(shard_size, skip=lambda number, base=base: base + number in done):
            index = base + shard.number
            seen = shard.number + 1
            rows_read[input_index] += shard.count
            if index in done:
                marker = done[index]
                if (marker["input"], marker["start"], marker["count"]) != (input_index, shard.start, shard.count):
                    raise AnnotateError(f"finished shard {index} of {source.name} does not cover the rows it "
                                        "covered before: the input changed. Rerun without --resume.")
                continue
            yield ShardTask(index, input_index, shard.start, shard.count, shard.rows, shard.wheres,
                            shard.problems, source.arrow_schema)
        base += seen
    n_shards.append(base)


def run_annotate(inputs: Sequence[Any] | Any, out: str | Path, *, fmt: str | None = None,
                 text_column: str = "text", id_column: str | None = "id",
                 model: str | Path | Language | None = None, workers: int = 1, batch_size: int = 256,
                 shard_size: int | None = None, resume: bool = False, quiet: bool = False,
                 engine: str = "local", scheduler: str | None = None,
                 progress_interval: float = 5.0) -> JobSummary:
    """Annotate every row of ``inputs`` into ``out``; see :func:`annotate` for the arguments.

    Returns the :class:`JobSummary` (also printed to stderr unless ``quiet``).
    """
    started = time.monotonic()
    if not isinstance(inputs, (list, tuple)):
        inputs = [inputs]
    if workers < 1 or batch_size < 1 or (shard_size is not None and shard_size < 1):
        raise AnnotateInputError("--workers, --batch-size and --shard-size must be at least 1.")
    if engine not in ("local", "dask"):
        raise AnnotateInputError(f"unknown engine {engine!r}: use local or dask.")
    out = Path(out)
    output_format = output_format_for(out, fmt)
    sources = open_sources(list(inputs), text_column=text_column, id_column=id_column or "id")
    for source in sources:
        path = getattr(source, "path", None)
        if path is not None and path.resolve() == out.resolve():
            raise AnnotateInputError(f"{out} is also an input: write the output to another file.")
    if engine == "dask" and not all(isinstance(source, ParquetSource) for source in sources):
        raise AnnotateInputError("the dask engine reads Parquet inputs (each worker reads its own row range); "
                                 "convert the inputs to Parquet, or use the local engine.")
    _check_text_column(sources, text_column)
    model_path, identity = _model_identity(model)
    if isinstance(model, Language) and model_path is None and (workers > 1 or engine == "dask"):
        raise AnnotateInputError("workers load the model from its folder: pass the model's path, not a "
                                 "pipeline built in memory, to use several workers or the dask engine.")

    nlp = None
    if engine == "local" and workers == 1:  # loaded before the clock of the progress bar starts
        from ..api import load

        nlp = model if isinstance(model, Language) else load(model)
    counts = [source.count_rows() for source in sources]
    total = None if any(count is None for count in counts) else sum(counts)
    shard_size = shard_size or auto_shard_size(total)
    job = {
        "layout": LAYOUT_VERSION, "inputs": [source.fingerprint() for source in sources], "rows": counts,
        "output": {"path": str(out.resolve()), "format": output_format}, "text_column": text_column,
        "id_column": id_column, "shard_size": shard_size,
        "model": {"name": identity["name"], "version": identity["version"], "path": model_path},
    }
    folder = PartsFolder(parts_dir_for(out))
    done, note = folder.start(job, resume=resume)
    initial = sum(marker["count"] for marker in done.values())
    progress = Progress(total, initial=initial, quiet=quiet, interval=progress_interval)
    if note:
        progress.log(note)

    settings = JobSettings(parts_dir=str(folder.path), part_format=part_format(output_format),
                           text_column=text_column, id_column=id_column, model_path=model_path,
                           batch_size=batch_size)
    markers = dict(done)
    rows_read = [0] * len(sources)
    n_shards: list[int] = []

    def finished(marker: dict[str, Any]) -> None:
        markers[marker["shard"]] = marker
        if engine == "dask":
            progress.advance(marker["count"])

    try:
        if engine == "dask":
            from .dask_engine import run_dask

            plan = _dask_plan(sources, counts, shard_size, done)
            run_dask(plan, settings, scheduler=scheduler, workers=workers, on_done=finished, log=progress.log)
            rows_read = list(counts)
            n_shards = [sum(-(-count // shard_size) for count in counts)]
        else:
            tasks = _shard_tasks(sources, shard_size, done, rows_read, n_shards)
            if workers == 1:
                run_local(tasks, settings, nlp, finished, progress.advance)
            else:
                run_pool(tasks, settings, workers, finished, lambda n: progress.update_to(initial + n))
    finally:
        progress.close()

    summary = _finish(sources, counts, rows_read, n_shards[0], markers, folder, out, output_format,
                      identity["labels"])
    summary.rows_this_run = sum(m["count"] for i, m in markers.items() if i not in done)
    summary.shards_resumed = len(done)
    summary.seconds = time.monotonic() - started
    summary.workers, summary.engine = workers, engine
    if not quiet:
        print(summary.format(), file=progress.stream, flush=True)
    return summary


def _dask_plan(sources: Sequence[Source], counts: Sequence[int | None], shard_size: int,
               done: dict[int, dict[str, Any]]) -> list[tuple[int, int, str, int, int]]:
    plan, index = [], 0
    for input_index, (source, count) in enumerate(zip(sources, counts)):
        for start in range(0, count or 0, shard_size):
            length = min(shard_size, count - start)
            if index in done:
                marker = done[index]
                if (marker["input"], marker["start"], marker["count"]) != (input_index, start, length):
                    raise AnnotateError(f"finished shard {index} does not cover the rows it covered before: "
                                        "the input changed. Rerun without --resume.")
            else:
                plan.append((index, input_index, str(source.path), start, length))  # type: ignore[attr-defined]
            index += 1
    return plan


def _finish(sources: Sequence[Source], counts: Sequence[int | None], rows_read: Sequence[int], n_shards: int,
            markers: dict[int, dict[str, Any]], folder: PartsFolder, out: Path, output_format: str,
            labels: Sequence[str]) -> JobSummary:
    """Check that every row is in exactly one finished shard, assemble ``out``, clean up."""
    missing = [index for index in range(n_shards) if index not in markers]
    if missing or len(markers) != n_shards:
        raise AnnotateError(f"{len(missing)} shard(s) did not finish (first: {missing[:5]}); the finished ones "
                            "are kept: rerun with --resume.")
    for input_index, (source, count) in enumerate(zip(sources, counts)):
        in_shards = sum(m["count"] for m in markers.values() if m["input"] == input_index)
        if (count is not None and rows_read[input_index] != count) or in_shards != rows_read[input_index]:
            raise AnnotateError(f"{source.name}: {count} rows counted, {rows_read[input_index]} read, {in_shards} "
                                "annotated: the input changed while the job ran. Rerun without --resume.")
    ordered = [markers[index] for index in range(n_shards)]
    columns = [name for marker in ordered for name in marker["columns"]]
    rows_out = assemble_output([folder.path / marker["file"] for marker in ordered], out, output_format,
                               columns=columns, labels=labels)
    summary = JobSummary(out=out, shards=n_shards)
    for marker in ordered:
        summary.add_counts(marker["counts"])
    summary.rows_out = rows_out
    if rows_out != summary.rows_in:
        raise AnnotateError(f"{summary.rows_in} rows annotated but {rows_out} written to {out}: the parts in "
                            f"{folder.path} are kept; rerun with --resume.")
    folder.remove()
    return summary


# -- the Python API --------------------------------------------------------------------------


def _temporary_dir(parent: Path | None = None, prefix: str = "retraction-reasons-") -> Path:
    """A folder deleted when the interpreter exits."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def annotate(path_or_dataset: Any, *, out: str | Path | None = None, format: str | None = None,
             text_column: str = "text", id_column: str | None = "id",
             model: str | Path | Language | None = None, workers: int = 1, batch_size: int = 256,
             shard_size: int | None = None, resume: bool = False, quiet: bool = True,
             engine: str = "local", scheduler: str | None = None):
    """Annotate an archive of notices; every row comes back, in order, as a ``datasets.Dataset``.

    Parameters
    ----------
    path_or_dataset : path, list of paths, ``datasets.Dataset`` or ``IterableDataset``
        JSON Lines, CSV, TSV (each optionally ``.gz``), Parquet, or a folder of ``.txt`` files
        (id = path relative to the folder). Several inputs are annotated one after the other.
    out : path, optional
        The output file (``.parquet``, ``.jsonl`` or ``.csv``). Without it, a Parquet file in a
        temporary folder deleted when Python exits.
    format : {"parquet", "jsonl", "csv"}, optional
        The output format when the name of ``out`` does not tell it.
    text_column, id_column : str
        The column holding the notice text, and the one identifying a row (used in error
        messages; for a folder of ``.txt`` files, the column that gets the file's path).
    model : path or spacy Language, optional
        A model folder; default: the shipped model.
    workers : int
        Processes annotating shards (each loads the model once); for ``engine="dask"`` without
        a ``scheduler``, the number of local Dask workers.
    batch_size : int
        Notices per ``nlp.pipe`` batch.
    shard_size : int, optional
        Rows per shard: the unit of work, of resuming, and of memory. Default: about a
        hundredth of the rows, from 250 to 10,000 (:func:`auto_shard_size`).
    resume : bool
        Keep the finished shards of an interrupted job with the same inputs and settings.
    quiet : bool
        No progress and no summary on stderr (the default for the Python API).
    engine, scheduler : str
        ``"local"``, or ``"dask"`` with the address of a Dask scheduler (a local cluster of
        ``workers`` processes when None); the dask engine reads Parquet inputs.

    Returns
    -------
    datasets.Dataset
        The output rows: the original columns plus ``notice_type``, ``reasons``, ``scores``,
        ``evidence``, ``entities``, ``language``, ``flags``, ``error``, ``error_kind``,
        ``model_name``, ``model_version`` (see :mod:`retraction_reasons.bulk.columns`).
        Its Arrow cache is in a temporary folder beside the output, deleted when Python exits.
    """
    # Only local files are read: ``datasets`` must never reach for the network (this takes
    # effect where ``datasets`` was not imported yet).
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import datasets

    if out is None:
        out = _temporary_dir() / "annotated.parquet"
        format = "parquet"
    out = Path(out)
    output_format = output_format_for(out, format)
    run_annotate(path_or_dataset, out, fmt=output_format, text_column=text_column, id_column=id_column,
                 model=model, workers=workers, batch_size=batch_size, shard_size=shard_size, resume=resume,
                 quiet=quiet, engine=engine, scheduler=scheduler)
    cache = str(_temporary_dir(out.parent, prefix=".retraction-reasons-cache-"))
    if output_format == "parquet":
        return datasets.Dataset.from_parquet(str(out), cache_dir=cache)
    if output_format == "jsonl":
        return datasets.Dataset.from_json(str(out), cache_dir=cache)
    return datasets.Dataset.from_csv(str(out), cache_dir=cache, delimiter="\t" if out.suffix.lower() == ".tsv" else ",")
