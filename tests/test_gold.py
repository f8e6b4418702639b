"""The entity gold set: offsets only in the repository, joined with the corpora, refused when a
text changed, convertible to a spaCy DocBin, rebuilt identically from the raw annotations."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from spacy.tokens import DocBin

from retraction_reasons.gold import (
    GOLD_SOURCES,
    GoldDataError,
    GoldTextChangedError,
    gold_docbin,
    load_gold,
    read_gold_records,
    text_sha256,
)
from retraction_reasons.pipeline import ENTITY_SPANS_KEY, build_rule_pipeline
from retraction_reasons.pipeline.entities import ENTITY_LABELS
from retraction_reasons.pipeline.notice_type import NOTICE_TYPES

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "data" / "gold"


@pytest.fixture(scope="module")
def dev(corpora_dir):
    return load_gold(GOLD / "dev.jsonl", corpora_dir)


SIDES = ("dev", "test", "dev2")


def test_gold_files_hold_offsets_not_texts():
    for side in SIDES:
        for line in (GOLD / f"{side}.jsonl").read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            assert set(record) == {"id", "source", "text_sha256", "notice_type", "spans"}
            assert all(set(span) == {"start", "end", "label"} for span in record["spans"])


def test_split_is_the_fixed_one_and_covers_every_source():
    split = json.loads((GOLD / "split.json").read_text(encoding="utf-8"))
    assert set(split) == set(SIDES)
    records = {side: read_gold_records(GOLD / f"{side}.jsonl") for side in SIDES}
    for side, notices in records.items():
        assert [n.id for n in notices] == [item["id"] for item in split[side]]
    ids = {side: {n.id for n in notices} for side, notices in records.items()}
    assert sum(map(len, ids.values())) == len(set().union(*ids.values()))  # no notice on two sides
    every = records["dev"] + records["test"]
    assert len(every) >= 150
    assert set(Counter(n.source for n in every)) == set(GOLD_SOURCES)
    assert {n.notice_type for n in every} <= set(NOTICE_TYPES)
    assert {s.label for n in every for s in n.spans} == set(ENTITY_LABELS)
    # split by (source, publisher) group: no group on both sides
    groups = {side: {item["group"] for item in split[side]} for side in split}
    assert not groups["dev"] & groups["test"]
    assert not groups["dev2"] & groups["test"]  # added later, from groups with no test notice


def test_joined_spans_are_real_text(dev):
    for notice in dev:
        assert text_sha256(notice.text) == notice.text_sha256
        for label, text in notice.span_texts():
            assert label in ENTITY_LABELS and text == text.strip() and text


def _copy_corpora(corpora_dir: Path, target: Path, change_id: str | None = None) -> Path:
    target.mkdir()
    for name in GOLD_SOURCES:
        lines = []
        for line in (corpora_dir / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["id"] == change_id:
                row["text"] = row["text"].replace(" ", "  ", 1)
            lines.append(json.dumps(row, ensure_ascii=False))
        (target / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def test_a_changed_text_is_refused(corpora_dir, tmp_path):
    first = read_gold_records(GOLD / "dev.jsonl")[0]
    changed = _copy_corpora(corpora_dir, tmp_path / "corpora", change_id=first.id)
    with pytest.raises(GoldTextChangedError) as err:
        load_gold(GOLD / "dev.jsonl", changed)
    message = str(err.value)
    assert "[RR311]" in message and first.id in message and "changed" in message


def test_missing_corpora_and_files_are_clear_errors(tmp_path):
    with pytest.raises(GoldDataError, match="corpus file"):
        load_gold(GOLD / "dev.jsonl", tmp_path)
    with pytest.raises(GoldDataError, match="no gold file"):
        load_gold(tmp_path / "nope.jsonl", tmp_path)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    with pytest.raises(GoldDataError, match="bad.jsonl:1"):
        read_gold_records(bad)


def test_docbin_round_trip_keeps_spans_ents_and_notice_type(dev):
    nlp = build_rule_pipeline()
    notices = dev[:12]
    data = gold_docbin(nlp, notices).to_bytes()
    docs = list(DocBin().from_bytes(data).get_docs(nlp.vocab))
    assert len(docs) == len(notices)
    for doc, notice in zip(docs, notices):
        assert doc.text == notice.text
        spans = sorted((s.start_char, s.end_char, s.label_) for s in doc.spans[ENTITY_SPANS_KEY])
        assert spans == sorted((s.start, s.end, s.label) for s in notice.spans)
        assert doc.user_data["gold"]["notice_type"] == notice.notice_type == doc._.notice_type
        tokens = [i for ent in doc.ents for i in range(ent.start, ent.end)]
        assert len(tokens) == len(set(tokens)) and len(doc.ents) > 0


@pytest.mark.skipif(not (GOLD / "raw" / "part1.jsonl").is_file(),
                    reason="the raw annotations are local only (they hold span texts)")
def test_build_gold_reproduces_the_gold_files(corpora_dir, tmp_path):
    out = tmp_path / "gold"
    run = subprocess.run([sys.executable, str(ROOT / "training" / "build_gold.py"), "--corpora", str(corpora_dir),
                          "--out", str(out)], capture_output=True, text=True, check=True)
    assert "dev: 85 notices" in run.stdout and "dev2: 60 notices" in run.stdout
    for side in SIDES:
        assert (out / f"{side}.jsonl").read_bytes() == (GOLD / f"{side}.jsonl").read_bytes()
