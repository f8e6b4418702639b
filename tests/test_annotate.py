"""Bulk annotation (``retraction-reasons annotate`` and ``rr.annotate``) on small real archives.

A few dozen real notices from the corpora, written to tmp_path in every input format, mixed
with rows we break on purpose: no text, blank text, binary text, a text over 1 MB, a number,
a French notice, and (in JSON Lines) a line that is not JSON. Every row must come out once,
in order, with its original columns, and the broken ones with ``error`` set.
"""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import retraction_reasons as rr
from retraction_reasons.bulk import ANNOTATION_COLUMNS, run_annotate
from retraction_reasons.bulk.errors import AnnotateInputError, ResumeError
from retraction_reasons.cli import main

# Self-written notice in French (not from the corpora): must come out flagged, not dropped.
FRENCH = ("Cet article a été rétracté à la demande des auteurs. Les auteurs ont constaté des erreurs dans "
          "les données de la figure 2, qui ne permettent plus de soutenir les conclusions de l'article.")

#: id -> (row without its id, expected error kind). Placed between real notices.
BROKEN = {
    "bad-missing": ({"journal": "J"}, "missing_text"),
    "bad-blank": ({"text": "  \n\t "}, "empty"),
    "bad-binary": ({"text": "PK\x03\x04\x00\x01\x02\x7f" * 40}, "not_text"),
    "bad-huge": ({"text": "data " * 220_000}, "too_long"),  # 1.1 million characters
    "bad-number": ({"text": 12345}, "not_text"),
    "bad-french": ({"text": FRENCH}, "non_english"),
}
BROKEN_JSON_LINE = '{"id": "bad-json", "text": "the closing quote is missing}'
KEPT = ("id", "text", "journal", "publisher", "date", "reasons")


@pytest.fixture(scope="module")
def archive(corpora_dir: Path) -> list[dict]:
    """30 real notices (RW-labelled and modern wording) with the broken rows spread among them."""
    rows = []
    for name, count in (("notices.jsonl", 20), ("modern_notices.jsonl", 10)):
        with open(corpora_dir / name, encoding="utf-8") as handle:
            for line in list(handle)[:count]:
                record = json.loads(line)
                rows.append({key: record[key] for key in KEPT if key in record})
    for position, (row_id, (row, _)) in zip(range(2, 40, 5), BROKEN.items()):
        rows.insert(position, {"id": row_id, **row})
    return rows


def write_jsonl(rows: list[dict], path: Path, broken_line_at: int | None = None) -> Path:
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    if broken_line_at is not None:
        lines.insert(broken_line_at, BROKEN_JSON_LINE)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(data))
    else:
        path.write_bytes(data)
    return path


def write_delimited(rows: list[dict], path: Path) -> Path:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, delimiter="\t" if ".tsv" in path.name else ",")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: json.dumps(v) if isinstance(v, list) else v for k, v in row.items()})
    return path


def write_parquet(rows: list[dict], path: Path) -> Path:
    typed = [{**row, "text": str(row["text"]) if isinstance(row.get("text"), int) else row.get("text")}
             for row in rows]
    pq.write_table(pa.Table.from_pylist(typed), path, row_group_size=7)
    return path


def read_output(path: Path) -> list[dict]:
    return pq.read_table(path).to_pylist()


@pytest.fixture(scope="module")
def jsonl_run(archive, tmp_path_factory) -> tuple[list[dict], list[dict], rr.bulk.JobSummary]:
    """The archive as JSON Lines with a broken line, annotated to Parquet with small shards."""
    folder = tmp_path_factory.mktemp("jsonl")
    source = write_jsonl(archive, folder / "archive.jsonl", broken_line_at=10)
    summary = run_annotate(source, folder / "out.parquet", shard_size=8, quiet=True)
    return archive, read_output(folder / "out.parquet"), summary


def test_every_row_once_in_input_order(jsonl_run):
    archive, out, summary = jsonl_run
    expected_ids = [row["id"] for row in archive]
    expected_ids.insert(10, None)  # the broken JSON line: an error row where it stood
    assert [row["id"] for row in out] == expected_ids
    assert summary.rows_in == summary.rows_out == len(archive) + 1
    assert not (Path(summary.out).parent / "out.parquet.parts").exists()


def test_broken_rows_come_out_with_their_error(jsonl_run):
    _, out, summary = jsonl_run
    by_id = {row["id"]: row for row in out}
    for row_id, (_, kind) in BROKEN.items():
        row = by_id[row_id]
        assert row["error_kind"] == kind, row_id
        assert row["error"] and row_id in row["error"], "the message names the row"
        assert row["reasons"] == [] and row["model_name"]
    broken_line = out[10]
    assert broken_line["error_kind"] == "invalid_record"
    assert "archive.jsonl:11" in broken_line["error"] and "not valid JSON" in broken_line["error"]
    assert by_id["bad-missing"]["journal"] == "J", "the other columns of a row without text are kept"
    assert by_id["bad-french"]["language"] == "non-en" and by_id["bad-french"]["notice_type"] == "retraction"
    assert summary.errors == {kind: 1 for _, kind in BROKEN.values()} | {"invalid_record": 1, "not_text": 2}


