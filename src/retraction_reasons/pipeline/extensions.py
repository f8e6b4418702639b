"""The ``Doc`` and ``Span`` extensions of the pipeline, declared once, here.

- ``doc._.notice_type``: retraction | expression_of_concern | correction | withdrawal |
  reinstatement | other
- ``doc._.language``: "en", or "non-en" when the text does not read as English
- ``doc._.reasons``: list of :class:`ReasonPrediction`, the labels over their thresholds
- ``doc._.flags``: list of strings that qualify the result (``non_english``, ``no_reason_cue``...)
- ``span._.norm``: normalised description of a REASON_CUE ("data validity unconfirmed"), a
  DOI in lower case, or the kind of a REQUESTER (authors, editor, publisher, institution,
  third_party)
- ``span._.reason_group``: the reason group a REASON_CUE points to
- ``span._.cue_id``: the id of the cue pattern that matched
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

#: Name of the span group that holds every entity, overlaps included (``doc.ents`` holds a
#: non-overlapping selection of it).
ENTITY_SPANS_KEY = "retraction_entities"
#: Name of the span group that holds the REASON_CUE spans.
CUE_SPANS_KEY = "reason_cues"


@dataclass
class ReasonPrediction:
    """One reason over its threshold: group id, display name, score and evidence sentences."""

    id: str
    name: str
    score: float
    evidence: list[Span] = field(default_factory=list)
    fallback: bool = False


def register_extensions() -> None:
    """Declare the extensions (idempotent)."""
    for name, default in (("notice_type", None), ("language", None)):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name in ("reasons", "flags"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, getter=_list_getter(name), setter=_list_setter(name))
    for name in ("norm", "reason_group", "cue_id"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


def _list_getter(name: str):
    def getter(doc: Doc) -> list:
        return doc.user_data.setdefault(("retraction_reasons", name), [])

    return getter


def _list_setter(name: str):
    def setter(doc: Doc, value: list) -> None:
        doc.user_data[("retraction_reasons", name)] = list(value)

    return setter


register_extensions()


#: Where the tokenizer keeps the input text on the Doc.
TEXT_KEY = ("retraction_reasons", "text")


def text_of(doc: Doc) -> str:
    """``doc.text``, computed at most once: spaCy joins every token again on each access."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text
