"""The reason classifier: a plain scikit-learn estimator, no spaCy inside.

Input ``X`` is a sequence of notices, each a mapping with

- ``"text"``: the notice text, and
- ``"features"``: a list of symbolic features found by the rule pipeline
  (``"cue=unreliable_data.validity_unconfirmed"``, ``"cue_group=unreliable_data"``,
  ``"notice_type=retraction"``, ``"requester=authors"``, ``"has=INVESTIGATOR"``, ``"no_cue"``...),

or a plain string (text only, no rule features). ``Y`` is a binary indicator matrix of shape
(n_samples, n_labels). One logistic regression a label over TF-IDF word n-grams and the rule
features; per-label thresholds are chosen by grouped cross-validation inside ``fit``.
"""

from __future__ import annotations

import re
import warnings
from typing import Any, Mapping, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, KFold
from sklearn.utils.validation import check_is_fitted

__all__ = ["ReasonClassifier", "best_thresholds", "notice_text", "notice_rule_features"]

_NUMBER = re.compile(r"\d+")


def notice_text(item: Any) -> str:
    """The text of one input item (a string or a mapping with ``"text"``)."""
    if isinstance(item, str):
        return item
    return item.get("text", "") or ""


def notice_rule_features(item: Any) -> list[str]:
    """The rule features of one input item (none for a plain string)."""
    if isinstance(item, str):
        return []
    return list(item.get("features", []) or [])


def _normalise_text(text: str) -> str:
    return _NUMBER.sub("0", text.lower())


def _identity(tokens: list[str]) -> list[str]:
    return tokens


