"""Errors raised by retraction-reasons.

Every error carries a short code (``RR1xx`` input, ``RR2xx`` model, ``RR3xx`` training data)
and a message that says what went wrong and what to do about it. The command line prints the
message and exits with status 2, without a traceback.
"""

from __future__ import annotations

__all__ = [
    "RetractionReasonsError",
    "NoticeError",
    "EmptyNoticeError",
    "NotTextError",
    "NoticeTooLongError",
    "ModelError",
    "ModelNotFoundError",
    "ModelIntegrityError",
    "TrainingDataError",
]


class RetractionReasonsError(Exception):
    """Base class: ``code`` is a stable identifier, ``str(err)`` the full message."""

    code = "RR000"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")


# -- input -----------------------------------------------------------------------------------


class NoticeError(RetractionReasonsError, ValueError):
    """A notice text that cannot be classified."""

    code = "RR100"
    kind = "invalid"


class EmptyNoticeError(NoticeError):
    code = "RR101"
    kind = "empty"

    def __init__(self, where: str = "the notice") -> None:
        super().__init__(
            f"{where} is empty or only whitespace: give the text of a retraction notice."
        )


class NotTextError(NoticeError):
    code = "RR102"
    kind = "not_text"

    def __init__(self, where: str = "the notice", detail: str = "") -> None:
        extra = f" ({detail})" if detail else ""
        super().__init__(
            f"{where} is not text{extra}: give UTF-8 text, e.g. extract it from a PDF or "
            "HTML page first."
        )


class NoticeTooLongError(NoticeError):
    code = "RR103"
    kind = "too_long"

    def __init__(self, n_chars: int, limit: int, where: str = "the notice") -> None:
        super().__init__(
            f"{where} has {n_chars:,} characters, more than the limit of {limit:,}: a retraction "
            "notice is a few paragraphs; pass the notice itself, not a whole article or archive "
            "(for archives use `retraction-reasons annotate`)."
        )


# -- model -----------------------------------------------------------------------------------


class ModelError(RetractionReasonsError):
    code = "RR200"


class ModelNotFoundError(ModelError):
    code = "RR201"

    def __init__(self, path: object) -> None:
        super().__init__(
            f"no model at {path}: pass the folder written by `retraction-reasons train --out DIR`, "
            "or leave out --model to use the shipped default model."
        )


class ModelIntegrityError(ModelError):
    code = "RR202"

    def __init__(self, path: object, detail: str) -> None:
        super().__init__(
            f"the model at {path} failed its integrity check ({detail}). It was changed or "
            "damaged after it was written; it is not loaded because a joblib file runs code "
            "when loaded. Retrain it with `retraction-reasons train`, or restore the folder."
        )


# -- training data ---------------------------------------------------------------------------


class TrainingDataError(RetractionReasonsError, ValueError):
    code = "RR300"