def test_good_rows_are_annotated(jsonl_run, nlp):
    archive, out, summary = jsonl_run
    info = rr.model_info(nlp)
    texts = {row["id"]: row["text"] for row in archive if not row["id"].startswith("bad-")}
    good = [row for row in out if row["id"] in texts]
    assert len(good) == 30
    for row in good:
        assert row["error"] is None and row["error_kind"] is None
        assert list(row["scores"]) == info["labels"], "a score for every label, in the model's order"
        assert all(0.0 <= score <= 1.0 for score in row["scores"].values())
        assert set(row["reasons"]) <= set(info["labels"]) and row["notice_type"]
        text = texts[row["id"]]
        for item in row["evidence"]:
            assert item["reason"] in row["reasons"] and text[item["start"]:item["end"]] == item["text"]
        for entity in row["entities"]:
            assert text[entity["start"]:entity["end"]] == entity["text"]
        assert (row["model_name"], row["model_version"]) == (info["name"], info["version"])
    assert sum(bool(row["reasons"]) for row in good) > 20
    assert sum(summary.reasons.values()) == sum(len(row["reasons"]) for row in out)
    # The same as classifying each notice on its own.
    one = rr.classify(good[0]["text"], model=nlp)
    assert one.reason_ids == good[0]["reasons"] and one.notice_type == good[0]["notice_type"]


def test_original_columns_kept_and_typed(jsonl_run, tmp_path):
    archive, out, summary = jsonl_run
    first = next(row for row in archive if "reasons" in row)
    row = next(r for r in out if r["id"] == first["id"])
    assert row["text"] == first["text"] and row["journal"] == first.get("journal")
    assert row["input_reasons"] == first["reasons"], "a clashing original column is kept as input_<name>"
    schema = pq.read_schema(summary.out)
    assert schema.names[-len(ANNOTATION_COLUMNS):] == list(ANNOTATION_COLUMNS)
    assert pa.types.is_list(schema.field("reasons").type)
    assert pa.types.is_struct(schema.field("scores").type)
    evidence = schema.field("evidence").type
    assert pa.types.is_list(evidence) and pa.types.is_struct(evidence.value_type)
    assert [f.name for f in schema.field("entities").type.value_type] == ["label", "text", "start", "end", "norm"]
    assert schema.field("input_reasons").type == pa.list_(pa.string())


@pytest.mark.parametrize("name", ["archive.csv", "archive.tsv.gz", "archive.parquet", "archive.jsonl.gz"])
def test_every_input_format_gives_the_same_annotations(name, archive, jsonl_run, tmp_path):
    _, expected, _ = jsonl_run
    if name.endswith(".parquet"):
        source = write_parquet(archive, tmp_path / name)
    elif ".jsonl" in name:
        source = write_jsonl(archive, tmp_path / name)
    else:
        source = write_delimited(archive, tmp_path / name)
    run_annotate(source, tmp_path / "out.parquet", shard_size=16, quiet=True)
    out = read_output(tmp_path / "out.parquet")
    assert [row["id"] for row in out] == [row["id"] for row in archive]
    expected = {row["id"]: row for row in expected}
    for row in out:
        if row["id"] in ("bad-missing", "bad-number"):  # CSV has no missing or numeric text
            assert row["error_kind"] in ("missing_text", "not_text", "empty", None)
            continue
        want = expected[row["id"]]
        assert (row["notice_type"], row["reasons"], row["scores"], row["error_kind"]) == \
               (want["notice_type"], want["reasons"], want["scores"], want["error_kind"]), row["id"]


def test_folder_of_text_files(tmp_path, archive):
    folder = tmp_path / "notices"
    real = [row for row in archive if not row["id"].startswith("bad-")][:5]
    for i, row in enumerate(real):
        target = folder / ("2019" if i % 2 else "2020") / f"{row['id']}.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(row["text"], encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "scan.txt").write_bytes(b"%PDF-1.4\x00\x00\xff\xfe binary")
    (folder / "readme.md").write_text("not a notice", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(folder), "--out", str(out), "--id-column", "path", "--quiet"]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    paths = [row["path"] for row in rows]
    assert paths == sorted(paths), "in the order of their relative paths"
    assert set(paths) == {f"{'2019' if i % 2 else '2020'}/{row['id']}.txt" for i, row in enumerate(real)} | \
                         {"empty.txt", "scan.txt"}
    kinds = {row["path"]: row["error_kind"] for row in rows}
    assert kinds["empty.txt"] == "empty" and kinds["scan.txt"] == "not_text"
    assert sum(kind is None for kind in kinds.values()) == 5


