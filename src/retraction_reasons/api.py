"""The Python API: ``classify``, ``classify_many``, ``load``."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator, Literal, Sequence

from spacy.language import Language

from .errors import NoticeError
from .model_io import load_model, model_stamp
from .result import Result, error_result, result_from_doc
from .validation import check_notice

__all__ = ["load", "classify", "classify_many", "iter_classify"]


def load(path: str | Path | None = None) -> Language:
    """The spaCy pipeline of a model folder (default: the shipped model), loaded once and cached.

    ``doc.cats`` holds a score for every label, ``doc.ents`` / ``doc.spans["retraction_entities"]``
    the entities, ``doc._.reasons`` the reasons over threshold with their evidence.
    """
    return load_model(path)


def classify(text: str | bytes, *, model: str | Path | Language | None = None) -> Result:
    """Classify one notice.

    Raises :class:`~retraction_reasons.errors.NoticeError` for empty, binary or over-long input.
    A notice that is not in English comes back with the flag ``non_english`` and no reasons.
    """
    nlp = model if isinstance(model, Language) else load(model)
    text = check_notice(text)
    return result_from_doc(nlp(text), model_stamp(nlp))


def classify_many(texts: Iterable[str | bytes], *, model: str | Path | Language | None = None,
                  batch_size: int = 256, on_error: Literal["raise", "flag"] = "raise") -> list[Result]:
    """Classify many notices, batched through ``nlp.pipe``; results are in input order.

    With ``on_error="flag"`` an invalid text does not stop the batch: its result has ``error``
    set (and ``error_kind``: empty, not_text, too_long) and no reasons.
    """
    return list(iter_classify(texts, model=model, batch_size=batch_size, on_error=on_error))


def iter_classify(texts: Iterable[str | bytes], *, model: str | Path | Language | None = None,
                  batch_size: int = 256, on_error: Literal["raise", "flag"] = "raise") -> Iterator[Result]:
    """Like :func:`classify_many`, lazily: one result per input, in order."""
    if on_error not in ("raise", "flag"):
        raise ValueError("on_error must be 'raise' or 'flag'.")
    nlp = model if isinstance(model, Language) else load(model)
    stamp = model_stamp(nlp)
    checked: list[str | NoticeError] = []

    def flush() -> Iterator[Result]:
        good = [t for t in checked if isinstance(t, str)]
        docs = iter(nlp.pipe(good, batch_size=batch_size))
        for item in checked:
            if isinstance(item, NoticeError):
                yield error_result(str(item), item.kind, stamp)
            else:
                yield result_from_doc(next(docs), stamp)
        checked.clear()

    for number, text in enumerate(texts):
        try:
            checked.append(check_notice(text, where=f"notice #{number}"))
        except NoticeError as err:
            if on_error == "raise":
                raise
            checked.append(err)
        if len(checked) >= batch_size:
            yield from flush()
    yield from flush()
