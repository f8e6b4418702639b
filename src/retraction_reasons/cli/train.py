"""``retraction-reasons train``: train a model folder on a labelled corpus."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "train", help="train a model on labelled notices (JSONL, CSV, TSV, Parquet)",
        description="Train a model: grouped cross-validation against baselines, then a fit on all rows. "
                    "Writes the model folder with metrics.json, MODEL_CARD.md and a sha256 manifest.")
    parser.add_argument("--data", type=Path, nargs="+", required=True, help="labelled files")
    parser.add_argument("--out", type=Path, required=True, help="the model folder to write")
    parser.add_argument("--text-column", default="text")
    parser.add_argument("--labels-column", default=None,
                        help="list column or ';'-separated string (default: labels, reason_groups or reasons)")
    parser.add_argument("--id-column", default="id")
    parser.add_argument("--label-set", choices=("taxonomy", "custom"), default="taxonomy",
                        help="taxonomy: reason-group ids or Retraction Watch reasons, mapped to groups; "
                             "custom: any label strings, predicted as they are")
    parser.add_argument("--group-column", action="append", default=[],
                        help="rows sharing a value of this column stay in one CV fold (repeatable)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--C", type=float, default=4.0, help="inverse regularisation of the classifier")
    parser.add_argument("--name", default="retraction_reasons_custom", help="model name")
    parser.add_argument("--version-tag", default="0.1.0", help="model version")
    parser.add_argument("--no-cv", action="store_true", help="skip cross-validation (no metrics)")
    parser.add_argument("--force", action="store_true", help="overwrite a non-empty --out folder")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..errors import RetractionReasonsError
    from ..training import train_model

    if args.out.exists() and any(args.out.iterdir()) and not args.force:
        raise RetractionReasonsError(f"{args.out} exists and is not empty: choose another --out or pass --force.")
    if args.folds < 2:
        raise RetractionReasonsError("--folds must be at least 2.")
    train_model(args.data, args.out, text_column=args.text_column, labels_column=args.labels_column,
                id_column=args.id_column, label_set=args.label_set, group_columns=args.group_column,
                n_splits=args.folds, seed=args.seed, C=args.C, model_name=args.name,
                model_version=args.version_tag, cross_validate=not args.no_cv)
    return 0
