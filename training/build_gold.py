"""Build the entity gold files (data/gold/dev.jsonl, data/gold/test.jsonl) from the raw annotations.

    python training/build_gold.py [--raw data/gold/raw] [--corpora ../shared/data] [--out data/gold]

The raw annotations (``data/gold/raw/part*.jsonl``, one per annotator) hold span texts, so
they are local only (gitignored) and never committed; the gold files written here hold
character offsets and the sha256 of each text only. A raw line is
``{"id", "source", "notice_type", "spans": [{"label", "text", "occurrence"}], "note"}``, where
``occurrence`` is the 1-based index of ``text`` among its non-overlapping occurrences, left to
right. ``data/gold/raw/adjudication.jsonl`` (also local) records the decisions taken by re-reading
dev notices: ``{"id", "action": "add" | "remove", "label", "text", "occurrence", "why"}``.

Steps, each reproducible from the raw files:

1. resolve every occurrence to offsets in the corpus text;
2. harmonise the annotators (the decisions of ``data/gold/GUIDELINES.md``, "Harmonisation"),
   each decision a function below;
3. apply the adjudication file;
4. check (offsets inside the text, no white space at the edges, no overlap within a label, known
   labels and notice types) and write every side in the order of ``split.json``.

Only counts are printed, per split: test notices are never shown (GUIDELINES.md).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))  # run from a checkout without installing

from retraction_reasons import _resources  # noqa: E402
from retraction_reasons.gold import GoldNotice, GoldSpan, check_spans, corpus_texts, text_sha256, write_gold  # noqa: E402
from retraction_reasons.pipeline.entities import ENTITY_LABELS  # noqa: E402
from retraction_reasons.pipeline.notice_type import NOTICE_TYPES  # noqa: E402

GOLD_DIR = HERE.parent / "data" / "gold"


@dataclass
class Notice:
    """A notice being harmonised: mutable spans over its text."""

    id: str
    source: str
    side: str
    text: str
    notice_type: str
    spans: set[GoldSpan] = field(default_factory=set)

    def of(self, label: str) -> list[GoldSpan]:
        return sorted(s for s in self.spans if s.label == label)

    def span_text(self, span: GoldSpan) -> str:
        return self.text[span.start:span.end]


def locate(text: str, needle: str, occurrence: int) -> int | None:
    """Start of the ``occurrence``-th non-overlapping occurrence of ``needle`` (1-based)."""
    position, seen = 0, 0
    while True:
        found = text.find(needle, position)
        if found < 0:
            return None
        seen += 1
        if seen == occurrence:
            return found
        position = found + len(needle)


def read_raw(raw_dir: Path, texts: dict[tuple[str, str], str], sides: dict[str, str]) -> list[Notice]:
    notices = []
    for part in sorted(raw_dir.glob("part*.jsonl")):
        for number, line in enumerate(part.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            record = json.loads(line)
            key = (record["source"], record["id"])
            if key not in texts:
                raise SystemExit(f"{part}:{number}: {key} is not in the corpora")
            if record["id"] not in sides:
                raise SystemExit(f"{part}:{number}: {record['id']} is not in split.json")
            notice = Notice(record["id"], record["source"], sides[record["id"]], texts[key], record["notice_type"])
            for span in record["spans"]:
                start = locate(notice.text, span["text"], span["occurrence"])
                if start is None:
                    raise SystemExit(f"{part}:{number}: {record['id']}: a {span['label']} span is not in the text")
                notice.spans.add(GoldSpan(start, start + len(span["text"]), span["label"]))
            notices.append(notice)
    return notices


# -- harmonisation decisions (GUIDELINES.md, "Harmonisation") ----------------------------------
# Each takes a notice and returns how many spans it changed.

_PRONOUNS = {"we", "i", "us", "they", "he", "she", "nous", "je", "il", "elle", "ils", "wir", "ich"}
_PRONOUN_LEAD = re.compile(r"^(?:we|i|he|she|they|nous|wir)(?:,\s*|\s+and\s+)(?=\S)", re.IGNORECASE)
_APPOSITIVE = re.compile(
    r",\s+(?P<np>(?:the|all|both) (?:[\w‐-]+ ){0,3}(?:authors?|co-?authors?|editors?|Editors?(?:[- ‐]in[- ‐]Chief)?"
    r"|journal|Journal|publishers?|Publishers?|Editorial Board|board))(?=,)")


def pronoun_requesters(notice: Notice) -> int:
    """1. A pronoun is not a REQUESTER; the noun phrase in the same clause is ("We, the authors,")."""
    changed = 0
    for span in notice.of("REQUESTER"):
        words = notice.span_text(span)
        if words.lower() in _PRONOUNS:
            notice.spans.discard(span)
            changed += 1
            appositive = _APPOSITIVE.match(notice.text, span.end)
            if appositive:
                notice.spans.add(GoldSpan(appositive.start("np"), appositive.end("np"), "REQUESTER"))
                changed += 1
            continue
        lead = _PRONOUN_LEAD.match(words)
        if lead:
            notice.spans.discard(span)
            notice.spans.add(GoldSpan(span.start + lead.end(), span.end, "REQUESTER"))
            changed += 1
    return changed


_ROLE = r"(?:[Cc]hief [Ee]ditor|[Ee]ditors?(?:[- ‐](?:in|In)[- ‐][Cc]hief)?|Co-Editors?-in-Chief)"
_PERSON = r"(?:(?:[Pp]rofessor|Prof\.?|Dr\.?)\s+)?[A-Z][\w'’.‐-]*(?:\s+[A-Z][\w'’.‐-]*){0,4}(?:,\s*(?:M\.?D\.?|Ph\.?D\.?))*"
_NAME_AFTER_ROLE = re.compile(rf"^(?P<keep>.*?\b{_ROLE}),?\s+{_PERSON}$")
_NAME_BEFORE_ROLE = re.compile(rf"^{_PERSON},\s+(?P<keep>(?:the )?(?:journal )?{_ROLE}.*)$")


def editor_names_in_requesters(notice: Notice) -> int:
    """3. A person's name is not part of a REQUESTER span: "the journal Editor-in-Chief"."""
    changed = 0
    for span in notice.of("REQUESTER"):
        words = notice.span_text(span)
        for pattern in (_NAME_AFTER_ROLE, _NAME_BEFORE_ROLE):
            found = pattern.match(words)
            if found:
                start = span.start + found.start("keep")
                notice.spans.discard(span)
                notice.spans.add(GoldSpan(start, span.start + found.end("keep"), "REQUESTER"))
                changed += 1
                break
    return changed