def test_jsonl_and_csv_outputs(tmp_path, archive, jsonl_run):
    _, expected, _ = jsonl_run
    source = write_jsonl(archive, tmp_path / "archive.jsonl", broken_line_at=10)
    assert main(["annotate", str(source), "--out", str(tmp_path / "out.jsonl"), "--quiet", "--shard-size", "9"]) == 0
    assert main(["annotate", str(source), "--out", str(tmp_path / "out.csv"), "--quiet", "--shard-size", "9"]) == 0
    as_jsonl = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as handle:
        as_csv = list(csv.DictReader(handle))
    assert len(as_jsonl) == len(as_csv) == len(expected)
    for parquet_row, json_row, csv_row in zip(expected, as_jsonl, as_csv):
        assert json_row.get("id") == parquet_row["id"] and (csv_row["id"] or None) == parquet_row["id"]
        assert json_row["reasons"] == parquet_row["reasons"] == json.loads(csv_row["reasons"])
        assert json_row["scores"] == parquet_row["scores"]
        assert json.loads(csv_row["evidence"]) == parquet_row["evidence"]
        assert (csv_row["error_kind"] or None) == parquet_row["error_kind"]
    assert list(as_csv[0])[-len(ANNOTATION_COLUMNS):] == list(ANNOTATION_COLUMNS)


def test_python_api_and_dataset_map(tmp_path, archive, jsonl_run):
    import datasets

    _, expected, _ = jsonl_run
    clean = [{k: v for k, v in row.items() if k != "text" or isinstance(v, str)} for row in archive]
    ds = datasets.Dataset.from_list([{"id": r["id"], "text": r.get("text"), "journal": r.get("journal")}
                                     for r in clean])
    annotated = rr.annotate(ds, out=tmp_path / "api.parquet", shard_size=10)
    assert isinstance(annotated, datasets.Dataset) and annotated.num_rows == len(archive)
    assert annotated["id"] == [row["id"] for row in archive]
    assert annotated.features["scores"] == datasets.Features.from_arrow_schema(
        pq.read_schema(tmp_path / "api.parquet"))["scores"]
    by_id = {row["id"]: row for row in expected}
    assert [r["reasons"] for r in annotated] == [by_id[i]["reasons"] for i in annotated["id"]]

    mapped = ds.map(rr.annotate_batch, batched=True, batch_size=16,
                    features=rr.bulk.annotated_features(ds.features))
    as_arrow = ds.with_format("arrow").map(rr.annotate_batch, batched=True, batch_size=16).with_format(None)
    for other in (mapped, as_arrow):
        assert other["reasons"] == annotated["reasons"] and other["error_kind"] == annotated["error_kind"]
    streamed = rr.annotate(ds.to_iterable_dataset(), shard_size=10)
    assert streamed["reasons"] == annotated["reasons"]


def test_summary_and_progress_lines(tmp_path, archive, capsys):
    source = write_jsonl(archive, tmp_path / "archive.jsonl")
    run_annotate(source, tmp_path / "out.parquet", shard_size=10, progress_interval=0)
    err = capsys.readouterr().err
    assert "notices/s" in err and "ETA" in err, "a plain progress line when stderr is not a terminal"
    assert f"annotated {len(archive)} rows" in err and f"({len(archive)} rows in)" in err
    assert "errors: 6" in err and "too_long 1" in err and "notices per reason:" in err


def test_usage_errors_exit_2(tmp_path, archive, capsys):
    source = write_jsonl(archive, tmp_path / "archive.jsonl")
    assert main(["annotate", str(source), "--out", str(tmp_path / "o.parquet"), "--text-column", "body"]) == 2
    assert "no column 'body'" in capsys.readouterr().err
    (tmp_path / "notes.xml").write_text("<a/>", encoding="utf-8")
    assert main(["annotate", str(tmp_path / "notes.xml"), "--out", str(tmp_path / "o.parquet")]) == 2
    assert "unknown input format" in capsys.readouterr().err
    assert main(["annotate", str(source), "--out", str(tmp_path / "o.txt")]) == 2
    with pytest.raises(AnnotateInputError):
        run_annotate(source, tmp_path / "o.parquet", engine="dask")  # dask reads Parquet only
    assert not (tmp_path / "o.parquet").exists()


def test_resume_refuses_a_changed_input(tmp_path, archive):
    source = write_jsonl(archive, tmp_path / "archive.jsonl")
    out = tmp_path / "out.parquet"
    parts = out.with_name("out.parquet.parts")
    parts.mkdir()
    (parts / "job.json").write_text(json.dumps({"layout": 1, "inputs": [], "text_column": "text"}), encoding="utf-8")
    with pytest.raises(ResumeError, match="Rerun without --resume"):
        run_annotate(source, out, resume=True, quiet=True)
    run_annotate(source, out, quiet=True)  # without --resume: starts over
    assert pq.read_metadata(out).num_rows == len(archive) and not parts.exists()
