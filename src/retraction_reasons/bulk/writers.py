"""Writing shard parts, and assembling them, in input order, into the output file.

Parts are Parquet for a Parquet output and JSON Lines otherwise (a CSV header needs every
column of every shard, known only at the end). Parquet columns are typed: the annotation
columns have fixed types (lists and structs, see :mod:`.columns`); an original column keeps
its type, and one whose values mix types that Arrow cannot unify (a number in one row, an
object in another) is written as text, JSON-encoded.
"""

from __future__ import annotations

import base64
import csv
import datetime as _dt
import decimal
import io
import json
import shutil
from pathlib import Path
from typing import Any, IO, Iterable, Mapping, Sequence

import pyarrow as pa
import pyarrow.parquet as pq

from .columns import ANNOTATION_COLUMNS, annotated_values, annotation_schema, output_column_names
from .shards import commit_file, temp_path_for

__all__ = ["OUTPUT_FORMATS", "part_format", "write_part", "assemble_output", "json_default"]

OUTPUT_FORMATS = ("parquet", "jsonl", "csv")


def part_format(output_format: str) -> str:
    """The format of the shard parts for an output format."""
    return "parquet" if output_format == "parquet" else "jsonl"


def json_default(value: Any) -> Any:
    """JSON for the values Parquet inputs may hold beyond JSON's own types."""
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, _dt.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def _as_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=json_default)


def _infer_array(values: list[Any]) -> pa.Array:
    """An Arrow array of ``values``; JSON-encoded text where Arrow finds no common type."""
    try:
        return pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OverflowError, TypeError):
        return pa.array([_as_text(v) for v in values], type=pa.string())


def _original_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], schema: pa.Schema | None) -> pa.Table:
    if schema is not None and list(schema.names) == list(columns):
        try:
            return pa.Table.from_pylist(list(rows), schema=schema)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            pass  # fall back to inferring column by column
    arrays = [_infer_array([row.get(name) for row in rows]) for name in columns]
    return pa.Table.from_arrays(arrays, names=list(columns)) if columns else pa.table({})


def write_part(path: Path, fmt: str, rows: Sequence[Mapping[str, Any]], columns: Sequence[str],
               annotations: Mapping[str, list], labels: Sequence[str],
               schema: pa.Schema | None = None) -> None:
    """Write one shard's output rows to a temporary file, flush it and rename it to ``path``."""
    temp = temp_path_for(path)
    try:
        if fmt == "parquet":
            original = _original_table(rows, columns, schema)
            names = output_column_names(columns)
            original = original.rename_columns([names[c] for c in original.column_names])
            typed = annotation_schema(labels)
            arrays = list(original.columns) + [pa.array(annotations[f.name], type=f.type) for f in typed]
            fields = list(original.schema) + list(typed)
            pq.write_table(pa.Table.from_arrays(arrays, schema=pa.schema(fields)), temp)
        else:
            with open(temp, "w", encoding="utf-8", newline="\n") as handle:
                for row in annotated_values(rows, columns, annotations):
                    handle.write(json.dumps(row, ensure_ascii=False, default=json_default))
                    handle.write("\n")
        commit_file(temp, path)
    finally:
        temp.unlink(missing_ok=True)


# -- assembling the output -------------------------------------------------------------------


def _unified_type(types: list[pa.DataType]) -> pa.DataType:
    real = [t for t in types if not pa.types.is_null(t)]
    if not real:
        return pa.null()
    if all(t == real[0] for t in real):
        return real[0]
    try:
        schemas = [pa.schema([pa.field("c", t)]) for t in real]
        return pa.unify_schemas(schemas, promote_options="permissive").field("c").type
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return pa.string()


def _unified_schema(schemas: list[pa.Schema]) -> pa.Schema:
    """One schema for all parts: original columns in order of first appearance, then the
    annotation columns; each column's type unified across parts."""
    names: dict[str, list[pa.DataType]] = {}
    for schema in schemas:
        for item in schema:
            names.setdefault(item.name, []).append(item.type)
    originals = [name for name in names if name not in ANNOTATION_COLUMNS]
    ordered = originals + [name for name in ANNOTATION_COLUMNS if name in names]
    return pa.schema([pa.field(name, _unified_type(names[name])) for name in ordered])


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    arrays = []
    for target in schema:
        if target.name not in table.column_names:
            arrays.append(pa.nulls(table.num_rows, type=target.type))
            continue
        column = table.column(target.name)
        if column.type == target.type:
            arrays.append(column)
            continue
        try:
            arrays.append(column.cast(target.type))
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            arrays.append(pa.array([_as_text(v) for v in column.to_pylist()], type=target.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def _assemble_parquet(parts: list[Path], handle: IO[bytes], labels: Sequence[str]) -> int:
    schema = _unified_schema([pq.read_schema(part) for part in parts]) if parts else annotation_schema(labels)
    rows = 0
    with pq.ParquetWriter(handle, schema) as writer:
        for part in parts:  # one shard in memory at a time
            table = _conform(pq.read_table(part), schema)
            writer.write_table(table)
            rows += table.num_rows
    return rows


def _assemble_jsonl(parts: list[Path], handle: IO[bytes]) -> int:
    rows = 0
    for part in parts:
        with open(part, "rb") as source:
            shutil.copyfileobj(source, handle, 1 << 20)
        rows += _count_lines(part)
    return rows


def _count_lines(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=json_default)


def _assemble_csv(parts: list[Path], handle: IO[bytes], columns: Iterable[str], delimiter: str) -> int:
    header = list(dict.fromkeys(c for c in columns if c not in ANNOTATION_COLUMNS)) + list(ANNOTATION_COLUMNS)
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(header)
    rows = 0
    for part in parts:
        with open(part, encoding="utf-8") as source:
            for line in source:
                record = json.loads(line)
                writer.writerow([_csv_cell(record.get(name)) for name in header])
                rows += 1
    text.flush()
    text.detach()
    return rows


def assemble_output(parts: list[Path], out: Path, fmt: str, *, columns: Iterable[str] = (),
                    labels: Sequence[str] = ()) -> int:
    """Write the parts, in the order given, to ``out`` through a temporary file renamed at the
    end (a crash never leaves a file that looks complete); return the number of rows written.

    ``columns`` are the output names of the original columns in order (the CSV header);
    ``labels`` type the ``scores`` column of an empty Parquet output."""
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_path_for(out)
    try:
        with open(temp, "wb") as handle:
            if fmt == "parquet":
                rows = _assemble_parquet(parts, handle, labels)
            elif fmt == "jsonl":
                rows = _assemble_jsonl(parts, handle)
            else:
                rows = _assemble_csv(parts, handle, columns, "\t" if out.suffix.lower() == ".tsv" else ",")
        commit_file(temp, out)
    finally:
        temp.unlink(missing_ok=True)
    return rows
