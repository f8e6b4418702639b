"""retraction-reasons: read retraction notices, say why the paper was retracted.

>>> import retraction_reasons as rr
>>> result = rr.classify(text)          # the shipped default model, loaded once
>>> result.reason_ids                   # ['unreliable_data']
>>> result.to_dict()                    # the JSON form (see retraction_reasons.result)
>>> nlp = rr.load("my-model/")          # the spaCy pipeline: doc.cats, doc.ents, doc._.reasons
>>> ds = rr.annotate("archive.jsonl", out="annotated.parquet")   # a whole archive -> datasets.Dataset
"""

from __future__ import annotations

from .api import classify, classify_many, iter_classify, load
from .bulk import annotate, annotate_batch
from .errors import (
    EmptyNoticeError,
    ModelError,
    ModelIntegrityError,
    ModelNotFoundError,
    NoticeError,
    NoticeTooLongError,
    NotTextError,
    RetractionReasonsError,
    TrainingDataError,
)
from .model_io import model_info
from .result import Entity, Reason, Result
from .taxonomy import load_taxonomy

__version__ = "0.1.0"

__all__ = [
    "classify",
    "classify_many",
    "iter_classify",
    "load",
    "annotate",
    "annotate_batch",
    "model_info",
    "load_taxonomy",
    "Result",
    "Reason",
    "Entity",
    "RetractionReasonsError",
    "NoticeError",
    "EmptyNoticeError",
    "NotTextError",
    "NoticeTooLongError",
    "ModelError",
    "ModelNotFoundError",
    "ModelIntegrityError",
    "TrainingDataError",
    "__version__",
]