class ReasonClassifier(ClassifierMixin, BaseEstimator):
    """Multi-label reason classifier over text and rule features.

    Parameters
    ----------
    C : float, default=4.0
        Inverse regularisation strength of each label's logistic regression.
    rule_weight : float, default=0.5
        Scale of the rule-feature block relative to the TF-IDF block.
    use_text : bool, default=True
        Use the TF-IDF word n-grams (False: rule features only).
    use_rules : bool, default=True
        Use the rule features (False: a plain TF-IDF + logistic regression).
    ngram_range : tuple of int, default=(1, 2)
    min_df : int, default=2
    threshold_cv : int, default=5
        Folds of the grouped cross-validation that chooses the per-label thresholds
        (0: every threshold is 0.5).
    min_positives_for_threshold : int, default=4
        Labels with fewer positives keep the threshold 0.5.
    fallback_label : str or None, default="no_reason_stated"
        Predicted when no other label passes its threshold (if it is one of the labels).
    class_weight : "balanced" or None, default=None
        Class weights of each label's logistic regression.
    own_cue_weight : float, default=3.0
        Weight of an extra feature for each label: did a cue of this very label fire
        (``cue_group=<label>``)? It lets a label trust its own cues more than other labels' cues.
        A rule feature: off when ``use_rules`` is False.
    random_state : int, default=0
    """

    def __init__(self, *, C: float = 4.0, rule_weight: float = 0.5, use_text: bool = True,
                 use_rules: bool = True, ngram_range: tuple[int, int] = (1, 2), min_df: int = 2,
                 threshold_cv: int = 5, min_positives_for_threshold: int = 4,
                 fallback_label: str | None = "no_reason_stated", class_weight: str | None = None,
                 own_cue_weight: float = 3.0, random_state: int = 0) -> None:
        self.C = C
        self.rule_weight = rule_weight
        self.use_text = use_text
        self.use_rules = use_rules
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.threshold_cv = threshold_cv
        self.min_positives_for_threshold = min_positives_for_threshold
        self.fallback_label = fallback_label
        self.class_weight = class_weight
        self.own_cue_weight = own_cue_weight
        self.random_state = random_state

    # -- fitting ------------------------------------------------------------------------------
    def fit(self, X: Sequence[Any], y: Any, groups: Sequence[Any] | None = None,
            label_names: Sequence[str] | None = None) -> "ReasonClassifier":
        """Fit on notices ``X`` (length n_samples) and indicator matrix ``y`` (n_samples, n_labels).

        ``groups`` (length n_samples) keeps near-duplicate notices in one fold of the threshold
        cross-validation; ``label_names`` names the columns of ``y`` (default ``"0".."n-1"``).
        """
        Y = self._check_y(y, len(X))
        self.classes_ = np.array(list(label_names) if label_names is not None else [str(i) for i in range(Y.shape[1])])
        if len(self.classes_) != Y.shape[1]:
            raise ValueError(f"label_names has {len(self.classes_)} names for {Y.shape[1]} columns of y.")
        self._fit_core(X, Y)
        self.thresholds_ = np.full(Y.shape[1], 0.5)
        if self.threshold_cv and len(X) >= 2 * self.threshold_cv:
            oof = self._out_of_fold(X, Y, groups)
            self.thresholds_ = best_thresholds(Y, oof, self.min_positives_for_threshold)
        return self

    def _fit_core(self, X: Sequence[Any], Y: np.ndarray) -> None:
        texts = [_normalise_text(notice_text(x)) for x in X]
        rules = [notice_rule_features(x) for x in X]
        if not (self.use_text or self.use_rules):
            raise ValueError("use_text and use_rules cannot both be False.")
        self.text_vectorizer_ = None
        self.rule_vectorizer_ = None
        if self.use_text:
            self.text_vectorizer_ = TfidfVectorizer(ngram_range=tuple(self.ngram_range), min_df=self.min_df,
                                                    sublinear_tf=True, stop_words=None, dtype=np.float32)
            self.text_vectorizer_.fit(texts)
        if self.use_rules:
            self.rule_vectorizer_ = CountVectorizer(analyzer=_identity, binary=True, dtype=np.float32)
            self.rule_vectorizer_.fit(rules + [["no_cue"]])
        features = self._features(texts, rules)
        self.estimators_: list[Any] = []
        for column in range(Y.shape[1]):
            target = Y[:, column]
            if target.min() == target.max():
                self.estimators_.append(float(target[0]))  # constant label: its probability
                continue
            model = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=2000,
                                       solver="liblinear", random_state=self.random_state)
            model.fit(self._with_own_cue(features, rules, column), target)
            self.estimators_.append(model)

    def _features(self, texts: list[str], rules: list[list[str]]) -> sp.csr_matrix:
        blocks = []
        if self.text_vectorizer_ is not None:
            blocks.append(self.text_vectorizer_.transform(texts))
        if self.rule_vectorizer_ is not None:
            blocks.append(self.rule_vectorizer_.transform(rules) * self.rule_weight)
        matrix = sp.hstack(blocks, format="csr", dtype=np.float32)
        matrix.sort_indices()  # read-only buffers from hstack break some solvers
        return matrix

    def _with_own_cue(self, features: sp.csr_matrix, rules: list[list[str]], column: int) -> sp.csr_matrix:
        """Append the label's own-cue column (when ``own_cue_weight`` is set)."""
        if not (self.use_rules and self.own_cue_weight):
            return features
        marker = f"cue_group={self.classes_[column]}" if hasattr(self, "classes_") else None
        own = np.array([[self.own_cue_weight if marker in r else 0.0] for r in rules], dtype=np.float32)
        matrix = sp.hstack([features, sp.csr_matrix(own)], format="csr", dtype=np.float32)
        matrix.sort_indices()
        return matrix

    def _out_of_fold(self, X: Sequence[Any], Y: np.ndarray, groups: Sequence[Any] | None) -> np.ndarray:
        oof = np.zeros(Y.shape, dtype=float)
        if groups is not None and len(set(groups)) >= self.threshold_cv:
            splits = GroupKFold(n_splits=self.threshold_cv).split(X, groups=groups)
        else:
            splits = KFold(self.threshold_cv, shuffle=True, random_state=self.random_state).split(X)
        for train, test in splits:
            inner = ReasonClassifier(**{**self.get_params(), "threshold_cv": 0})
            inner.classes_ = self.classes_
            inner._fit_core([X[i] for i in train], Y[train])
            oof[test] = inner._probabilities([X[i] for i in test])
        return oof

    # -- prediction ---------------------------------------------------------------------------
    def predict_proba(self, X: Sequence[Any]) -> np.ndarray:
        """Probability of each label, shape (n_samples, n_labels): one marginal a label."""
        check_is_fitted(self, "estimators_")
        return self._probabilities(X)

    def _probabilities(self, X: Sequence[Any]) -> np.ndarray:
        texts = [_normalise_text(notice_text(x)) for x in X]
        rules = [notice_rule_features(x) for x in X]
        features = self._features(texts, rules)
        out = np.empty((len(X), len(self.estimators_)), dtype=float)
        for column, model in enumerate(self.estimators_):
            if isinstance(model, float):
                out[:, column] = model
            else:
                out[:, column] = model.predict_proba(self._with_own_cue(features, rules, column))[:, 1]
        return out

    def predict(self, X: Sequence[Any]) -> np.ndarray:
        """Indicator matrix of shape (n_samples, n_labels): scores over the thresholds, plus
        ``fallback_label`` where no other label passes."""
        return self.decide(self.predict_proba(X))

    def decide(self, proba: np.ndarray) -> np.ndarray:
        """Apply the thresholds (and the fallback label) to a probability matrix."""
        check_is_fitted(self, "thresholds_")
        decided = (proba >= self.thresholds_).astype(int)
        if self.fallback_label is not None and self.fallback_label in list(self.classes_):
            fallback = list(self.classes_).index(self.fallback_label)
            others = np.delete(decided, fallback, axis=1)
            empty = others.sum(axis=1) == 0
            decided[empty, fallback] = 1
        return decided

    def segment_vectors(self, segments: Sequence[str]) -> sp.csr_matrix | None:
        """TF-IDF vectors of text segments (e.g. sentences), for :meth:`segment_scores`."""
        check_is_fitted(self, "estimators_")
        if self.text_vectorizer_ is None or not len(segments):
            return None
        return self.text_vectorizer_.transform([_normalise_text(s) for s in segments])

    def segment_scores(self, segments: Sequence[str] | sp.csr_matrix | None, label: str) -> np.ndarray:
        """How strongly each text segment (e.g. a sentence) speaks for ``label``: the dot product
        of its TF-IDF vector with the label's text coefficients. Used to pick evidence sentences
        where no rule cue fired. ``segments`` may be the output of :meth:`segment_vectors`."""
        check_is_fitted(self, "estimators_")
        vectors = segments if segments is None or sp.issparse(segments) else self.segment_vectors(segments)
        column = list(self.classes_).index(label)
        model = self.estimators_[column]
        if vectors is None or isinstance(model, float):
            return np.zeros(0 if vectors is None else vectors.shape[0])
        coef = model.coef_[0][: vectors.shape[1]]
        return np.asarray(vectors @ coef).ravel()

    @staticmethod
    def _check_y(y: Any, n_samples: int) -> np.ndarray:
        Y = np.asarray(y.toarray() if sp.issparse(y) else y)
        if Y.ndim != 2 or Y.shape[0] != n_samples:
            raise ValueError(f"y must be an indicator matrix of shape (n_samples={n_samples}, n_labels); got {Y.shape}.")
        return (Y > 0).astype(int)


def best_thresholds(Y: np.ndarray, proba: np.ndarray, min_positives: int = 4,
                    grid: Sequence[float] = tuple(np.round(np.arange(0.1, 0.91, 0.05), 2))) -> np.ndarray:
    """Per-label threshold that maximises F1 on out-of-fold probabilities (0.5 for rare labels).

    Ties go to the threshold closest to 0.5, so that a flat F1 curve does not drift to an extreme.
    """
    thresholds = np.full(Y.shape[1], 0.5)
    for column in range(Y.shape[1]):
        truth = Y[:, column]
        if truth.sum() < min_positives:
            continue
        best = (-1.0, 0.0, 0.5)
        for threshold in grid:
            predicted = proba[:, column] >= threshold
            tp = float((predicted & (truth == 1)).sum())
            fp = float((predicted & (truth == 0)).sum())
            fn = float((~predicted & (truth == 1)).sum())
            f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            key = (round(f1, 6), -abs(threshold - 0.5), threshold)
            if key > best:
                best = key
        thresholds[column] = best[2]
    return thresholds
