"""What the rule pipeline tells the classifier: a notice as ``{"text", "features"}``.

This is the one place where the spaCy half is turned into plain data for the scikit-learn half.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

from .extensions import CUE_SPANS_KEY, ENTITY_SPANS_KEY, text_of

__all__ = ["notice_features"]


def notice_features(doc: Doc) -> dict[str, Any]:
    """The classifier input of one processed ``Doc``."""
    features: list[str] = []
    cues = doc.spans.get(CUE_SPANS_KEY, [])
    for span in cues:
        features.append(f"cue={span._.cue_id}")
        features.append(f"cue_group={span._.reason_group}")
    if not len(cues):
        features.append("no_cue")
    features.append(f"notice_type={doc._.notice_type}")
    for span in doc.spans.get(ENTITY_SPANS_KEY, []):
        features.append(f"has={span.label_}")
        if span.label_ == "REQUESTER" and span._.norm:
            features.append(f"requester={span._.norm}")
    if len(text_of(doc)) < 300:
        features.append("short_notice")
    return {"text": text_of(doc), "features": sorted(set(features))}
