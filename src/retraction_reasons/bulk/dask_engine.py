"""The ``dask`` engine: the same shards, annotated on a Dask cluster (``dask.distributed``).

Each shard is a task that reads its row range of the input Parquet file itself (only the row
groups it needs), annotates it with the same :func:`~.workers.annotate_shard` as the local
engine, and writes its Parquet part and done-marker into ``OUT.parts`` itself. Only the
small marker travels back. The inputs and the output folder must therefore be on storage
that every worker sees under the same path (a shared file system), and the model folder too
(the shipped default model is inside the installed package).

A task lost with its worker is run again by Dask (``retries``); a job stopped half-way is
resumed with ``--resume`` like a local one. Dask is an optional extra:
``pip install 'retraction-reasons[dask]'``.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, Callable, Iterable

import pyarrow.parquet as pq

from .errors import AnnotateError, AnnotateInputError, WorkerError
from .workers import JobSettings, ShardTask, annotate_shard

__all__ = ["run_dask", "read_parquet_rows"]


def read_parquet_rows(path: str, start: int, count: int) -> tuple[list[dict[str, Any]], Any]:
    """Rows ``start .. start + count`` of a Parquet file, reading only the row groups they are
    in; returns the rows and the file's Arrow schema."""
    parquet = pq.ParquetFile(path)
    metadata = parquet.metadata
    groups, first_row, offset = [], None, 0
    for group in range(metadata.num_row_groups):
        size = metadata.row_group(group).num_rows
        if offset + size > start and offset < start + count:
            groups.append(group)
            first_row = offset if first_row is None else first_row
        offset += size
    if not groups:
        return [], parquet.schema_arrow
    table = parquet.read_row_groups(groups).slice(start - first_row, count)
    return table.to_pylist(), parquet.schema_arrow


def _annotate_partition(path: str, input_index: int, index: int, start: int, count: int,
                        settings: JobSettings) -> dict[str, Any]:
    """The task run on a Dask worker: read, annotate and write one shard."""
    from ..api import load

    try:  # one thread per task: no BLAS threads competing with the worker's other tasks
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:
        pass
    rows, schema = read_parquet_rows(path, start, count)
    if len(rows) != count:
        raise AnnotateError(f"{path}: expected {count} rows from row {start}, read {len(rows)}; the file "
                            "changed while the job ran.")
    name = Path(path).name
    task = ShardTask(index, input_index, start, count, rows, [f"{name} row {start + i}" for i in range(count)],
                     [None] * count, schema)
    try:
        return annotate_shard(task, settings, load(settings.model_path))  # the model is cached per worker
    except Exception as err:  # sent back as text: not every exception unpickles on the client
        raise WorkerError(f"shard {index} failed on a Dask worker: {type(err).__name__}: {err}") from None


def run_dask(shards: Iterable[tuple[int, int, str, int, int]], settings: JobSettings, *,
             scheduler: str | None, workers: int, on_done: Callable[[dict[str, Any]], None],
             log: Callable[[str], None]) -> None:
    """Annotate ``shards`` (index, input index, Parquet path, start, count) on the cluster at
    ``scheduler`` (e.g. ``tcp://10.0.0.5:8786``), or on a local cluster of ``workers`` processes."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as err:
        raise AnnotateInputError("the dask engine needs Dask: pip install 'retraction-reasons[dask]'.") from err
    cluster = None
    if scheduler:
        client = Client(scheduler)
        log(f"dask: connected to {scheduler} ({len(client.scheduler_info().get('workers', {}))} workers)")
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
        log(f"dask: local cluster of {workers} worker process(es)")
    run = uuid.uuid4().hex[:8]
    try:
        futures = [client.submit(_annotate_partition, path, input_index, index, start, count, settings,
                                 key=f"retraction-reasons-shard-{index:05d}-{run}", retries=2)
                   for index, input_index, path, start, count in shards]
        for future in as_completed(futures):
            on_done(future.result())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
