"""``retraction-reasons annotate``: annotate whole archives of notices into one output file."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["register"]


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "annotate", help="annotate archives of notices (JSONL, CSV, TSV, Parquet, a folder of .txt)",
        description="Annotate every row of one or more archives of notices into one output file, in input "
                    "order, with the original columns plus notice_type, reasons, scores, evidence, entities, "
                    "error and the model's name and version. A row that cannot be classified comes out with "
                    "`error` set. The output appears only when complete; an interrupted job is continued with "
                    "--resume.")
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="JSONL, CSV, TSV (each optionally .gz), Parquet, or a folder of .txt files")
    parser.add_argument("--out", type=Path, required=True, help="the output file (.parquet, .jsonl or .csv)")
    parser.add_argument("--format", choices=("jsonl", "csv", "parquet"),
                        help="output format (default: from the name of --out)")
    parser.add_argument("--text-column", default="text", help="the column holding the notice text (default: text)")
    parser.add_argument("--id-column", default="id",
                        help="the column identifying a row, shown in error messages; for a folder of .txt "
                             "files, the column that gets the file's relative path (default: id)")
    parser.add_argument("--model", type=Path, help="a model folder (default: the shipped model)")
    parser.add_argument("--workers", type=_positive, default=1,
                        help="processes annotating shards, each loading the model once (default: 1)")
    parser.add_argument("--batch-size", type=_positive, default=256, help="notices per pipeline batch (default: 256)")
    parser.add_argument("--shard-size", type=_positive, default=None,
                        help="rows per shard, the unit of work and of resuming (default: about a hundredth "
                             "of the rows, from 250 to 10000)")
    parser.add_argument("--resume", action="store_true",
                        help="keep the finished shards of an interrupted run with the same inputs and settings")
    parser.add_argument("--quiet", action="store_true", help="no progress and no summary")
    parser.add_argument("--engine", choices=("local", "dask"), default="local",
                        help="local processes, or a Dask cluster (needs the dask extra and Parquet inputs)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="the Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a local cluster of "
                             "--workers processes)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..bulk.job import run_annotate

    if args.scheduler and args.engine != "dask":
        args.engine = "dask"  # a scheduler address only makes sense for the dask engine
    run_annotate(args.inputs, args.out, fmt=args.format, text_column=args.text_column, id_column=args.id_column,
                 model=args.model, workers=args.workers, batch_size=args.batch_size, shard_size=args.shard_size,
                 resume=args.resume, quiet=args.quiet, engine=args.engine, scheduler=args.scheduler)
    return 0
