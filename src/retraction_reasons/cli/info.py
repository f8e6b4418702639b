"""``retraction-reasons info``: a model's name, version, labels, thresholds and CV metrics."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("info", help="describe a model (labels, thresholds, metrics)")
    parser.add_argument("--model", type=Path, help="a model folder (default: the shipped model)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..api import load
    from ..model_io import model_info

    print(json.dumps(model_info(load(args.model)), indent=2, ensure_ascii=False))
    return 0