_INITIALS_ONLY = re.compile(r"^(?:[A-Z]\.\s?)+$")


def author_trailing_periods(notice: Notice) -> int:
    """4. No trailing period on an AUTHOR span ("Scarpati G." -> "Scarpati G"), except a name
    written as initials only ("A.M.")."""
    changed = 0
    for span in notice.of("AUTHOR"):
        if notice.text[span.end - 1] == "." and not _INITIALS_ONLY.match(notice.span_text(span)):
            notice.spans.discard(span)
            notice.spans.add(GoldSpan(span.start, span.end - 1, "AUTHOR"))
            changed += 1
    return changed


_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?")
_MONTH_RANGE = re.compile(rf"\b{_MONTH}\s?(?:[-–/]|to)\s?{_MONTH},? (?:19|20)\d\d\b")


def month_ranges(notice: Notice) -> int:
    """6. A month range with its year ("April-June 2013", "May-Aug 2010") is one DATE span."""
    changed = 0
    for found in _MONTH_RANGE.finditer(notice.text):
        whole = GoldSpan(found.start(), found.end(), "DATE")
        inside = [s for s in notice.of("DATE") if s.start < whole.end and whole.start < s.end]
        if inside == [whole]:
            continue
        for span in inside:
            notice.spans.discard(span)
        notice.spans.add(whole)
        changed += 1
    return changed


HARMONISATION: tuple[tuple[str, Callable[[Notice], int]], ...] = (
    ("1 pronoun requesters", pronoun_requesters),
    ("3 editor names in requesters", editor_names_in_requesters),
    ("4 author trailing periods", author_trailing_periods),
    ("6 month ranges as DATE", month_ranges),
)


