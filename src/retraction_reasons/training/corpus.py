"""Reading labelled notices from JSONL, CSV, TSV or Parquet files, through ``datasets``, offline.

Labels may be a list column or a string with ``;`` separators. With ``label_set="taxonomy"``
(default) every label must be a reason-group id or a Retraction Watch reason in any spelling
of ``data/taxonomy.tsv`` ('+' prefixes allowed); process reasons are dropped. With
``label_set="custom"`` the labels are taken as they are and the model predicts those.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Sequence

from ..errors import TrainingDataError
from ..taxonomy import Taxonomy, load_taxonomy

__all__ = ["LabelledCorpus", "read_labelled", "load_table", "LABEL_COLUMN_CANDIDATES"]

#: Tried in this order when no labels column is named.
LABEL_COLUMN_CANDIDATES = ("labels", "reason_groups", "reasons", "label")

_BUILDERS = {".jsonl": "json", ".json": "json", ".csv": "csv", ".tsv": "csv", ".parquet": "parquet"}


@dataclass
class LabelledCorpus:
    """Labelled notices, in file order."""

    ids: list[str]
    texts: list[str]
    labels: list[list[str]]
    sources: list[str]
    label_set: list[str]
    extra: list[dict[str, Any]] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    files: list[dict[str, Any]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.texts)

    def indicator_matrix(self):
        """Labels as an indicator matrix of shape (n_samples, len(label_set))."""
        import numpy as np

        Y = np.zeros((len(self), len(self.label_set)), dtype=int)
        column = {label: i for i, label in enumerate(self.label_set)}
        for row, labels in enumerate(self.labels):
            for label in labels:
                Y[row, column[label]] = 1
        return Y


def _builder_for(path: Path) -> tuple[str, dict[str, Any]]:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in (".gz", ".bz2", ".xz", ".zst"):
        suffixes = suffixes[:-1]
    suffix = suffixes[-1] if suffixes else ""
    if suffix not in _BUILDERS:
        raise TrainingDataError(f"{path}: unknown file type {suffix or '(none)'}; use .jsonl, .csv, .tsv or .parquet.")
    options = {"delimiter": "\t"} if suffix == ".tsv" else {}
    return _BUILDERS[suffix], options


def load_table(path: str | Path, cache_dir: str | Path | None = None):
    """Load one file as a ``datasets.Dataset`` (offline, cache in ``cache_dir`` or a temp dir)."""
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import datasets

    path = Path(path)
    if not path.is_file():
        raise TrainingDataError(f"{path}: no such file.")
    builder, options = _builder_for(path)
    datasets.logging.set_verbosity_error()
    datasets.disable_progress_bars()
    # Without a cache folder of the caller's, the cache lives in a temp folder for this call
    # only: the table is loaded into memory and the folder removed.
    temporary = None if cache_dir else tempfile.mkdtemp(prefix="rr-datasets-")
    try:
        return datasets.load_dataset(builder, data_files=str(path), split="train", cache_dir=str(cache_dir or temporary),
                                     keep_in_memory=temporary is not None, **options)
    except Exception as err:
        raise TrainingDataError(f"{path}: could not be read as {builder} ({type(err).__name__}: {str(err)[:300]}). "
                                "Check that every row is well-formed.") from err
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


def _split_labels(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return [str(part).strip() for part in value if part is not None and str(part).strip()]


def read_labelled(paths: Sequence[str | Path], *, text_column: str = "text", labels_column: str | None = None,
                  id_column: str | None = "id", label_set: Literal["taxonomy", "custom"] = "taxonomy",
                  taxonomy: Taxonomy | None = None, keep_columns: Sequence[str] = ("publisher", "journal", "dois",
                  "retraction_doi", "original_doi"), cache_dir: str | Path | None = None) -> LabelledCorpus:
    """Read labelled notices from one or more files.

    Raises :class:`TrainingDataError` naming the file and what to do when a column is missing,
    a label is unknown (taxonomy mode) or no usable row is left.
    """
    if label_set not in ("taxonomy", "custom"):
        raise TrainingDataError(f"label_set must be 'taxonomy' or 'custom', not {label_set!r}.")
    taxonomy = taxonomy or load_taxonomy()
    ids: list[str] = []
    texts: list[str] = []
    labels: list[list[str]] = []
    sources: list[str] = []
    extra: list[dict[str, Any]] = []
    skipped = {"empty_text": 0, "no_labels": 0}
    files = []
    unknown: dict[str, int] = {}
    for path in paths:
        path = Path(path)
        table = load_table(path, cache_dir)
        columns = table.column_names
        if text_column not in columns:
            raise TrainingDataError(f"{path}: no text column {text_column!r} (columns: {', '.join(columns)}); "
                                    "name it with --text-column.")
        column = labels_column
        if column is None:
            column = next((c for c in LABEL_COLUMN_CANDIDATES if c in columns), None)
            if column is None:
                raise TrainingDataError(f"{path}: no labels column (looked for {', '.join(LABEL_COLUMN_CANDIDATES)}; "
                                        f"columns: {', '.join(columns)}); name it with --labels-column.")
        elif column not in columns:
            raise TrainingDataError(f"{path}: no labels column {column!r} (columns: {', '.join(columns)}); "
                                    "name it with --labels-column.")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        files.append({"file": path.name, "rows": len(table), "sha256": digest, "labels_column": column})
        keep = [c for c in keep_columns if c in columns]
        for number, row in enumerate(table):
            text = row[text_column]
            if not isinstance(text, str) or not text.strip():
                skipped["empty_text"] += 1
                continue
            raw = _split_labels(row[column])
            if label_set == "taxonomy":
                groups, bad = taxonomy.map_labels(raw)
                for label in bad:
                    unknown[label] = unknown.get(label, 0) + 1
            else:
                groups = list(dict.fromkeys(raw))
            if not groups:
                skipped["no_labels"] += 1
                continue
            row_id = row[id_column] if id_column and id_column in columns else None
            ids.append(str(row_id) if row_id is not None else f"{path.name}:{number}")
            texts.append(text)
            labels.append(groups)
            sources.append(path.name)
            extra.append({c: row[c] for c in keep})
    if unknown:
        shown = ", ".join(f"{label!r} ({n}x)" for label, n in sorted(unknown.items(), key=lambda kv: -kv[1])[:10])
        raise TrainingDataError(
            f"{len(unknown)} label(s) are neither reason-group ids nor Retraction Watch reasons of the taxonomy: "
            f"{shown}. Fix the labels, add them to data/taxonomy.tsv, or train your own label set with "
            "--label-set custom.")
    if not texts:
        raise TrainingDataError(f"no usable rows in {', '.join(map(str, paths))} (skipped: {skipped}).")
    if label_set == "taxonomy":
        seen = {label for row in labels for label in row}
        label_list = [g for g in taxonomy.group_ids if g in seen]
    else:
        label_list = sorted({label for row in labels for label in row})
    return LabelledCorpus(ids, texts, labels, sources, label_list, extra, skipped, files)
