"""Baselines the reason classifier is measured against, in the same folds of the same run.

- :class:`KeywordBaseline`: a label is predicted when one of a few obvious keywords occurs
  (what a quick script would do).
- :func:`tfidf_logreg_baseline`: plain TF-IDF word n-grams + one logistic regression a label,
  threshold 0.5, no rule features.
- :class:`CueRulesBaseline`: the pipeline's reason cues alone (a group is predicted when one of
  its cues fired; ``no_reason_stated`` when none did).
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from .estimator import ReasonClassifier, notice_rule_features, notice_text

__all__ = ["KeywordBaseline", "CueRulesBaseline", "tfidf_logreg_baseline", "DEFAULT_KEYWORDS"]

DEFAULT_KEYWORDS: dict[str, tuple[str, ...]] = {
    "unreliable_data": ("unreliable", "validity of the data", "reliability"),
    "image_problems": ("image", "figure", "duplicat"),
    "fabrication_falsification": ("fabricat", "falsif"),
    "plagiarism": ("plagiari", "overlap"),
    "duplicate_publication": ("duplicate publication", "previously published", "redundant"),
    "peer_review_manipulation": ("peer review", "peer-review", "reviewer"),
    "paper_mill": ("paper mill",),
    "honest_error": ("error", "mistake"),
    "publisher_error": ("published in error", "publisher error"),
    "ethics_approval": ("ethic", "consent", "approval"),
    "authorship_affiliation": ("authorship", "affiliation"),
    "permission_legal": ("permission", "copyright", "legal"),
    "conflict_of_interest": ("conflict of interest", "competing interest"),
    "misconduct_finding": ("misconduct",),
    "no_reason_stated": (),
    "other": (),
}


class KeywordBaseline(ClassifierMixin, BaseEstimator):
    """Predict a label when one of its keywords occurs (case-insensitive).

    Parameters
    ----------
    keywords : dict of str to tuple of str or None
        Keywords a label; default :data:`DEFAULT_KEYWORDS`, and the words of the label id for
        labels outside it.
    fallback_label : str or None, default="no_reason_stated"
    """

    def __init__(self, *, keywords: dict[str, tuple[str, ...]] | None = None,
                 fallback_label: str | None = "no_reason_stated") -> None:
        self.keywords = keywords
        self.fallback_label = fallback_label

    def fit(self, X: Sequence[Any], y: Any, groups: Any = None, label_names: Sequence[str] | None = None) -> "KeywordBaseline":
        Y = np.asarray(y)
        self.classes_ = np.array(list(label_names) if label_names is not None else [str(i) for i in range(Y.shape[1])])
        table = self.keywords or DEFAULT_KEYWORDS
        self.keywords_ = {label: table.get(label, tuple(label.replace("_", " ").split())) for label in self.classes_}
        return self

    def predict_proba(self, X: Sequence[Any]) -> np.ndarray:
        out = np.zeros((len(X), len(self.classes_)))
        for row, item in enumerate(X):
            text = notice_text(item).lower()
            for column, label in enumerate(self.classes_):
                if any(word in text for word in self.keywords_[label]):
                    out[row, column] = 1.0
        return _with_fallback(out, self.classes_, self.fallback_label)

    def predict(self, X: Sequence[Any]) -> np.ndarray:
        return (self.predict_proba(X) >= 0.5).astype(int)


class CueRulesBaseline(ClassifierMixin, BaseEstimator):
    """Predict the groups whose reason cues fired (rule features ``cue_group=<label>``)."""

    def __init__(self, *, fallback_label: str | None = "no_reason_stated") -> None:
        self.fallback_label = fallback_label

    def fit(self, X: Sequence[Any], y: Any, groups: Any = None, label_names: Sequence[str] | None = None) -> "CueRulesBaseline":
        Y = np.asarray(y)
        self.classes_ = np.array(list(label_names) if label_names is not None else [str(i) for i in range(Y.shape[1])])
        return self

    def predict_proba(self, X: Sequence[Any]) -> np.ndarray:
        index = {label: i for i, label in enumerate(self.classes_)}
        out = np.zeros((len(X), len(self.classes_)))
        for row, item in enumerate(X):
            for feature in notice_rule_features(item):
                if feature.startswith("cue_group="):
                    column = index.get(feature.split("=", 1)[1])
                    if column is not None:
                        out[row, column] = 1.0
        return _with_fallback(out, self.classes_, self.fallback_label)

    def predict(self, X: Sequence[Any]) -> np.ndarray:
        return (self.predict_proba(X) >= 0.5).astype(int)


def _with_fallback(out: np.ndarray, classes: np.ndarray, fallback: str | None) -> np.ndarray:
    if fallback is not None and fallback in list(classes):
        column = list(classes).index(fallback)
        empty = np.delete(out, column, axis=1).sum(axis=1) == 0
        out[empty, column] = 1.0
    return out


def tfidf_logreg_baseline(random_state: int = 0) -> ReasonClassifier:
    """Plain TF-IDF + logistic regression (balanced class weights): text only, threshold 0.5, no fallback label."""
    return ReasonClassifier(use_rules=False, own_cue_weight=0.0, threshold_cv=0, fallback_label=None,
                            class_weight="balanced", random_state=random_state)