def agreement_parties(notice: Notice) -> tuple[int, int]:
    """5. (checked, not changed) ``retracted by agreement between A, B and C``: one REQUESTER a
    party. Returns (agreements seen, agreements with fewer than two REQUESTER spans after them)."""
    seen = short = 0
    for found in re.finditer(r"by agree\w+ (?:between|of|with)", notice.text):
        seen += 1
        window_end = notice.text.find(".", found.end() + 40)
        window_end = len(notice.text) if window_end < 0 else window_end
        parties = [s for s in notice.of("REQUESTER") if found.end() <= s.start < window_end]
        short += len(parties) < 2
    return seen, short


def apply_adjudication(notices: dict[str, Notice], path: Path) -> Counter:
    """Apply the decisions recorded after re-reading notices (add / remove a span)."""
    counts: Counter = Counter()
    if not path.is_file():
        return counts
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        record = json.loads(line)
        notice = notices.get(record["id"])
        if notice is None:
            raise SystemExit(f"{path}:{number}: unknown notice {record['id']}")
        start = locate(notice.text, record["text"], record.get("occurrence", 1))
        if start is None:
            raise SystemExit(f"{path}:{number}: {record['id']}: text not found")
        span = GoldSpan(start, start + len(record["text"]), record["label"])
        if record["action"] == "add":
            notice.spans.add(span)
        elif record["action"] == "remove":
            if span not in notice.spans:
                raise SystemExit(f"{path}:{number}: {record['id']}: no such {record['label']} span to remove")
            notice.spans.discard(span)
        elif record["action"] == "type":
            notice.notice_type = record["notice_type"]
        else:
            raise SystemExit(f"{path}:{number}: unknown action {record['action']!r}")
        counts[(notice.side, record["action"])] += 1
    return counts


def build(raw_dir: Path, corpora: Path, out_dir: Path, split_path: Path) -> dict[str, list[GoldNotice]]:
    split = json.loads(split_path.read_text(encoding="utf-8"))
    sides = {item["id"]: side for side, items in split.items() for item in items}
    texts = corpus_texts(corpora)
    notices = {n.id: n for n in read_raw(raw_dir, texts, sides)}
    missing = sorted(set(sides) - set(notices))
    if missing:
        raise SystemExit(f"{len(missing)} notices of split.json have no raw annotation")
    changes: Counter = Counter()
    for name, decision in HARMONISATION:
        for notice in notices.values():
            changes[(notice.side, name)] += decision(notice)
    for notice in notices.values():
        seen, short = agreement_parties(notice)
        changes[(notice.side, "5 agreements seen")] += seen
        changes[(notice.side, "5 agreements with < 2 REQUESTER")] += short
    changes.update(apply_adjudication(notices, raw_dir / "adjudication.jsonl"))
    result: dict[str, list[GoldNotice]] = {}
    for side, items in split.items():
        gold = []
        for item in items:
            notice = notices[item["id"]]
            if notice.notice_type not in NOTICE_TYPES:
                raise SystemExit(f"{notice.id}: notice type {notice.notice_type!r} unknown")
            unknown = {s.label for s in notice.spans} - set(ENTITY_LABELS)
            if unknown:
                raise SystemExit(f"{notice.id}: unknown labels {sorted(unknown)}")
            check_spans(notice.text, notice.spans, f"{side} notice {notice.id}")
            gold.append(GoldNotice(notice.id, notice.source, text_sha256(notice.text), notice.notice_type,
                                   tuple(sorted(notice.spans))))
        write_gold(out_dir / f"{side}.jsonl", gold)
        result[side] = gold
    for (side, name), count in sorted(changes.items()):
        print(f"{side:<5} {name:<36} {count}")
    for side, gold in result.items():
        labels = Counter(s.label for n in gold for s in n.spans)
        print(f"{side}: {len(gold)} notices, {sum(labels.values())} spans: "
              + ", ".join(f"{label} {labels[label]}" for label in ENTITY_LABELS))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=GOLD_DIR / "raw")
    parser.add_argument("--corpora", type=Path, default=_resources.corpora_dir())
    parser.add_argument("--out", type=Path, default=GOLD_DIR)
    parser.add_argument("--split", type=Path, default=GOLD_DIR / "split.json")
    args = parser.parse_args()
    build(args.raw, args.corpora, args.out, args.split)


if __name__ == "__main__":
    main()
