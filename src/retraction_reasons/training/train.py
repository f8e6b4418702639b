"""Train a model folder from labelled notices, with grouped cross-validation against baselines.

Steps: read the corpus -> run the rule pipeline (cues, entities, notice type) -> group
near-duplicates -> grouped K-fold CV of the classifier and of three baselines on the same folds
(scores over all notices and per source file) -> fit on everything (thresholds by an inner
grouped CV) -> write the pipeline, ``metrics.json``, ``MODEL_CARD.md`` and the manifest.
"""

from __future__ import annotations

import datetime as _dt
import platform
from pathlib import Path
from typing import Any, Callable, Literal, Sequence

import numpy as np
import sklearn
import spacy

from .. import __name__ as _package
from ..classifier import CueRulesBaseline, KeywordBaseline, ReasonClassifier, tfidf_logreg_baseline
from ..model_io import CLASSIFIER_PIPE, save_model
from ..pipeline import build_rule_pipeline
from ..pipeline.features import notice_features
from ..taxonomy import load_taxonomy
from .corpus import LabelledCorpus, read_labelled
from .evaluate import MIN_SUPPORT_FOR_MACRO, grouped_oof_predictions, multilabel_report
from .grouping import near_duplicate_groups
from .model_card import render_model_card

__all__ = ["train_model", "SYSTEMS"]

#: The systems compared in cross-validation, in report order.
SYSTEMS = ("model", "cue_rules", "tfidf_logreg", "keywords")


def _print(message: str) -> None:
    print(message, flush=True)


def train_model(
    data: Sequence[str | Path] | LabelledCorpus,
    out_dir: str | Path,
    *,
    text_column: str = "text",
    labels_column: str | None = None,
    id_column: str | None = "id",
    label_set: Literal["taxonomy", "custom"] = "taxonomy",
    group_keys: Sequence[Sequence[str]] | None = None,
    group_columns: Sequence[str] = (),
    similarity_threshold: float = 0.4,
    n_splits: int = 5,
    seed: int = 0,
    C: float = 4.0,
    rule_weight: float = 0.5,
    own_cue_weight: float = 3.0,
    patterns_dir: str | Path | None = None,
    model_name: str = "retraction_reasons_custom",
    model_version: str = "0.1.0",
    created: str | None = None,
    cross_validate: bool = True,
    progress: Callable[[str], None] | None = _print,
) -> dict[str, Any]:
    """Train and write a model; returns the metrics written to ``metrics.json``.

    ``group_keys`` (one list of strings a notice) and ``group_columns`` join notices into one
    cross-validation group when they share a key (e.g. a DOI, or a publisher whose template
    repeats), on top of the near-duplicate text groups.
    """
    log = progress or (lambda message: None)
    corpus = data if isinstance(data, LabelledCorpus) else read_labelled(
        data, text_column=text_column, labels_column=labels_column, id_column=id_column, label_set=label_set)
    labels = corpus.label_set
    Y = corpus.indicator_matrix()
    log(f"read {len(corpus)} labelled notices from {', '.join(f['file'] for f in corpus.files)}; "
        f"{len(labels)} labels; skipped {corpus.skipped}")

    nlp = build_rule_pipeline(patterns_dir)
    X = [notice_features(doc) for doc in nlp.pipe(corpus.texts, batch_size=256)]
    log(f"rule pipeline: {sum('no_cue' not in x['features'] for x in X)} of {len(X)} notices have a reason cue")

    keys: list[list[str]] = [list(k) for k in group_keys] if group_keys is not None else [[] for _ in X]
    for column in group_columns:
        for row, extra in enumerate(corpus.extra):
            if extra.get(column):
                keys[row].append(f"{column}={extra[column]}")
    groups = near_duplicate_groups(corpus.texts, threshold=similarity_threshold, shared_keys=keys)
    log(f"{len(set(groups))} cross-validation groups (largest {np.bincount(groups).max()} notices)")

    fallback = "no_reason_stated" if "no_reason_stated" in labels else None
    model = ReasonClassifier(C=C, rule_weight=rule_weight, own_cue_weight=own_cue_weight, random_state=seed, threshold_cv=n_splits,
                             fallback_label=fallback)
    systems = {
        "model": model,
        "cue_rules": CueRulesBaseline(fallback_label=fallback),
        "tfidf_logreg": tfidf_logreg_baseline(random_state=seed),
        "keywords": KeywordBaseline(fallback_label=fallback),
    }
    cv: dict[str, Any] = {}
    n_groups = len(set(groups))
    if cross_validate and n_groups >= n_splits:
        for name, estimator in systems.items():
            log(f"grouped {n_splits}-fold cross-validation: {name}")
            predicted = grouped_oof_predictions(estimator, X, Y, groups, labels, n_splits=n_splits,
                                                progress=log if name == "model" else None)
            report = {"all": multilabel_report(Y, predicted, labels), "by_source": {}}
            for source in dict.fromkeys(corpus.sources):
                rows = np.array([s == source for s in corpus.sources])
                report["by_source"][source] = multilabel_report(Y[rows], predicted[rows], labels)
            cv[name] = report
            headline = report["all"]
            log(f"  {name}: micro-F1 {headline['micro']['f1']:.3f}, macro-F1 (support>={MIN_SUPPORT_FOR_MACRO}) "
                f"{headline[f'macro_f1_support_ge_{MIN_SUPPORT_FOR_MACRO}']:.3f}")
    elif cross_validate:
        log(f"not cross-validated: {n_groups} groups, fewer than {n_splits} folds")

    log("fitting the final model on all notices")
    model.fit(X, Y, groups=groups, label_names=labels)
    taxonomy = load_taxonomy()
    label_names = {label: taxonomy.name_of(label) for label in labels}
    created = created or _dt.date.today().isoformat()
    metrics = {
        "model": {"name": model_name, "version": model_version, "created": created},
        "labels": labels,
        "thresholds": {label: float(t) for label, t in zip(labels, model.thresholds_)},
        "training_data": {"files": corpus.files, "n_notices": len(corpus), "skipped": corpus.skipped,
                          "label_counts": {label: int(Y[:, i].sum()) for i, label in enumerate(labels)}},
        "cross_validation": {"scheme": f"GroupKFold(n_splits={n_splits}) over near-duplicate groups "
                                       f"(TF-IDF cosine >= {similarity_threshold}, plus shared keys)",
                             "n_groups": int(n_groups), "systems": cv},
        "settings": {"C": C, "rule_weight": rule_weight, "own_cue_weight": own_cue_weight, "seed": seed, "label_set": label_set,
                     "similarity_threshold": similarity_threshold},
        "environment": {"python": platform.python_version(), "spacy": spacy.__version__,
                        "scikit-learn": sklearn.__version__},
    }
    component = nlp.add_pipe(CLASSIFIER_PIPE)
    component.set_estimator(model, label_names, info={
        "metrics": {name: report["all"] for name, report in cv.items()},
        "trained_on": corpus.files, "created": created})
    nlp.meta.update({"name": model_name, "version": model_version, "description":
                     "Retraction notice reasons: rule components (spaCy) + reason classifier (scikit-learn)",
                     "author": "retraction-reasons", "license": "MIT", "requirements": [f"{_package.replace('_', '-')}"]})
    save_model(nlp, out_dir, metrics=metrics, card=render_model_card(metrics))
    log(f"model written to {out_dir}")
    return metrics
