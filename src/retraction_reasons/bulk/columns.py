"""The columns that annotation adds to each row, their Arrow types, and the batched function.

Every output row holds its original columns plus:

=================  ==========================================================================
``notice_type``    retraction | expression_of_concern | correction | withdrawal | ... (null on error)
``reasons``        ids of the reasons over threshold, highest score first
``scores``         a score for every label of the model (a struct, one field per label; null on error)
``evidence``       list of ``{reason, text, start, end}``: the sentences supporting each reason
``entities``       list of ``{label, text, start, end, norm}``
``language``       "en", "non-en" (null on error)
``flags``          qualifiers such as ``no_reason_cue``, ``non_english``
``error``          null, or a message saying why the row has no (or no reliable) annotation
``error_kind``     null, or missing_text | empty | not_text | too_long | non_english | invalid_record
``model_name``     the model that annotated the row
``model_version``  its version
=================  ==========================================================================

An original column whose name is one of these is kept as ``input_<name>`` (the Retraction
Watch-style corpora have their own ``reasons`` and ``notice_type``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import pyarrow as pa
from spacy.language import Language

from ..api import iter_classify, load
from ..errors import NoticeError
from ..model_io import model_stamp
from ..result import Result, error_result
from ..validation import check_notice

__all__ = [
    "ANNOTATION_COLUMNS",
    "RowProblem",
    "MISSING",
    "annotation_schema",
    "annotation_columns",
    "annotate_batch",
    "annotated_features",
    "classify_rows",
    "model_stamp",
    "model_labels",
    "output_column_names",
]

ANNOTATION_COLUMNS = ("notice_type", "reasons", "scores", "evidence", "entities", "language", "flags",
                      "error", "error_kind", "model_name", "model_version")
CLASH_PREFIX = "input_"

#: Error kinds beyond those of :mod:`retraction_reasons.validation` (empty, not_text, too_long).
MISSING_TEXT = "missing_text"
NON_ENGLISH = "non_english"
INVALID_RECORD = "invalid_record"


class _Missing:
    """The value of a text column that a row does not have."""

    def __repr__(self) -> str:
        return "MISSING"

    def __reduce__(self) -> str:
        return "MISSING"  # one instance, also after pickling to a worker


MISSING = _Missing()


@dataclass(frozen=True)
class RowProblem:
    """A row that could not be read as a record (a broken JSON line, an undecodable file)."""

    message: str
    kind: str = INVALID_RECORD


def annotation_schema(labels: Sequence[str]) -> pa.Schema:
    """The Arrow types of the annotation columns for a model with ``labels``."""
    span = [pa.field("text", pa.string()), pa.field("start", pa.int64()), pa.field("end", pa.int64())]
    return pa.schema([
        pa.field("notice_type", pa.string()),
        pa.field("reasons", pa.list_(pa.string())),
        pa.field("scores", pa.struct([pa.field(label, pa.float64()) for label in labels])),
        pa.field("evidence", pa.list_(pa.struct([pa.field("reason", pa.string()), *span]))),
        pa.field("entities", pa.list_(pa.struct([pa.field("label", pa.string()), *span,
                                                 pa.field("norm", pa.string())]))),
        pa.field("language", pa.string()),
        pa.field("flags", pa.list_(pa.string())),
        pa.field("error", pa.string()),
        pa.field("error_kind", pa.string()),
        pa.field("model_name", pa.string()),
        pa.field("model_version", pa.string()),
    ])


def model_labels(nlp: Language) -> list[str]:
    """The labels of the model's classifier, in its order (the fields of ``scores``)."""
    from ..model_io import CLASSIFIER_PIPE

    return list(nlp.get_pipe(CLASSIFIER_PIPE).labels)


def _where(row_where: str | None, row_id: object) -> str:
    place = row_where or "the notice"
    return f"{place} (id {row_id})" if row_id not in (None, "", MISSING) else place


def classify_rows(texts: Sequence[object], nlp: Language, *, wheres: Sequence[str | None] | None = None,
                  ids: Sequence[object] | None = None, problems: Sequence[RowProblem | None] | None = None,
                  text_column: str = "text", batch_size: int = 256,
                  on_progress: Callable[[int], None] | None = None) -> list[Result]:
    """One :class:`Result` per row, in order; a row that cannot be classified gets ``error`` set.

    ``texts`` holds each row's text value (:data:`MISSING` where the row has no text column);
    ``problems`` marks rows that could not be read at all. Non-English notices keep their
    fields and get ``error_kind`` "non_english". ``on_progress(n)`` is called as rows finish.
    """
    n_rows = len(texts)
    wheres = wheres if wheres is not None else [f"row {i}" for i in range(n_rows)]
    ids = ids if ids is not None else [None] * n_rows
    problems = problems if problems is not None else [None] * n_rows
    stamp = model_stamp(nlp)
    results: list[Result | None] = [None] * n_rows
    good_rows: list[int] = []
    good_texts: list[str] = []
    for i, text in enumerate(texts):
        where = _where(wheres[i], ids[i])
        if problems[i] is not None:
            results[i] = error_result(f"{where}: {problems[i].message}", problems[i].kind, stamp)
        elif text is MISSING or text is None:
            results[i] = error_result(
                f"{where} has no {text_column!r} value: put the notice text in that column, or name "
                "the column that holds it with --text-column.", MISSING_TEXT, stamp)
        else:
            try:
                good_texts.append(check_notice(text, where))
                good_rows.append(i)
            except NoticeError as err:
                results[i] = error_result(str(err), err.kind, stamp)
    if on_progress and n_rows - len(good_rows):
        on_progress(n_rows - len(good_rows))
    done = 0
    for i, result in zip(good_rows, iter_classify(good_texts, model=nlp, batch_size=batch_size, on_error="flag")):
        if NON_ENGLISH in result.flags and result.error is None:
            result = dataclasses.replace(
                result, error=f"{_where(wheres[i], ids[i])} is not in English: no reasons are given "
                              "(the model reads English notices only).", error_kind=NON_ENGLISH)
        results[i] = result
        done += 1
        if on_progress and done % 64 == 0:
            on_progress(64)
    if on_progress and done % 64:
        on_progress(done % 64)
    return results  # type: ignore[return-value]


