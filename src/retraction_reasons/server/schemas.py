"""Request and response bodies of the HTTP service, as pydantic models (they make the OpenAPI
schema).

The response models describe :meth:`retraction_reasons.Result.to_dict` field for field; the
service returns that dictionary itself, so the JSON over HTTP is the same as the Python API's.
The limits of a notice text (length, not blank) are documented in the schema here but checked
by :func:`retraction_reasons.validation.check_notice`, so that the service refuses the same
texts with the same messages as the Python API and the command line.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, WithJsonSchema

from ..validation import MAX_NOTICE_CHARS

__all__ = [
    "MAX_BATCH_TEXTS",
    "NoticeText",
    "ClassifyRequest",
    "BatchRequest",
    "EvidenceSpan",
    "ReasonOut",
    "EntityOut",
    "ModelStamp",
    "ClassifyResponse",
    "ModelInfoResponse",
    "HealthResponse",
    "ErrorDetail",
    "ErrorResponse",
]

#: The most texts one batch request may hold.
MAX_BATCH_TEXTS = 256

NoticeText = Annotated[
    str,
    WithJsonSchema({
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_NOTICE_CHARS,
        # Not blank, and no control characters other than tab, line feed, vertical tab, form
        # feed and carriage return (checked by the service, not by pydantic: see the module doc).
        "pattern": r"^[^\u0000-\u0008\u000e-\u001f]*[^\s\u0000-\u0008\u000e-\u001f][^\u0000-\u0008\u000e-\u001f]*$",
        "description": (f"The text of one retraction notice: plain text of at most {MAX_NOTICE_CHARS:,} "
                        "characters, not blank, without control characters other than tabs and line breaks."),
    }),
]


class ClassifyRequest(BaseModel):
    """One notice to classify."""

    text: NoticeText


class BatchRequest(BaseModel):
    """Several notices to classify; the results come back in the same order."""

    texts: list[NoticeText] = Field(max_length=MAX_BATCH_TEXTS,
                                    description=f"At most {MAX_BATCH_TEXTS} notice texts.")


class EvidenceSpan(BaseModel):
    text: str = Field(description="An evidence sentence, exactly as in the notice.")
    start: int = Field(description="Offset of its first character in the notice (Unicode code points).")
    end: int = Field(description="Offset just after its last character: text == notice[start:end].")


class ReasonOut(BaseModel):
    id: str = Field(description="Reason-group id, e.g. unreliable_data.")
    name: str = Field(description="Display name, e.g. 'Unreliable data or results'.")
    score: float = Field(description="Probability from the classifier (0 to 1).")
    evidence: str | None = Field(description="The supporting passage, an exact substring of the notice.")
    evidence_spans: list[EvidenceSpan]
    fallback: bool = Field(description="True when the reason was given because no other reason passed.")


class EntityOut(BaseModel):
    label: str = Field(description="NOTICE_DOI, JOURNAL, PUBLISHER, DATE, AUTHOR, REASON_CUE, ...")
    text: str
    start: int = Field(description="Offset in the notice (Unicode code points).")
    end: int
    norm: str | None = Field(description="Normalised value (a DOI in lower case, a cue's meaning, ...).")


class ModelStamp(BaseModel):
    name: str
    version: str


class ClassifyResponse(BaseModel):
    """The result for one notice: the JSON form of ``retraction_reasons.classify(text)``."""

    notice_type: str | None = Field(description="retraction, expression_of_concern, correction, "
                                                "withdrawal, reinstatement or other.")
    reasons: list[ReasonOut] = Field(description="Reasons over their thresholds, highest score first.")
    scores: dict[str, float] = Field(description="A score for every label of the model.")
    entities: list[EntityOut] = Field(description="Entities and reason cues, in text order.")
    model: ModelStamp
    language: str | None = Field(description="'en', or 'non-en' for a notice that does not read as English.")
    flags: list[str] = Field(description="Qualifiers of the result, e.g. non_english.")
    error: str | None = Field(description="Always null here: invalid texts get an error response.")
    error_kind: str | None


class ModelInfoResponse(BaseModel):
    """The model the service runs."""

    name: str
    version: str
    labels: list[str]
    label_names: dict[str, str]
    thresholds: dict[str, float]
    metrics: dict[str, Any] = Field(description="Cross-validated figures of the model and its baselines.")
    trained_on: list[Any] = Field(description="The training files (name, rows, sha256).")
    created: str | None


class HealthResponse(BaseModel):
    status: Literal["ok"]
    model: ModelStamp


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable error code, e.g. RR101 (empty notice), RR413 (body too large).")
    message: str = Field(description="What went wrong and what to do about it.")


class ErrorResponse(BaseModel):
    """The body of every error response."""

    error: ErrorDetail
