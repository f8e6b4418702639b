"""evaluate-entities: per-label exact and token-overlap scores against the gold set, via the
library and the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retraction_reasons.cli import main
from retraction_reasons.gold import GoldNotice, GoldSpan, load_gold
from retraction_reasons.pipeline import build_rule_pipeline
from retraction_reasons.pipeline.entities import ENTITY_LABELS
from retraction_reasons.training.entity_evaluation import ANY_DOI, evaluate_entities, match_overlap, score_entities

GOLD = Path(__file__).resolve().parent.parent / "data" / "gold"


@pytest.fixture(scope="module")
def dev_report(corpora_dir):
    gold = load_gold(GOLD / "dev.jsonl", corpora_dir)
    return evaluate_entities(build_rule_pipeline(), gold, with_errors=True)


def test_match_overlap_pairs_each_span_at_most_once():
    gold = [GoldSpan(0, 10, "REASON_CUE"), GoldSpan(20, 30, "REASON_CUE")]
    predicted = [GoldSpan(2, 5, "REASON_CUE"), GoldSpan(5, 9, "REASON_CUE"), GoldSpan(25, 40, "REASON_CUE"),
                 GoldSpan(50, 60, "REASON_CUE")]
    pairs = match_overlap(gold, predicted)
    assert len(pairs) == 2
    assert {g for g, _ in pairs} == set(gold)
    assert len({p for _, p in pairs}) == 2


def test_report_has_every_label_and_consistent_counts(dev_report):
    assert dev_report["n_notices"] == 85
    assert set(dev_report["labels"]) == {*ENTITY_LABELS, ANY_DOI}
    for label, row in dev_report["labels"].items():
        for mode in ("exact", "overlap"):
            scores = row[mode]
            assert 0.0 <= scores["precision"] <= 1.0 and 0.0 <= scores["recall"] <= 1.0
            assert scores["tp"] + scores["fn"] == row["support"]
            assert scores["tp"] + scores["fp"] == row["predicted"]
        exact = row["exact"]
        if exact["tp"]:  # spaCy's scorer (exact figures) agrees with the counts
            assert exact["precision"] == pytest.approx(exact["tp"] / row["predicted"])
            assert exact["recall"] == pytest.approx(exact["tp"] / row["support"])
        assert row["overlap"]["tp"] >= row["exact"]["tp"]
    types = dev_report["notice_type"]
    assert types["n"] == 85 and 0 <= types["correct"] <= 85
    roles = dev_report["doi_role"]
    assert roles["correct"] <= roles["found"] <= roles["gold"]


def test_errors_list_misses_and_false_hits(dev_report):
    errors = dev_report["errors"]
    assert len(errors) == 85
    kinds = {row["kind"] for notice in errors for row in notice["spans"]}
    assert kinds <= {"boundary", "missed", "false"} and kinds
    for notice in errors:
        for row in notice["spans"]:
            assert (row["gold"] is None) == (row["kind"] == "false")
            assert (row["predicted"] is None) == (row["kind"] == "missed")


def test_perfect_prediction_scores_one(corpora_dir):
    """Scoring the gold docs against themselves gives F1 = 1 for every label present."""
    from retraction_reasons.gold import gold_docs

    nlp = build_rule_pipeline()
    gold = load_gold(GOLD / "dev.jsonl", corpora_dir)[:10]
    report = score_entities(nlp, gold_docs(nlp, gold), gold)
    for label, row in report["labels"].items():
        if row["support"]:
            assert row["exact"]["f1"] == pytest.approx(1.0) and row["overlap"]["f1"] == pytest.approx(1.0)
    assert report["notice_type"]["accuracy"] == 1.0


def test_cli_table_json_and_errors(corpora_dir, capsys):
    args = ["evaluate-entities", "--gold", str(GOLD / "dev.jsonl"), "--corpora", str(corpora_dir)]
    assert main([*args, "--patterns", str(GOLD.parent / "patterns")]) == 0
    table = capsys.readouterr().out
    assert "exact F1" in table and "overlap F1" in table and "notice type accuracy" in table
    assert all(label in table for label in ENTITY_LABELS)
    assert main([*args, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["model"] == "default" and set(report["labels"]) == {*ENTITY_LABELS, ANY_DOI}
    assert main([*args, "--patterns", str(GOLD.parent / "patterns"), "--errors"]) == 0
    out = capsys.readouterr().out
    assert "gold (missed)" in out and "predicted (false hit)" in out and "== " in out


def test_cli_refuses_a_missing_gold_file(tmp_path, capsys):
    assert main(["evaluate-entities", "--gold", str(tmp_path / "none.jsonl")]) == 2
    assert "no gold file" in capsys.readouterr().err


def test_gold_notice_needs_its_text():
    notice = GoldNotice("x", "notices.jsonl", "0" * 64, "retraction", (GoldSpan(0, 1, "DATE"),))
    with pytest.raises(Exception, match="load_gold"):
        notice.span_texts()
