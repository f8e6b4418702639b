"""``retraction-reasons evaluate-entities``: score the entity spans against a gold file."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import Any

__all__ = ["register", "format_table", "format_errors"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evaluate-entities", help="score entity spans against a gold file (data/gold/dev.jsonl)",
        description="Per-label precision, recall, F1 and support, exact-span and token-overlap, "
                    "plus notice-type and DOI-role accuracy, against a gold file joined with the "
                    "corpora texts.")
    parser.add_argument("--gold", type=Path, required=True, help="a gold file (data/gold/dev.jsonl)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--model", type=Path, help="a model folder (default: the shipped model)")
    source.add_argument("--patterns", type=Path,
                        help="score the rule components built from this patterns folder (data/patterns) "
                             "instead of a model: no rebuild needed while writing rules")
    parser.add_argument("--corpora", type=Path, help="the corpora folder (default: ../shared/data "
                        "or $RETRACTION_REASONS_CORPORA)")
    parser.add_argument("--errors", action="store_true",
                        help="also list the misses and false hits of each notice, side by side")
    parser.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..api import load
    from ..gold import load_gold
    from ..pipeline import build_rule_pipeline
    from ..training.entity_evaluation import evaluate_entities

    gold = load_gold(args.gold, args.corpora)
    nlp = build_rule_pipeline(args.patterns) if args.patterns else load(args.model)
    report = evaluate_entities(nlp, gold, batch_size=args.batch_size, with_errors=args.errors)
    report["gold"] = str(args.gold)
    report["model"] = str(args.patterns or args.model or "default")
    if args.format == "json":
        if args.errors:
            report["errors"] = [_error_json(e) for e in report["errors"]]
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    print(format_table(report, markdown=args.format == "markdown"))
    if args.errors:
        texts = {(n.id, n.source): n.text for n in gold}
        print()
        print(format_errors(report["errors"], texts))
    return 0


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def format_table(report: dict[str, Any], *, markdown: bool = False) -> str:
    """The per-label table, then notice-type and DOI-role accuracy."""
    header = ["label", "support", "predicted", "exact P", "exact R", "exact F1",
              "overlap P", "overlap R", "overlap F1"]
    rows = []
    for label, row in report["labels"].items():
        if not row["support"] and not row["predicted"]:
            scores = ["-"] * 6
        else:
            scores = [_number(row[mode][key]) for mode in ("exact", "overlap") for key in ("precision", "recall", "f1")]
        rows.append([label, str(row["support"]), str(row["predicted"]), *scores])
    micro = report["micro"]
    rows.append(["micro (all labels)", str(micro["exact"]["tp"] + micro["exact"]["fn"]),
                 str(micro["exact"]["tp"] + micro["exact"]["fp"]),
                 *[_number(micro[mode][key]) for mode in ("exact", "overlap") for key in ("precision", "recall", "f1")]])
    types, roles = report["notice_type"], report["doi_role"]
    footer = [
        f"notice type accuracy: {_number(types['accuracy'])} ({types['correct']}/{types['n']} notices)"
        + (f"; confusions: {', '.join(f'{k} ({v})' for k, v in types['confusion'].items())}" if types["confusion"] else ""),
        f"DOI role accuracy: {_number(roles['accuracy'])} ({roles['correct']}/{roles['found']} gold DOIs found with the "
        f"right role; {roles['gold']} gold DOIs)",
    ]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join([f"{report['n_notices']} notices", "", *lines, "", *[f"- {f}" for f in footer]])
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [f"{report['n_notices']} notices ({report.get('gold', 'gold')}, model {report.get('model', '?')})"]
    for row in [header, *rows]:
        lines.append("  ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)))
    return "\n".join(lines + footer)


def _context(text: str, start: int, end: int, width: int) -> str:
    """``…left[span]right…`` on one line, cut to ``width`` characters around the span."""
    inner = text[start:end]
    room = max(width - len(inner) - 2, 8)
    left = text[max(0, start - room // 2):start]
    right = text[end:end + room - len(left)]
    shown = f"{left}[{inner}]{right}"
    shown = " ".join(shown.split())
    if len(shown) > width:
        shown = shown[:width - 1] + "…"
    return shown


def format_errors(errors: list[dict[str, Any]], texts: dict[tuple[str, str], str], width: int | None = None) -> str:
    """Misses (gold only) and false hits (predicted only) side by side with their context."""
    total = width or max(shutil.get_terminal_size((160, 20)).columns, 100)
    column = (total - 26) // 2
    lines = []
    for notice in errors:
        if not notice["spans"] and notice["notice_type"] == notice["predicted_type"]:
            continue
        text = texts[(notice["id"], notice["source"])]
        type_note = "" if notice["notice_type"] == notice["predicted_type"] else \
            f"  notice type: gold {notice['notice_type']}, predicted {notice['predicted_type']}"
        lines.append(f"== {notice['id']} ({notice['source']}){type_note}")
        if notice["spans"]:
            lines.append(f"   {'label':<13} {'kind':<8} {'gold (missed)':<{column}} | predicted (false hit)")
        for row in notice["spans"]:
            gold = _context(text, row["gold"].start, row["gold"].end, column) if row["gold"] else ""
            pred = _context(text, row["predicted"].start, row["predicted"].end, column) if row["predicted"] else ""
            lines.append(f"   {row['label']:<13} {row['kind']:<8} {gold:<{column}} | {pred}")
    return "\n".join(lines) if lines else "no errors"


def _error_json(notice: dict[str, Any]) -> dict[str, Any]:
    def as_dict(span):
        return None if span is None else {"start": span.start, "end": span.end, "label": span.label}

    return {**notice, "spans": [{**row, "gold": as_dict(row["gold"]), "predicted": as_dict(row["predicted"])}
                                for row in notice["spans"]]}
