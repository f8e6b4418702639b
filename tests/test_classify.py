"""The Python API on real notices: the user's example notice and the project's own examples."""

from __future__ import annotations

from pathlib import Path

import pytest

import retraction_reasons as rr

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"


def _example(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def test_seed_notice_type_and_reason(seed_text):
    result = rr.classify(seed_text)
    assert result.notice_type == "retraction"
    assert result.reason_ids == ["unreliable_data"]
    reason = result.reasons[0]
    assert reason.name == "Unreliable data or results"
    assert "unable to confirm the validity of the data" in reason.evidence
    assert reason.evidence in seed_text
    assert not reason.fallback


def test_seed_entities(seed_text):
    result = rr.classify(seed_text)
    texts = lambda label: [e.text for e in result.entities_of(label)]  # noqa: E731
    assert texts("NOTICE_DOI") == ["10.3389/fcell.2024.1445354"]
    assert texts("ARTICLE_DOI") == ["10.3389/fcell.2021.607001"]
    assert "Front. Cell Dev. Biol." in texts("JOURNAL")
    assert "Frontiers" in texts("PUBLISHER")
    assert any("Research Integrity department" in t for t in texts("INVESTIGATOR"))
    assert texts("AUTHOR") == ["Wei H", "Wang J", "Xu Z", "Li W", "Wu X", "Zhuo C", "Lu Y", "Long X", "Tang Q", "Pu J"]
    assert "07 June 2024" in texts("DATE")
    requesters = result.entities_of("REQUESTER")
    assert [(e.text, e.norm) for e in requesters] == [("The Journal", "editor")]
    cues = result.entities_of("REASON_CUE")
    assert "data validity unconfirmed" in {c.norm for c in cues}


@pytest.mark.parametrize(
    ("name", "notice_type", "expected"),
    [
        ("image_duplication.txt", "retraction", {"image_problems"}),
        ("peer_review.txt", "retraction", {"peer_review_manipulation"}),
        ("plagiarism.txt", "retraction", {"plagiarism"}),
        ("expression_of_concern.txt", "expression_of_concern", None),
    ],
)
def test_examples(name, notice_type, expected):
    result = rr.classify(_example(name))
    assert result.notice_type == notice_type
    if expected is not None:
        assert expected <= set(result.reason_ids)


def test_no_reason_stated_is_the_answer_not_a_guess():
    result = rr.classify(_example("no_reason.txt"))
    assert result.reason_ids == ["no_reason_stated"]
    assert "no_reason_cue" in result.flags


def test_to_dict_contract(seed_text):
    payload = rr.classify(seed_text).to_dict()
    assert {"notice_type", "reasons", "entities", "model", "scores", "flags", "error", "language"} <= set(payload)
    assert payload["model"]["name"] and payload["model"]["version"]
    for reason in payload["reasons"]:
        assert {"id", "name", "score", "evidence"} <= set(reason)
        assert 0.0 <= reason["score"] <= 1.0
    scores = [r["score"] for r in payload["reasons"]]
    assert scores == sorted(scores, reverse=True)
    assert set(payload["scores"]) == set(rr.model_info(rr.load())["labels"])
    for entity in payload["entities"]:
        assert {"label", "text", "start", "end"} <= set(entity)
        assert seed_text[entity["start"]:entity["end"]] == entity["text"]
    for reason in payload["reasons"]:
        for span in reason["evidence_spans"]:
            assert seed_text[span["start"]:span["end"]] == span["text"]


def test_every_label_scored_and_thresholds_applied_when_read(seed_text):
    nlp = rr.load()
    doc = nlp(seed_text)
    info = rr.model_info(nlp)
    assert set(doc.cats) == set(info["labels"])
    assert all(isinstance(v, float) for v in doc.cats.values())
    over = {label for label, score in doc.cats.items() if score >= info["thresholds"][label]}
    assert {r.id for r in doc._.reasons} == over or [r.id for r in doc._.reasons] == ["no_reason_stated"]
    assert len(doc.ents) > 0


def test_classify_many_matches_classify_and_keeps_order(modern_notices):
    texts = [row["text"] for row in list(modern_notices.values())[:25]]
    many = rr.classify_many(texts, batch_size=7)
    assert len(many) == len(texts)
    for text, result in zip(texts, many):
        assert result.to_dict() == rr.classify(text).to_dict()


def test_classify_many_flags_bad_rows_without_stopping():
    texts = [_example("peer_review.txt"), "   ", b"\x00\x01binary", _example("plagiarism.txt")]
    results = rr.classify_many(texts, on_error="flag")
    assert [r.error_kind for r in results] == [None, "empty", "not_text", None]
    assert results[0].reason_ids and results[3].reason_ids
    assert results[1].reasons == () and "empty" in results[1].error
    with pytest.raises(rr.EmptyNoticeError):
        rr.classify_many(texts, on_error="raise")


def test_real_peer_review_cluster_is_recognised(notices):
    # The 2015 BioMed Central template ("the peer-review process was inappropriately
    # influenced and compromised"): Retraction Watch files these under fake peer review.
    texts = [row["text"] for row in notices.values() if "inappropriately influenced" in row["text"]]
    assert len(texts) >= 10
    results = rr.classify_many(texts)
    assert all("peer_review_manipulation" in r.reason_ids for r in results)


def test_model_info_lists_labels_thresholds_metrics():
    info = rr.model_info(rr.load())
    assert info["name"] == "retraction_reasons_default"
    assert set(info["thresholds"]) == set(info["labels"])
    assert set(info["labels"]) == set(rr.load_taxonomy().group_ids)
    assert info["metrics"]["model"]["micro"]["f1"] > info["metrics"]["keywords"]["micro"]["f1"]
