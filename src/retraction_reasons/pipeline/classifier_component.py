"""The spaCy component that wraps the scikit-learn :class:`ReasonClassifier`.

It runs the estimator once per batch, writes ``doc.cats`` (a score for every label; thresholds
are applied when results are read, never stored as 0/1) and ``doc._.reasons`` (the labels over
their thresholds, highest first, each with its evidence sentences). Persisted as
``estimator.joblib`` plus ``settings.json``; the joblib file is loaded only after its sha256
matches the model's ``MANIFEST.sha256`` (a joblib file runs code when loaded).
"""

from __future__ import annotations

import bisect
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
        pending: list[tuple[Doc, list[ReasonPrediction], _Sentences]] = []
        for doc, scores, chosen in zip(live, proba, decided):
            doc.cats = {label: float(score) for label, score in zip(labels, scores)}
            if "non_english" in doc._.flags:
                doc._.reasons = []  # English cues and vocabulary: no invented reasons
                continue
            sentences = _Sentences(doc)
            reasons = []
            for column in np.flatnonzero(chosen):
                label = labels[column]
                is_fallback = label == fallback and chosen.sum() == 1 and scores[column] < self.estimator.thresholds_[column]
                reasons.append(ReasonPrediction(
                    id=label, name=self.label_names.get(label, label), score=float(scores[column]),
                    evidence=self._cue_evidence(label, sentences), fallback=bool(is_fallback)))
            reasons.sort(key=lambda r: -r.score)
            doc._.reasons = reasons
            if any(not reason.evidence for reason in reasons):
                pending.append((doc, reasons, sentences))
            if not len(doc.spans.get(CUE_SPANS_KEY, [])) and "no_reason_cue" not in doc._.flags:
                doc._.flags = [*doc._.flags, "no_reason_cue"]
        self._text_evidence(pending)

    def _cue_evidence(self, label: str, sentences: "_Sentences") -> list[Span]:
        """The sentences holding one of ``label``'s cues (at most ``max_evidence``)."""
        found: list[Span] = []
        for sentence in sentences.with_cue(label):
            if all(s.start != sentence.start for s in found):
                found.append(sentence)
        return found[: self.max_evidence]

    def _text_evidence(self, pending: list[tuple[Doc, list[ReasonPrediction], "_Sentences"]]) -> None:
        """For reasons without a cue: the sentence the classifier's text weights favour most.

        The sentences of all such notices of a batch are vectorised in one call."""
        pending = [item for item in pending if item[2].spans]
        if not pending:
            return
        vectors = self.estimator.segment_vectors([s.text for _, _, sentences in pending for s in sentences.spans])
        offset = 0
        for _doc, reasons, sentences in pending:
            rows = vectors[offset: offset + len(sentences.spans)] if vectors is not None else None
            offset += len(sentences.spans)
            for reason in reasons:
                if reason.evidence or rows is None:
                    continue
                scores = self.estimator.segment_scores(rows, reason.id)
                if len(scores):
                    best = int(np.argmax(scores))
                    if scores[best] > 0:
                        reason.evidence = [sentences.spans[best]]

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
    """A doc's sentences (trimmed of white space) and the sentences holding each group's cues,
    computed once and only when needed."""

    def __init__(self, doc: Doc) -> None:
        self._doc = doc
        self._spans: list[Span] | None = None
        self._starts: list[int] | None = None
        self._all: list[Span] | None = None

    @property
    def spans(self) -> list[Span]:
        """The sentences worth scoring (more than three characters)."""
        if self._spans is None:
            self._spans = [s for s in self._sentences() if len(s.text) > 3]
        return self._spans

    def with_cue(self, label: str) -> Iterator[Span]:
        """The (trimmed) sentence of each cue of reason group ``label``, in cue order."""
        cues = [cue for cue in self._doc.spans.get(CUE_SPANS_KEY, []) if cue._.reason_group == label]
        if not cues:
            return
        sentences = self._sentences()
        for cue in cues:
            index = bisect.bisect_right(self._starts, cue.start) - 1  # type: ignore[arg-type]
            if index >= 0:
                yield sentences[index]

    def _sentences(self) -> list[Span]:
        if self._all is None:
            raw = list(self._doc.sents)
            trimmed = [_trim(sent) for sent in raw]
            keep = [i for i, t in enumerate(trimmed) if t is not None]
            self._all = [trimmed[i] for i in keep]  # type: ignore[misc]
            self._starts = [raw[i].start for i in keep]
        return self._all


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
