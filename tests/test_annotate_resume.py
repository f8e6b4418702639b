"""Nothing lost: the installed ``retraction-reasons annotate`` killed mid-run (SIGKILL, SIGINT)
and rerun with ``--resume`` gives the same rows as an uninterrupted run; several worker
processes and the Dask engine give the same rows as one process."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from retraction_reasons.bulk import run_annotate

SHARD = 12


def _command() -> str:
    beside = Path(sys.executable).parent / "retraction-reasons"
    command = str(beside) if beside.is_file() else shutil.which("retraction-reasons")
    if not command:
        pytest.fail("the retraction-reasons command is not installed (pip install -e .)")
    return command


@pytest.fixture(scope="module")
def archive(corpora_dir: Path, tmp_path_factory) -> Path:
    """300 rows resampled from 20 real notices (unique ids), then a broken line: 26 shards."""
    with open(corpora_dir / "notices_unlabelled.jsonl", encoding="utf-8") as handle:
        notices = [json.loads(line) for line in list(handle)[:20]]
    path = tmp_path_factory.mktemp("archive") / "archive.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for copy in range(15):
            for notice in notices:
                handle.write(json.dumps({"id": f"{copy}/{notice['id']}", "text": notice["text"],
                                         "journal": notice.get("journal")}) + "\n")
        handle.write('{"id": "broken", "text": \n')
    return path


@pytest.fixture(scope="module")
def uninterrupted(archive: Path, tmp_path_factory) -> pa.Table:
    out = tmp_path_factory.mktemp("baseline") / "out.parquet"
    run_annotate(archive, out, shard_size=SHARD, quiet=True)
    return pq.read_table(out)


def _markers(parts: Path) -> list[Path]:
    return sorted(parts.glob("*.done.json")) if parts.is_dir() else []


def _interrupt(args: list[str], parts: Path, sig: int, env: dict[str, str]) -> subprocess.Popen:
    """Start the command, wait until two shards are done, send ``sig``, wait for it to end."""
    process = subprocess.Popen([_command(), "annotate", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 240
    while len(_markers(parts)) < 2:
        assert process.poll() is None, "the job ended before it could be interrupted:\n" + process.stderr.read().decode()
        assert time.monotonic() < deadline, "no shard finished in time"
        time.sleep(0.02)
    process.send_signal(sig)
    _, err = process.communicate(timeout=120)
    process.stderr_text = err.decode("utf-8", "replace")
    return process


@pytest.mark.slow
@pytest.mark.parametrize("sig, workers", [(signal.SIGKILL, 2), (signal.SIGINT, 1)], ids=["sigkill", "sigint"])
def test_killed_then_resumed_loses_and_repeats_nothing(sig, workers, archive, uninterrupted, tmp_path):
    out = tmp_path / "out.parquet"
    parts = tmp_path / "out.parquet.parts"
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    args = [str(archive), "--out", str(out), "--shard-size", str(SHARD), "--workers", str(workers)]
    process = _interrupt([*args, "--quiet"], parts, sig, env)
    if sig == signal.SIGINT:
        assert process.returncode == 130, "Ctrl-C ends the job with status 130"
        assert "interrupted" in process.stderr_text and "Traceback" not in process.stderr_text
    else:
        assert process.returncode == -signal.SIGKILL
    assert not out.exists(), "an interrupted job leaves no output that looks complete"
    time.sleep(1.0)  # orphaned workers (after SIGKILL) stop by themselves within a second
    finished = [json.loads(path.read_text(encoding="utf-8"))["count"] for path in _markers(parts)]
    assert 2 <= len(finished) < 26

    summary = run_annotate(archive, out, shard_size=SHARD, resume=True, quiet=True)
    assert summary.shards_resumed == len(finished), "finished shards are not done again"
    assert summary.rows_this_run == 301 - sum(finished)
    resumed = pq.read_table(out)
    assert resumed.num_rows == uninterrupted.num_rows == 301
    assert resumed.column("id").to_pylist() == uninterrupted.column("id").to_pylist(), "no row twice, none missing"
    assert resumed.equals(uninterrupted), "row for row the same as the uninterrupted run"
    assert not parts.exists()


@pytest.mark.slow
def test_dask_engine_on_a_local_cluster_matches_one_process(archive, corpora_dir, tmp_path):
    pytest.importorskip("dask.distributed")
    rows = [json.loads(line) for line in archive.read_text(encoding="utf-8").splitlines()[:60]]
    rows.insert(7, {"id": "no-text", "journal": "J"})
    rows.insert(20, {"id": "blank", "text": " ", "journal": None})
    source = tmp_path / "archive.parquet"
    pq.write_table(pa.Table.from_pylist(rows), source, row_group_size=16)
    local = run_annotate(source, tmp_path / "local.parquet", shard_size=20, quiet=True)
    on_dask = run_annotate(source, tmp_path / "dask.parquet", shard_size=20, quiet=True, engine="dask", workers=2)
    assert on_dask.rows_out == local.rows_out == 62 and on_dask.errors == local.errors
    expected, got = pq.read_table(tmp_path / "local.parquet"), pq.read_table(tmp_path / "dask.parquet")
    assert got.schema == expected.schema
    assert got.to_pylist() == expected.to_pylist(), "row for row the same output"
    assert got.column("error_kind").to_pylist()[7] == "missing_text"
