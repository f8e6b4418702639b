"""What the rule pipeline tells the classifier: a notice as ``{"text", "features"}``.

This is the one place where the spaCy half is turned into plain data for the scikit-learn half.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

from .extensions import CUE_SPANS_KEY, text_of

__all__ = ["notice_features"]


def notice_features(doc: Doc) -> dict[str, Any]:
    """The classifier input of one processed ``Doc``.

    The features are the reason groups whose cues fired (``cue_group=<id>``) and ``no_cue``
    when none did. Cross-validation on the labelled corpora preferred this to adding the
    individual cue ids, the notice type, the requester kind or entity presence: with ~280
    notices those extra features mostly add noise (see the model card).
    """
    cues = doc.spans.get(CUE_SPANS_KEY, [])
    features = sorted({f"cue_group={span._.reason_group}" for span in cues}) or ["no_cue"]
    return {"text": text_of(doc), "features": features}