def annotation_columns(results: Sequence[Result]) -> dict[str, list]:
    """The annotation columns (see the module docstring) of ``results``, as Python lists."""
    columns: dict[str, list] = {name: [] for name in ANNOTATION_COLUMNS}
    for result in results:
        columns["notice_type"].append(result.notice_type)
        columns["reasons"].append(result.reason_ids)
        columns["scores"].append(dict(result.scores) if result.scores else None)
        columns["evidence"].append([{"reason": reason.id, "text": span.text, "start": span.start, "end": span.end}
                                    for reason in result.reasons for span in reason.evidence_spans])
        columns["entities"].append([{"label": e.label, "text": e.text, "start": e.start, "end": e.end, "norm": e.norm}
                                    for e in result.entities])
        columns["language"].append(result.language)
        columns["flags"].append(list(result.flags))
        columns["error"].append(result.error)
        columns["error_kind"].append(result.error_kind)
        columns["model_name"].append(result.model.get("name"))
        columns["model_version"].append(result.model.get("version"))
    return columns


def output_column_names(original: Iterable[str]) -> dict[str, str]:
    """Map each original column to its name in the output (``input_<name>`` on a clash)."""
    original = list(original)
    taken = set(original) | set(ANNOTATION_COLUMNS)
    names = {}
    for name in original:
        if name in ANNOTATION_COLUMNS:
            new = CLASH_PREFIX + name
            while new in taken:
                new = CLASH_PREFIX + new
            taken.add(new)
            names[name] = new
        else:
            names[name] = name
    return names


def annotate_batch(batch: Mapping[str, list] | pa.Table, *, text_column: str = "text",
                   id_column: str | None = "id", model: str | Path | Language | None = None,
                   batch_size: int = 256) -> dict[str, list] | pa.Table:
    """Annotate a batch of rows; the function to give ``Dataset.map(..., batched=True)``.

    Parameters
    ----------
    batch : dict of lists, or pyarrow.Table
        The rows as columns. A dict (``Dataset.map``'s default) gets back a dict of the
        annotation columns, plus ``input_<name>`` for each original column whose name an
        annotation column takes (so that ``map`` keeps it). A ``pyarrow.Table`` (a dataset
        in ``"arrow"`` format) gets back the whole table, original columns first (renamed on
        a clash), annotation columns typed as in :func:`annotation_schema`.
    text_column, id_column : str
        The column holding the text; the one identifying a row in error messages.
    model : path or spacy Language, optional
        Default: the shipped model (loaded once per process).

    Examples
    --------
    Typed columns straight away, with the dataset in Arrow format::

        ds = ds.with_format("arrow").map(rr.annotate_batch, batched=True).with_format(None)

    With Python batches, give the output types (the first batch may hold no error at all)::

        ds = ds.map(rr.annotate_batch, batched=True, features=rr.bulk.annotated_features(ds.features))

    A row whose text is missing, empty, not text, too long or not English is not dropped:
    it gets ``error`` and ``error_kind``.
    """
    nlp = model if isinstance(model, Language) else load(model)
    if isinstance(batch, pa.Table):
        columns = batch.column_names
        n_rows = batch.num_rows
        texts = batch.column(text_column).to_pylist() if text_column in columns else [MISSING] * n_rows
        ids = batch.column(id_column).to_pylist() if id_column and id_column in columns else None
    else:
        columns = list(batch)
        n_rows = len(next(iter(batch.values()))) if batch else 0
        texts = batch[text_column] if text_column in batch else [MISSING] * n_rows
        ids = batch[id_column] if id_column and id_column in batch else None
    results = classify_rows(texts, nlp, wheres=[None] * n_rows, ids=ids,
                            text_column=text_column, batch_size=batch_size)
    annotations = annotation_columns(results)
    names = output_column_names(columns)
    if isinstance(batch, pa.Table):
        typed = annotation_schema(model_labels(nlp))
        table = batch.rename_columns([names[c] for c in columns])
        for item in typed:
            table = table.append_column(item, pa.array(annotations[item.name], type=item.type))
        return table
    out = {new: batch[old] for old, new in names.items() if new != old}
    out.update(annotations)
    return out


def annotated_features(features: Any, model: str | Path | Language | None = None) -> Any:
    """The ``datasets.Features`` of a dataset with ``features`` after ``map(annotate_batch)``
    on Python batches: its columns, ``input_<name>`` for clashes, then the annotation columns."""
    import datasets

    nlp = model if isinstance(model, Language) else load(model)
    annotation = datasets.Features.from_arrow_schema(annotation_schema(model_labels(nlp)))
    out = {name: feature for name, feature in features.items() if name not in ANNOTATION_COLUMNS}
    out.update({new: features[old] for old, new in output_column_names(features).items() if new != old})
    out.update(annotation)
    return datasets.Features(out)


def annotated_values(rows: Sequence[Mapping[str, Any]], columns: Sequence[str],
                     annotations: Mapping[str, list]) -> Iterable[dict[str, Any]]:
    """Rows as dictionaries: original columns (renamed on clashes), then the annotation columns."""
    names = output_column_names(columns)
    for i, row in enumerate(rows):
        out = {names[c]: row.get(c) for c in columns}
        for name in ANNOTATION_COLUMNS:
            out[name] = annotations[name][i]
        yield out
