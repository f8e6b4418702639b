"""Inputs of a bulk job, read as a stream of shards (never a whole archive in memory).

Each input is a :class:`Source`: JSON Lines, CSV or TSV (each optionally ``.gz``), Parquet, a
folder of ``.txt`` files (one notice each, id = path relative to the folder), or a
``datasets.Dataset`` / ``IterableDataset``. A source yields its rows in order, grouped into
shards of ``shard_size`` rows, each row with a place (``file:line``) for error messages and,
for a record that could not be read at all (a broken JSON line), a :class:`RowProblem`.

The text formats are read here, line by line, rather than with ``datasets.load_dataset``:
its JSON and CSV builders stop the whole load at the first broken line and infer column types
per chunk, while a bulk job must turn a broken line into an error row and go on.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import NoticeError
from ..validation import MAX_NOTICE_CHARS, decode_notice
from .columns import RowProblem
from .errors import AnnotateInputError

__all__ = ["Source", "ShardRows", "open_source", "open_sources", "detect_format", "INPUT_FORMATS"]

INPUT_FORMATS = ("jsonl", "csv", "tsv", "parquet", "txt-folder", "dataset")

_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".tsv": "tsv",
             ".parquet": "parquet", ".pq": "parquet"}

# CSV fields may hold whole notices; the csv module's default limit is 128 KiB.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass
class ShardRows:
    """The rows of one shard of one source, with their places and reading problems."""

    number: int                      # shard number within the source
    start: int                       # index of the first row within the source
    count: int = 0                   # rows in the shard (also for a skipped shard)
    rows: list[dict[str, Any]] = field(default_factory=list)
    wheres: list[str] = field(default_factory=list)
    problems: list[RowProblem | None] = field(default_factory=list)


def detect_format(path: Path) -> str:
    """The input format of ``path`` from its suffix (``.gz`` allowed for the text formats)."""
    if path.is_dir():
        return "txt-folder"
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
        if suffixes and _SUFFIXES.get(suffixes[-1]) == "parquet":
            raise AnnotateInputError(f"{path}: a gzipped Parquet file is not supported; Parquet compresses "
                                     "its own columns, give the .parquet file itself.")
    fmt = _SUFFIXES.get(suffixes[-1]) if suffixes else None
    if fmt is None:
        raise AnnotateInputError(
            f"{path}: unknown input format; give .jsonl, .csv, .tsv (each optionally .gz), .parquet, "
            "or a folder of .txt files.")
    return fmt


class Source:
    """One input: its rows in order, counted and fingerprinted for resuming."""

    name: str
    fmt: str
    #: The Arrow schema of the original columns when the input has one (Parquet, Dataset).
    arrow_schema: pa.Schema | None = None

    def fingerprint(self) -> dict[str, Any]:
        """What identifies this input (a resumed job must see the same)."""
        raise NotImplementedError

    def count_rows(self) -> int | None:
        """The number of rows, or None where it cannot be known without reading them all."""
        raise NotImplementedError

    def column_names(self) -> list[str] | None:
        """The column names, from a header or schema, or from the first rows."""
        raise NotImplementedError

    def _iter_raw(self) -> Iterator[Any]:
        """Raw records, cheap to skip (e.g. undecoded lines)."""
        raise NotImplementedError

    def _parse(self, raw: Any) -> tuple[dict[str, Any], str, RowProblem | None]:
        raise NotImplementedError

    def iter_shards(self, shard_size: int, skip: Callable[[int], bool] = lambda number: False) -> Iterator[ShardRows]:
        """The rows in shards of ``shard_size``; shards for which ``skip(number)`` is true are
        passed over without parsing their rows (and yielded empty, so that numbering stays)."""
        number, start, position = 0, 0, 0
        shard = ShardRows(number, 0)
        skipping = skip(0)
        for raw in self._iter_raw():
            if not skipping:
                row, where, problem = self._parse(raw)
                shard.rows.append(row)
                shard.wheres.append(where)
                shard.problems.append(problem)
            position += 1
            if position - start == shard_size:
                shard.count = shard_size
                yield shard
                number, start = number + 1, position
                shard = ShardRows(number, start)
                skipping = skip(number)
        if position > start:
            shard.count = position - start
            yield shard


def _open_text(path: Path) -> io.BufferedIOBase:
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def _file_fingerprint(path: Path, fmt: str) -> dict[str, Any]:
    stat = path.stat()
    return {"path": str(path.resolve()), "format": fmt, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


class JsonLinesSource(Source):
    """JSON Lines: one object a line; blank lines are not rows; a broken line is an error row."""

    fmt = "jsonl"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name

    def fingerprint(self) -> dict[str, Any]:
        return _file_fingerprint(self.path, self.fmt)

    def _iter_raw(self) -> Iterator[tuple[int, bytes]]:
        with _open_text(self.path) as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield number, line

    def count_rows(self) -> int:
        return sum(1 for _ in self._iter_raw())

    def column_names(self) -> list[str] | None:
        names: dict[str, None] = {}
        for seen, raw in enumerate(self._iter_raw()):
            row, _, problem = self._parse(raw)
            names.update(dict.fromkeys(row))
            if seen >= 1000:
                break
        return list(names)

    def _parse(self, raw: tuple[int, bytes]) -> tuple[dict[str, Any], str, RowProblem | None]:
        number, line = raw
        where = f"{self.name}:{number}"
        try:
            text = line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as err:
            return {}, where, RowProblem(f"the line is not valid UTF-8 (at byte {err.start}); the record "
                                         "was not read.")
        try:
            record = json.loads(text)
        except json.JSONDecodeError as err:
            snippet = text.strip()[:80]
            return {}, where, RowProblem(f"the line is not valid JSON ({err.msg} at column {err.colno}): "
                                         f"{snippet!r}; the record was not read.")
        if not isinstance(record, dict):
            return {}, where, RowProblem(f"the line holds a JSON {type(record).__name__}, not an object; "
                                         "the record was not read.")
        return record, where, None


class DelimitedSource(Source):
    """CSV or TSV with a header row; every value is kept as the text in the file."""

    def __init__(self, path: Path, fmt: str) -> None:
        self.path = path
        self.name = path.name
        self.fmt = fmt
        self.delimiter = "\t" if fmt == "tsv" else ","

    def fingerprint(self) -> dict[str, Any]:
        return _file_fingerprint(self.path, self.fmt)

    def _reader(self, handle: io.TextIOBase) -> csv.DictReader:
        return csv.DictReader(handle, delimiter=self.delimiter, restkey="extra_fields")

    def _text_handle(self) -> io.TextIOWrapper:
        # Invalid UTF-8 is replaced (U+FFFD) rather than stopping the job at that byte.
        return io.TextIOWrapper(_open_text(self.path), encoding="utf-8-sig", errors="replace", newline="")

    def column_names(self) -> list[str] | None:
        with self._text_handle() as handle:
            return list(self._reader(handle).fieldnames or [])

    def _iter_raw(self) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
        with self._text_handle() as handle:
            reader = self._reader(handle)
            number = 0
            while True:
                number += 1
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as err:  # a malformed row: keep going with the next line
                    yield number, None, str(err)
                    continue
                yield number, row, None

    def count_rows(self) -> int:
        return sum(1 for _ in self._iter_raw())

    def _parse(self, raw: tuple[int, dict[str, Any] | None, str | None]) -> tuple[dict[str, Any], str, RowProblem | None]:
        number, row, problem = raw
        where = f"{self.name} row {number}"
        if row is None:
            return {}, where, RowProblem(f"the row could not be read as {self.fmt.upper()} ({problem}).")
        return row, where, None


class ParquetSource(Source):
    """A Parquet file, read a batch at a time; original column types are kept."""

    fmt = "parquet"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name
        try:
            self._file = pq.ParquetFile(path)
        except (pa.ArrowInvalid, OSError) as err:
            raise AnnotateInputError(f"{path}: not a readable Parquet file ({err}).") from err
        self.arrow_schema = self._file.schema_arrow

    def fingerprint(self) -> dict[str, Any]:
        return _file_fingerprint(self.path, self.fmt)

    def count_rows(self) -> int:
        return self._file.metadata.num_rows

    def column_names(self) -> list[str]:
        return list(self.arrow_schema.names)

    def _iter_raw(self) -> Iterator[tuple[int, dict[str, Any]]]:
        number = 0
        for batch in self._file.iter_batches(batch_size=2048):
            for row in batch.to_pylist():
                yield number, row
                number += 1

    def _parse(self, raw: tuple[int, dict[str, Any]]) -> tuple[dict[str, Any], str, RowProblem | None]:
        number, row = raw
        return row, f"{self.name} row {number}", None


class TextFolderSource(Source):
    """A folder of ``.txt`` files, one notice each, walked lazily in sorted order."""

    fmt = "txt-folder"

    def __init__(self, path: Path, text_column: str, id_column: str) -> None:
        self.path = path
        self.name = path.name
        self.text_column = text_column
        self.id_column = id_column or "id"

    def fingerprint(self) -> dict[str, Any]:
        return {"path": str(self.path.resolve()), "format": self.fmt}

    def column_names(self) -> list[str]:
        return [self.id_column, self.text_column]

    def _iter_raw(self) -> Iterator[Path]:
        yield from self._walk(self.path)

    def _walk(self, folder: Path) -> Iterator[Path]:
        """Files in the order of their relative paths, compared folder by folder; one folder
        listed at a time."""
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
        for entry in entries:
            if entry.is_dir():
                yield from self._walk(Path(entry.path))
            elif entry.name.lower().endswith(".txt") and entry.is_file():
                yield Path(entry.path)

    def count_rows(self) -> int:
        return sum(1 for _ in self._iter_raw())

    def _parse(self, path: Path) -> tuple[dict[str, Any], str, RowProblem | None]:
        relative = path.relative_to(self.path).as_posix()
        row: dict[str, Any] = {self.id_column: relative, self.text_column: None}
        where = f"{self.name}/{relative}"
        try:
            size = path.stat().st_size
            if size > MAX_NOTICE_CHARS * 4:  # over the limit whatever the encoding: not read
                return row, where, RowProblem(f"the file has {size:,} bytes, more than a notice of at most "
                                              f"{MAX_NOTICE_CHARS:,} characters can; it was not read.", "too_long")
            row[self.text_column] = decode_notice(path.read_bytes(), where)
        except NoticeError as err:
            return row, where, RowProblem(str(err).split("] ", 1)[-1], err.kind)
        except OSError as err:
            return row, where, RowProblem(f"the file could not be read ({err.strerror}).")
        return row, where, None


class DatasetSource(Source):
    """A ``datasets.Dataset`` (sliced shard by shard, Arrow-backed) or ``IterableDataset``."""

    fmt = "dataset"

    def __init__(self, dataset: Any) -> None:
        import datasets

        self.dataset = dataset
        self.iterable = isinstance(dataset, datasets.IterableDataset)
        self.name = "dataset"
        if not self.iterable:
            self.arrow_schema = dataset.data.schema
        elif dataset.features is not None:
            self.arrow_schema = dataset.features.arrow_schema

    def fingerprint(self) -> dict[str, Any]:
        fingerprint = getattr(self.dataset, "_fingerprint", None)
        return {"format": self.fmt, "fingerprint": fingerprint, "rows": self.count_rows()}

    def count_rows(self) -> int | None:
        return None if self.iterable else len(self.dataset)

    def column_names(self) -> list[str] | None:
        return list(self.dataset.column_names) if self.dataset.column_names is not None else None

    def _iter_raw(self) -> Iterator[tuple[int, dict[str, Any]]]:
        if self.iterable:
            yield from enumerate(self.dataset)
            return
        table_view = self.dataset.with_format("arrow")
        for start in range(0, len(self.dataset), 2048):
            for offset, row in enumerate(table_view[start:start + 2048].to_pylist()):
                yield start + offset, row

    def _parse(self, raw: tuple[int, dict[str, Any]]) -> tuple[dict[str, Any], str, RowProblem | None]:
        number, row = raw
        return row, f"row {number}", None


def open_source(item: Any, *, text_column: str = "text", id_column: str = "id") -> Source:
    """A :class:`Source` for a path (file or folder) or a ``datasets`` dataset."""
    if not isinstance(item, (str, os.PathLike)):
        import datasets

        if isinstance(item, datasets.DatasetDict):
            raise AnnotateInputError(f"a DatasetDict holds several splits ({', '.join(item)}): annotate one, "
                                     "e.g. ds['train'].")
        if isinstance(item, (datasets.Dataset, datasets.IterableDataset)):
            return DatasetSource(item)
        raise AnnotateInputError(f"cannot annotate a {type(item).__name__}: give a file path, a folder of "
                                 ".txt files or a datasets.Dataset.")
    path = Path(item)
    if not path.exists():
        raise AnnotateInputError(f"{path}: no such file or folder.")
    fmt = detect_format(path)
    if fmt == "jsonl":
        return JsonLinesSource(path)
    if fmt in ("csv", "tsv"):
        return DelimitedSource(path, fmt)
    if fmt == "parquet":
        return ParquetSource(path)
    return TextFolderSource(path, text_column, id_column)


def open_sources(items: Sequence[Any], *, text_column: str = "text", id_column: str = "id") -> list[Source]:
    """:func:`open_source` for each input, in order; they are annotated one after the other."""
    if not items:
        raise AnnotateInputError("give at least one input file, folder or dataset.")
    sources = [open_source(item, text_column=text_column, id_column=id_column) for item in items]
    if len(sources) > 1 and any(isinstance(s, DatasetSource) and s.iterable for s in sources):
        raise AnnotateInputError("an IterableDataset can only be annotated on its own (its length is unknown).")
    return sources
