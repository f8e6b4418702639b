"""``retraction-reasons evaluate``: score a model on a labelled file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("evaluate", help="score a model on labelled notices",
                                   description="Per-label precision, recall, F1 and support; micro and macro F1.")
    parser.add_argument("--data", type=Path, nargs="+", required=True)
    parser.add_argument("--model", type=Path, help="a model folder (default: the shipped model)")
    parser.add_argument("--text-column", default="text")
    parser.add_argument("--labels-column", default=None)
    parser.add_argument("--label-set", choices=("taxonomy", "custom"), default="taxonomy")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..api import load
    from ..training import read_labelled
    from ..training.evaluate import evaluate_model
    from ..training.model_card import per_label_table

    nlp = load(args.model)
    corpus = read_labelled(args.data, text_column=args.text_column, labels_column=args.labels_column,
                           label_set=args.label_set)
    report = evaluate_model(nlp, corpus.texts, corpus.indicator_matrix(), corpus.label_set)
    if args.format == "json":
        print(json.dumps(report, indent=2))
        return 0
    micro = report["micro"]
    print(f"{report['n_notices']} notices; micro P {micro['precision']:.3f} R {micro['recall']:.3f} "
          f"F1 {micro['f1']:.3f}; macro F1 {report['macro_f1']:.3f} "
          f"(labels with >= 10 examples: {report['macro_f1_support_ge_10']:.3f})")
    print(per_label_table(report))
    return 0
