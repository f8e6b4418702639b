"""The type of a notice: retraction, expression_of_concern, correction, withdrawal,
reinstatement or other.

The heading (first lines) decides when it names a type; otherwise the body's decision verbs do,
in order of precedence: a reinstatement mentions the earlier retraction, and an expression of
concern may say that retraction is being considered, so those are tested first.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from .extensions import text_of

__all__ = ["NoticeType", "make_notice_type", "NOTICE_TYPES"]

NOTICE_TYPES = ("retraction", "expression_of_concern", "correction", "withdrawal", "reinstatement", "other")

# (type, pattern) in order of precedence. Multilingual words for the notices in French/German/Spanish.
_RULES: tuple[tuple[str, str], ...] = (
    ("reinstatement", r"\breinstat\w*|\bretraction (?:notice )?(?:has been |is )?(?:withdrawn|rescinded|removed|reversed)|"
                      r"\bwithdrawal of (?:the )?retraction|\bun-?retract"),
    ("expression_of_concern", r"\bexpressions? of concern\b|\beditorial expression\b|\bnote of concern\b"),
    ("retraction", r"\bretract\w*|\brétract\w*|\brétractation|\bzurückgezogen|\bretractaci[oó]n|\bretirad[oa]|\bzieht\b[^.]{0,300}\bzurück"),
    ("withdrawal", r"\bwithdr[ae]w\w*|\bwithdrawal\b"),
    ("correction", r"\bcorrigend\w*|\berrat\w*|\bcorrection\b|\bcorrected\b|\bauthor correction\b"),
)
_COMPILED = tuple((kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _RULES)
# An expression of concern named only as an earlier step ("previously published an Expression of
# Concern") does not make a retraction notice one.
_EARLIER_CONCERN = re.compile(
    r"(?:previous(?:ly)?|earlier|had|has|was|initial(?:ly)?|already|subsequent(?:ly)?)\W+(?:\w+\W+){0,5}expressions? of concern"
    r"|expressions? of concern\W+(?:\w+\W+){0,6}(?:was|were|had been|has been) (?:issued|published|posted)",
    re.IGNORECASE,
)
_RETRACTION_DECISION = re.compile(
    r"\b(?:is|are|be|been|being|was|hereby|therefore|we|now|to) retract|\bretracts?\b|\bretraction of\b|"
    r"^\s*retraction\b|\bretraction note\b|\bretraction notice\b|\bnotice of retraction\b",
    re.IGNORECASE,
)


def classify_notice_type(text: str, heading_chars: int = 200) -> str:
    """The notice type of a text (see the module docstring)."""
    heading = text[:heading_chars]
    # The type named first in the heading decides ("This Retraction follows an Expression of
    # Concern"), except a concern heading over a later retraction decision.
    named = [(m.start(), kind) for kind, pattern in _COMPILED if kind != "withdrawal"
             for m in [pattern.search(heading)] if m]
    if named:
        kind = min(named)[1]
        overruled = kind in ("expression_of_concern", "correction") and _RETRACTION_DECISION.search(text) and (
            kind == "correction" or _EARLIER_CONCERN.search(text))
        if not overruled:
            return kind
    found = {kind for kind, pattern in _COMPILED if pattern.search(text)}
    if "reinstatement" in found:
        return "reinstatement"
    if "expression_of_concern" in found:
        if not (_EARLIER_CONCERN.search(text) and _RETRACTION_DECISION.search(text)):
            return "expression_of_concern"
    if "retraction" in found:
        return "retraction"
    if "withdrawal" in found:
        return "withdrawal"
    if "correction" in found:
        return "correction"
    return "other"


class NoticeType:
    """Set ``doc._.notice_type``."""

    def __init__(self, nlp: Language, name: str = "retraction_reasons_notice_type", *,
                 heading_chars: int = 200) -> None:
        self.name = name
        self.heading_chars = heading_chars

    def __call__(self, doc: Doc) -> Doc:
        doc._.notice_type = classify_notice_type(text_of(doc), self.heading_chars)
        return doc


@Language.factory("retraction_reasons_notice_type", default_config={"heading_chars": 200})
def make_notice_type(nlp: Language, name: str, heading_chars: int) -> NoticeType:
    """Factory of :class:`NoticeType`."""
    return NoticeType(nlp, name, heading_chars=heading_chars)
