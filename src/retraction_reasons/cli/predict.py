"""``retraction-reasons predict``: classify notices from files, stdin or a JSONL file."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Iterator

from ..api import iter_classify, load
from ..model_io import model_stamp
from ..errors import NoticeError, NoticeTooLongError, NotTextError, RetractionReasonsError
from ..result import error_result
from ..validation import MAX_NOTICE_CHARS, check_notice, decode_notice
from .render import render_text

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "predict", help="classify notices (text files, '-' for stdin, or --jsonl)",
        description="Classify retraction notices with the shipped default model or --model DIR.")
    parser.add_argument("files", nargs="*", type=str, help="text files, one notice each; '-' reads stdin")
    parser.add_argument("--jsonl", type=Path, help="a JSONL file with one object per line holding a text field")
    parser.add_argument("--text-field", default="text", help="field of --jsonl holding the text (default: text)")
    parser.add_argument("--model", type=Path, help="a model folder (default: the shipped model)")
    parser.add_argument("--format", choices=("text", "json", "jsonl"), default="text",
                        help="text: human-readable; json: one JSON document; jsonl: one line a notice")
    parser.add_argument("--batch-size", type=int, default=256)
    parser.set_defaults(handler=run)


def _read_file(name: str) -> str | NoticeError:
    where = "standard input" if name == "-" else name
    try:
        if name == "-":
            data = sys.stdin.buffer.read(MAX_NOTICE_CHARS * 4 + 1)
        else:
            path = Path(name)
            if not path.is_file():
                return NotTextError(where, "no such file")
            if path.stat().st_size > MAX_NOTICE_CHARS * 4:  # surely too long: do not read it all
                return NoticeTooLongError(path.stat().st_size, MAX_NOTICE_CHARS, f"{where} (bytes)")
            data = path.read_bytes()
        return decode_notice(data, where)
    except NoticeError as err:
        return err


def _inputs(args: argparse.Namespace) -> Iterator[tuple[str, str | NoticeError, dict]]:
    for name in args.files:
        yield ("stdin" if name == "-" else name), _read_file(name), {}
    if args.jsonl:
        if not args.jsonl.is_file():
            raise RetractionReasonsError(f"{args.jsonl}: no such file.")
        with open(args.jsonl, encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, start=1):
                where = f"{args.jsonl}:{number}"
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                    text = record[args.text_field] if isinstance(record, dict) else None
                except (json.JSONDecodeError, KeyError):
                    text = None
                if not isinstance(text, str):
                    yield where, NotTextError(where, f"not a JSON object with a string {args.text_field!r} field"), {}
                    continue
                yield where, text, {k: v for k, v in record.items() if k == "id"}


def run(args: argparse.Namespace) -> int:
    if not args.files and not args.jsonl:
        raise RetractionReasonsError("give one or more notice files, '-' for standard input, or --jsonl FILE.")
    nlp = load(args.model)  # a wrong model path fails before any input is read
    stamp = model_stamp(nlp)
    items: list[tuple[str, str | NoticeError, dict]] = []
    for where, item, extra in _inputs(args):
        if isinstance(item, str):
            try:
                item = check_notice(item, where)
            except NoticeError as err:
                item = err
        items.append((where, item, extra))
    good = iter_classify([item for _, item, _ in items if isinstance(item, str)], model=nlp,
                         batch_size=args.batch_size)
    failures = 0
    collected = []
    for where, item, extra in items:
        result = next(good) if isinstance(item, str) else error_result(str(item), item.kind, stamp)
        if result.error:
            failures += 1
            print(f"retraction-reasons predict: {result.error}", file=sys.stderr)
        payload = {"source": where, **extra, **result.to_dict()}
        if args.format == "jsonl":
            print(json.dumps(payload, ensure_ascii=False), flush=True)
        elif args.format == "json":
            collected.append(payload)
        elif not result.error:
            print(render_text(result, where, show_header=len(items) > 1))
    if args.format == "json":
        single = len(items) == 1 and not args.jsonl
        print(json.dumps(collected[0] if single else collected, ensure_ascii=False, indent=2))
    return 2 if failures else 0
