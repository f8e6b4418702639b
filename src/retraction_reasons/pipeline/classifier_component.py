"""The spaCy component that wraps the scikit-learn :class:`ReasonClassifier`.

It runs the estimator once per batch, writes ``doc.cats`` (a score for every label; thresholds
are applied when results are read, never stored as 0/1) and ``doc._.reasons`` (the labels over
their thresholds, highest first, each with its evidence sentences). Persisted as
``estimator.joblib`` plus ``settings.json``; the joblib file is loaded only after its sha256
matches the model's ``MANIFEST.sha256`` (a joblib file runs code when loaded).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Iterable, Iterator

import joblib
import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from ..errors import ModelIntegrityError
from .extensions import CUE_SPANS_KEY, ReasonPrediction, text_of
from .features import notice_features

__all__ = ["ReasonClassifierComponent", "make_reason_classifier", "MANIFEST_NAME", "sha256_of"]

MANIFEST_NAME = "MANIFEST.sha256"
_ESTIMATOR_FILE = "estimator.joblib"


def sha256_of(path: str | Path) -> str:
    """The hex sha256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(model_dir: Path) -> dict[str, str]:
    """``{relative path: sha256}`` from a model folder's manifest."""
    manifest = model_dir / MANIFEST_NAME
    if not manifest.exists():
        raise ModelIntegrityError(model_dir, f"{MANIFEST_NAME} is missing")
    entries = {}
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, _, name = line.partition("  ")
            entries[name.strip()] = digest.strip()
    return entries


class ReasonClassifierComponent:
    """Score every reason label and pick the reasons over threshold with their evidence."""

    def __init__(self, nlp: Language, name: str = "retraction_reasons_classifier", *,
                 batch_size: int = 256, max_evidence: int = 2) -> None:
        self.name = name
        self.batch_size = batch_size
        self.max_evidence = max_evidence
        self.estimator: Any = None
        self.label_names: dict[str, str] = {}
        self.info: dict[str, Any] = {}

    @property
    def labels(self) -> list[str]:
        return [] if self.estimator is None else [str(c) for c in self.estimator.classes_]

    @property
    def thresholds(self) -> dict[str, float]:
        if self.estimator is None:
            return {}
        return {label: float(t) for label, t in zip(self.labels, self.estimator.thresholds_)}

    def set_estimator(self, estimator: Any, label_names: dict[str, str] | None = None,
                      info: dict[str, Any] | None = None) -> None:
        """Attach a fitted :class:`ReasonClassifier` (and display names of its labels)."""
        self.estimator = estimator
        self.label_names = dict(label_names or {})
        self.info = dict(info or {})

    # -- work ---------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        self._predict([doc])
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int | None = None) -> Iterator[Doc]:
        for batch in minibatch(stream, size=batch_size or self.batch_size):
            self._predict(batch)
            yield from batch

    def _predict(self, docs: list[Doc]) -> None:
        if self.estimator is None:
            raise ValueError("[E_CLASSIFIER] the reason classifier has no estimator: load a trained model.")
        live = [doc for doc in docs if text_of(doc).strip()]
        if not live:
            return
        proba = self.estimator.predict_proba([notice_features(doc) for doc in live])
        decided = self.estimator.decide(proba)
        labels = self.labels
        fallback = getattr(self.estimator, "fallback_label", None)
        for doc, scores, chosen in zip(live, proba, decided):
            doc.cats = {label: float(score) for label, score in zip(labels, scores)}
            if "non_english" in doc._.flags:
                doc._.reasons = []  # English cues and vocabulary: no invented reasons
                continue
            sentences = _Sentences(doc, self.estimator)
            reasons = []
            for column in np.flatnonzero(chosen):
                label = labels[column]
                is_fallback = label == fallback and chosen.sum() == 1 and scores[column] < self.estimator.thresholds_[column]
                reasons.append(ReasonPrediction(
                    id=label, name=self.label_names.get(label, label), score=float(scores[column]),
                    evidence=self._evidence(doc, label, sentences), fallback=bool(is_fallback)))
            reasons.sort(key=lambda r: -r.score)
            doc._.reasons = reasons
            if not len(doc.spans.get(CUE_SPANS_KEY, [])) and "no_reason_cue" not in doc._.flags:
                doc._.flags = [*doc._.flags, "no_reason_cue"]

    def _evidence(self, doc: Doc, label: str, sentences: "_Sentences") -> list[Span]:
        """Sentences that support ``label``: those holding one of its cues, else the sentence the
        classifier's text weights favour most."""
        found: list[Span] = []
        for cue in doc.spans.get(CUE_SPANS_KEY, []):
            if cue._.reason_group == label:
                sentence = _trim(cue.sent)
                if sentence is not None and all(s.start != sentence.start for s in found):
                    found.append(sentence)
        if found:
            return found[: self.max_evidence]
        if not sentences.spans:
            return []
        scores = self.estimator.segment_scores(sentences.vectors, label)
        if not len(scores):
            return []
        best = int(np.argmax(scores))
        return [sentences.spans[best]] if scores[best] > 0 else []

    # -- serialisation --------------------------------------------------------------------------
    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        joblib.dump(self.estimator, path / _ESTIMATOR_FILE, compress=3)
        settings = {"label_names": self.label_names, "info": self.info, "labels": self.labels,
                    "thresholds": self.thresholds}
        (path / "settings.json").write_text(json.dumps(settings, indent=1, ensure_ascii=False), encoding="utf-8")

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> "ReasonClassifierComponent":
        path = Path(path)
        model_dir = path.parent
        expected = read_manifest(model_dir).get(f"{path.name}/{_ESTIMATOR_FILE}")
        if expected is None:
            raise ModelIntegrityError(model_dir, f"{path.name}/{_ESTIMATOR_FILE} is not in {MANIFEST_NAME}")
        actual = sha256_of(path / _ESTIMATOR_FILE)
        if actual != expected:
            raise ModelIntegrityError(model_dir, f"sha256 of {path.name}/{_ESTIMATOR_FILE} does not match {MANIFEST_NAME}")
        settings = json.loads((path / "settings.json").read_text(encoding="utf-8"))
        self.set_estimator(joblib.load(path / _ESTIMATOR_FILE), settings.get("label_names"), settings.get("info"))
        return self


class _Sentences:
    """A doc's sentences and their TF-IDF vectors, computed once and only when needed."""

    def __init__(self, doc: Doc, estimator: Any) -> None:
        self._doc = doc
        self._estimator = estimator
        self._spans: list[Span] | None = None
        self._vectors: Any = None

    @property
    def spans(self) -> list[Span]:
        if self._spans is None:
            self._spans = [s for s in (_trim(sent) for sent in self._doc.sents) if s is not None and len(s.text) > 3]
        return self._spans

    @property
    def vectors(self) -> Any:
        if self._vectors is None:
            self._vectors = self._estimator.segment_vectors([s.text for s in self.spans])
        return self._vectors


def _trim(span: Span) -> Span | None:
    """The span without leading and trailing white-space tokens."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].is_space:
        start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    return doc[start:end] if end > start else None


@Language.factory(
    "retraction_reasons_classifier",
    default_config={"batch_size": 256, "max_evidence": 2},
)
def make_reason_classifier(nlp: Language, name: str, batch_size: int, max_evidence: int) -> ReasonClassifierComponent:
    """Factory of :class:`ReasonClassifierComponent`."""
    return ReasonClassifierComponent(nlp, name, batch_size=batch_size, max_evidence=max_evidence)
