"""The result of classifying one notice, and its JSON form (a public contract).

``Result.to_dict()``::

    {"notice_type": "retraction",
     "reasons": [{"id": "unreliable_data", "name": "Unreliable data or results", "score": 0.93,
                  "evidence": "...exact sentence of the notice...",
                  "evidence_spans": [{"text", "start", "end"}], "fallback": false}],
     "scores": {label: score for every label},
     "entities": [{"label", "text", "start", "end", "norm"}],
     "language": "en", "flags": [], "error": null,
     "model": {"name", "version"}}

``reasons`` holds the labels over their thresholds, highest score first. Evidence strings are
exact substrings of the input (``text[start:end]``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc

from .pipeline.extensions import CUE_SPANS_KEY, ENTITY_SPANS_KEY, text_of

__all__ = ["Result", "Reason", "Entity", "Evidence", "result_from_doc", "error_result"]


@dataclass(frozen=True)
class Evidence:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Reason:
    id: str
    name: str
    score: float
    evidence: str | None
    evidence_spans: tuple[Evidence, ...] = ()
    fallback: bool = False


@dataclass(frozen=True)
class Entity:
    label: str
    text: str
    start: int
    end: int
    norm: str | None = None


@dataclass(frozen=True)
class Result:
    """What the tool says about one notice."""

    notice_type: str | None
    reasons: tuple[Reason, ...]
    scores: dict[str, float]
    entities: tuple[Entity, ...]
    model: dict[str, str]
    language: str | None = "en"
    flags: tuple[str, ...] = ()
    error: str | None = None
    error_kind: str | None = None

    @property
    def reason_ids(self) -> list[str]:
        """The ids of the reasons over threshold, highest score first."""
        return [r.id for r in self.reasons]

    def entities_of(self, label: str) -> list[Entity]:
        """The entities with ``label``, in text order."""
        return [e for e in self.entities if e.label == label]

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form (see the module docstring)."""
        # Written out rather than dataclasses.asdict, which deep-copies and dominated bulk jobs.
        return {
            "notice_type": self.notice_type,
            "reasons": [
                {"id": r.id, "name": r.name, "score": r.score, "evidence": r.evidence,
                 "evidence_spans": [{"text": e.text, "start": e.start, "end": e.end} for e in r.evidence_spans],
                 "fallback": r.fallback}
                for r in self.reasons
            ],
            "scores": dict(self.scores),
            "entities": [{"label": e.label, "text": e.text, "start": e.start, "end": e.end, "norm": e.norm}
                         for e in self.entities],
            "model": dict(self.model),
            "language": self.language,
            "flags": list(self.flags),
            "error": self.error,
            "error_kind": self.error_kind,
        }


def result_from_doc(doc: Doc, model: dict[str, str]) -> Result:
    """Read a processed ``Doc`` into a :class:`Result`."""
    text = text_of(doc)
    reasons = []
    for prediction in doc._.reasons:
        spans = tuple(Evidence(text[s.start_char:s.end_char], s.start_char, s.end_char) for s in prediction.evidence)
        reasons.append(Reason(prediction.id, prediction.name, round(prediction.score, 4),
                              _evidence_text(text, prediction.evidence), spans, prediction.fallback))
    entities = []
    for key in (ENTITY_SPANS_KEY, CUE_SPANS_KEY):
        for span in doc.spans.get(key, []):
            entities.append(Entity(span.label_, text[span.start_char:span.end_char], span.start_char,
                                   span.end_char, span._.norm))
    entities.sort(key=lambda e: (e.start, e.end, e.label))
    return Result(
        notice_type=doc._.notice_type,
        reasons=tuple(reasons),
        scores={label: round(score, 4) for label, score in doc.cats.items()},
        entities=tuple(entities),
        model=model,
        language=doc._.language,
        flags=tuple(doc._.flags),
    )


def _evidence_text(text: str, sentences: list) -> str | None:
    """The evidence as one exact substring: the evidence sentences when they follow each other
    (one passage), else the first of them."""
    if not sentences:
        return None
    first = sentences[0]
    end = first.end
    for sentence in sentences[1:]:
        if sentence.start > end + 1 or any(not t.is_space for t in first.doc[end:sentence.start]):
            break
        end = sentence.end
    return text[first.start_char:first.doc[end - 1].idx + len(first.doc[end - 1].text)]


def error_result(message: str, kind: str, model: dict[str, str]) -> Result:
    """The result of a notice that could not be classified (bulk jobs keep every row)."""
    return Result(notice_type=None, reasons=(), scores={}, entities=(), model=model, language=None,
                  flags=(kind,), error=message, error_kind=kind)
