"""The spaCy half: a blank English pipeline of rule components, plus the classifier wrapper.

Order of the components (``build_pipeline``):

1. ``retraction_reasons_sentences``  sentence boundaries tuned for citations
2. ``retraction_reasons_language``   flags notices that are not in English
3. ``retraction_reasons_entities``   DOIs, journal, publisher, title, authors, dates, requester,
                                     investigator, figures (``data/patterns/entities.jsonl``)
4. ``retraction_reasons_cues``       REASON_CUE spans (``data/patterns/reason_cues.jsonl``)
5. ``retraction_reasons_notice_type`` ``doc._.notice_type``
6. ``retraction_reasons_classifier`` the scikit-learn reason classifier: ``doc.cats``, ``doc._.reasons``
"""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

from .. import _resources
from . import classifier_component, entities, extensions, language, notice_type, reason_cues, sentences, tokenizer  # noqa: F401  (registers factories)
from .extensions import CUE_SPANS_KEY, ENTITY_SPANS_KEY, ReasonPrediction

__all__ = ["build_rule_pipeline", "RULE_COMPONENTS", "ENTITY_SPANS_KEY", "CUE_SPANS_KEY", "ReasonPrediction"]

RULE_COMPONENTS = (
    "retraction_reasons_sentences",
    "retraction_reasons_language",
    "retraction_reasons_entities",
    "retraction_reasons_cues",
    "retraction_reasons_notice_type",
)


def build_rule_pipeline(patterns_dir: str | Path | None = None) -> Language:
    """A blank English pipeline with the rule components, patterns loaded from ``patterns_dir``
    (default: the shipped ``data/patterns``)."""
    patterns_dir = Path(patterns_dir or _resources.patterns_dir())
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "retraction_reasons.notice_tokenizer.v1"}}})
    for name in RULE_COMPONENTS:
        nlp.add_pipe(name)
    nlp.get_pipe("retraction_reasons_entities").initialize(patterns_dir=patterns_dir)
    nlp.get_pipe("retraction_reasons_cues").initialize(patterns_dir=patterns_dir)
    return nlp
