"""Scores: per-label precision, recall, F1 and support; micro and macro F1; grouped CV."""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import GroupKFold

__all__ = ["multilabel_report", "grouped_oof_predictions", "evaluate_model", "MIN_SUPPORT_FOR_MACRO"]

#: The headline macro-F1 averages over labels with at least this many examples.
MIN_SUPPORT_FOR_MACRO = 10


def multilabel_report(Y_true: np.ndarray, Y_pred: np.ndarray, labels: Sequence[str]) -> dict[str, Any]:
    """Per-label and averaged scores of an indicator-matrix prediction."""
    Y_true = np.asarray(Y_true, dtype=int)
    Y_pred = np.asarray(Y_pred, dtype=int)
    per_label = {}
    tp_all = fp_all = fn_all = 0
    for column, label in enumerate(labels):
        truth, pred = Y_true[:, column] == 1, Y_pred[:, column] == 1
        tp, fp, fn = int((truth & pred).sum()), int((~truth & pred).sum()), int((truth & ~pred).sum())
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
                            "support": int(truth.sum()), "predicted": int(pred.sum())}
    micro_p = tp_all / (tp_all + fp_all) if tp_all + fp_all else 0.0
    micro_r = tp_all / (tp_all + fn_all) if tp_all + fn_all else 0.0
    micro_f1 = 2 * micro_p * micro_r / (micro_p + micro_r) if micro_p + micro_r else 0.0
    supported = [v["f1"] for v in per_label.values() if v["support"] > 0]
    frequent = [v["f1"] for v in per_label.values() if v["support"] >= MIN_SUPPORT_FOR_MACRO]
    exact = float(np.mean((Y_true == Y_pred).all(axis=1))) if len(Y_true) else 0.0
    return {
        "n_notices": int(len(Y_true)),
        "micro": {"precision": round(micro_p, 4), "recall": round(micro_r, 4), "f1": round(micro_f1, 4)},
        "macro_f1": round(float(np.mean(supported)), 4) if supported else 0.0,
        f"macro_f1_support_ge_{MIN_SUPPORT_FOR_MACRO}": round(float(np.mean(frequent)), 4) if frequent else 0.0,
        "exact_match": round(exact, 4),
        "per_label": per_label,
    }


def grouped_oof_predictions(estimator: Any, X: Sequence[Any], Y: np.ndarray, groups: np.ndarray,
                            labels: Sequence[str], n_splits: int = 5,
                            progress: Callable[[str], None] | None = None) -> np.ndarray:
    """Out-of-fold predictions (indicator matrix) of ``estimator`` in grouped K-fold CV.

    Each fold fits a clone on the other folds (passing ``groups`` so that thresholds are tuned
    by an inner grouped CV on the training part only) and predicts the held-out fold.
    """
    predictions = np.zeros_like(Y)
    splitter = GroupKFold(n_splits=n_splits)
    for fold, (train, test) in enumerate(splitter.split(X, Y, groups=groups), start=1):
        model = clone(estimator)
        model.fit([X[i] for i in train], Y[train], groups=groups[train], label_names=labels)
        predictions[test] = model.predict([X[i] for i in test])
        if progress:
            progress(f"  fold {fold}/{n_splits} done ({len(test)} held out)")
    return predictions


def evaluate_model(nlp, texts: Sequence[str], Y: np.ndarray, labels: Sequence[str], batch_size: int = 256) -> dict[str, Any]:
    """Score a loaded model on labelled texts; labels outside the model count as never predicted."""
    from ..pipeline.extensions import ReasonPrediction  # noqa: F401  (extensions registered)

    predicted = np.zeros_like(Y)
    index = {label: i for i, label in enumerate(labels)}
    for row, doc in enumerate(nlp.pipe(texts, batch_size=batch_size)):
        for reason in doc._.reasons:
            if reason.id in index:
                predicted[row, index[reason.id]] = 1
    return multilabel_report(Y, predicted, labels)
