"""The ``retraction-reasons`` command.

Each subcommand is a module of this package with ``register(subparsers)`` that adds its parser
and sets ``handler`` (a function of the parsed arguments returning the exit status). To add a
subcommand, write the module and add its name to ``SUBCOMMANDS``.

Errors of this package (bad input, a missing model, bad training data) print their message
and exit with status 2, without a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

from ..errors import RetractionReasonsError

__all__ = ["main", "build_parser", "SUBCOMMANDS"]

#: Subcommand modules, in the order ``--help`` lists them.
SUBCOMMANDS = ("predict", "train", "evaluate", "info", "show", "evaluate-entities", "serve", "annotate")


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog="retraction-reasons",
        description="Read retraction notices: notice type, entities and the reasons for retraction.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS:
        importlib.import_module(f"{__name__}.{name.replace('-', '_')}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 failure, 2 bad input or usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.handler(args) or 0)
    except RetractionReasonsError as err:
        print(f"retraction-reasons {args.command}: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"retraction-reasons {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
