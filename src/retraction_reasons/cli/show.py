"""``retraction-reasons show``: a notice with its entities, notice type and reasons, to look at."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "show", help="show one notice with its entities and reasons (terminal or HTML)",
        description="Render a notice with each entity highlighted and labelled, the notice type, and "
                    "each reason with its score and its evidence sentence highlighted.")
    parser.add_argument("file", help="a text file holding one notice; '-' reads standard input")
    parser.add_argument("--model", type=Path, help="a model folder (default: the shipped model)")
    parser.add_argument("--html", type=Path, metavar="OUT", help="write a self-contained HTML page to OUT")
    parser.add_argument("--format", choices=("text", "html"), default=None,
                        help="what to print on standard output (default: text, or nothing with --html)")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="ANSI colours for --format text (auto: only on a terminal and without NO_COLOR)")
    parser.set_defaults(handler=run)


def _read(name: str) -> str:
    from ..errors import NotTextError
    from ..validation import MAX_NOTICE_CHARS, check_notice, decode_notice

    if name == "-":
        return check_notice(decode_notice(sys.stdin.buffer.read(MAX_NOTICE_CHARS * 4 + 1), "standard input"),
                            "standard input")
    path = Path(name)
    if not path.is_file():
        raise NotTextError(name, "no such file")
    return check_notice(decode_notice(path.read_bytes(), name), name)


def run(args: argparse.Namespace) -> int:
    from ..api import classify, load
    from ..display import render_html, render_terminal, use_color

    text = _read(args.file)
    result = classify(text, model=load(args.model))
    title = "standard input" if args.file == "-" else Path(args.file).name
    if args.html:
        args.html.parent.mkdir(parents=True, exist_ok=True)
        args.html.write_text(render_html(text, result, title=title), encoding="utf-8")
        print(f"wrote {args.html}", file=sys.stderr)
    output = args.format or (None if args.html else "text")
    if output == "html":
        sys.stdout.write(render_html(text, result, title=title))
    elif output == "text":
        color = args.color == "always" or (args.color == "auto" and use_color(sys.stdout))
        print(render_terminal(text, result, color=color))
    return 0
