"""Training: reading labelled files, label mapping, grouping, a small real training run."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

import retraction_reasons as rr
from retraction_reasons.classifier import ReasonClassifier
from retraction_reasons.training import near_duplicate_groups, read_labelled, train_model
from retraction_reasons.training.evaluate import multilabel_report


def _write_csv(path, rows, fields=("id", "text", "labels")):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_rw_reason_strings_map_to_groups(tmp_path):
    path = _write_csv(tmp_path / "rw.csv", [
        {"id": "a", "text": "The article is retracted.", "labels": "+Fake Peer Review;+Investigation by Third Party"},
        {"id": "b", "text": "The article is retracted.", "labels": "Data - Issues/Errors; Plagiarism of Text"},
    ])
    corpus = read_labelled([path])
    assert corpus.labels == [["peer_review_manipulation"], ["unreliable_data", "plagiarism"]]
    assert corpus.files[0]["labels_column"] == "labels"


def test_unknown_labels_name_the_problem(tmp_path):
    path = _write_csv(tmp_path / "bad.csv", [{"id": "a", "text": "Retracted.", "labels": "aliens;Fake Peer Review"}])
    with pytest.raises(rr.TrainingDataError) as caught:
        read_labelled([path])
    message = str(caught.value)
    assert "'aliens'" in message and "--label-set custom" in message


def test_missing_columns_name_the_columns(tmp_path):
    path = _write_csv(tmp_path / "cols.csv", [{"id": "a", "body": "x", "tags": "y"}], fields=("id", "body", "tags"))
    with pytest.raises(rr.TrainingDataError) as caught:
        read_labelled([path])
    assert "no text column 'text'" in str(caught.value) and "body" in str(caught.value)
    with pytest.raises(rr.TrainingDataError) as caught:
        read_labelled([path], text_column="body")
    assert "--labels-column" in str(caught.value)


def test_malformed_jsonl_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.jsonl"
    path.write_text('{"text": "ok", "labels": ["plagiarism"]}\n{"text": broken\n', encoding="utf-8")
    with pytest.raises(rr.TrainingDataError) as caught:
        read_labelled([path])
    assert "broken.jsonl" in str(caught.value)


def test_near_duplicates_share_a_group(notices):
    texts = [row["text"] for row in notices.values()]
    groups = near_duplicate_groups(texts, threshold=0.4)
    cluster = {groups[i] for i, t in enumerate(texts) if "peer-review process was inappropriately influenced" in t}
    assert len(cluster) == 1  # the 2015 BioMed Central template stays in one fold
    assert len(set(groups)) > len(texts) // 2


def test_shared_keys_join_groups():
    groups = near_duplicate_groups(["alpha beta gamma", "delta epsilon zeta", "eta theta iota"],
                                   shared_keys=[["10.1/x"], ["10.1/X"], []])
    assert groups[0] == groups[1] != groups[2]


def test_estimator_is_a_plain_sklearn_estimator():
    from sklearn.base import clone

    X = ["data could not be verified", "images were duplicated", "figure duplicated", "raw data unavailable"] * 5
    Y = np.array([[1, 0], [0, 1], [0, 1], [1, 0]] * 5)
    model = ReasonClassifier(threshold_cv=2, fallback_label=None)
    assert model.fit(X, Y, label_names=["data", "image"]) is model
    assert clone(model).get_params() == model.get_params()
    proba = model.predict_proba(["the images were duplicated"])
    assert proba.shape == (1, 2) and proba[0, 1] > proba[0, 0]
    assert model.predict(["data could not be verified"]).tolist() == [[1, 0]]


def test_report_counts():
    report = multilabel_report(np.array([[1, 0], [1, 1]]), np.array([[1, 1], [0, 1]]), ["a", "b"])
    assert report["per_label"]["a"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2, "predicted": 1}
    assert report["micro"]["f1"] == pytest.approx(2 * 2 / (2 * 2 + 1 + 1), abs=1e-4)


def test_train_custom_label_set_on_real_notices(tmp_path, modern_notices):
    # A user's own labels: here "concern" vs "retraction" from the notice type of real notices.
    rows = [{"id": row["id"], "text": row["text"],
             "labels": "concern" if row["notice_type"] == "expression_of_concern" else "retraction"}
            for row in modern_notices.values() if row["notice_type"] in ("retraction", "expression_of_concern")]
    path = tmp_path / "mine.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    metrics = train_model([path], tmp_path / "model", label_set="custom", n_splits=3, progress=None)
    assert metrics["labels"] == ["concern", "retraction"]
    assert set(metrics["cross_validation"]["systems"]) == {"model", "cue_rules", "tfidf_logreg", "keywords"}
    per_label = metrics["cross_validation"]["systems"]["model"]["all"]["per_label"]
    assert per_label["concern"]["support"] == sum(r["labels"] == "concern" for r in rows)
    nlp = rr.load(tmp_path / "model")
    eoc = next(r["text"] for r in rows if r["labels"] == "concern")
    result = rr.classify(eoc, model=nlp)
    assert set(result.scores) == {"concern", "retraction"}
    assert (tmp_path / "model" / "MODEL_CARD.md").read_text().count("| concern |") == 1
