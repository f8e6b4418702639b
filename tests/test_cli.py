"""The command line, in-process (main(argv)) and as the installed console command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from retraction_reasons.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"


def test_predict_text(capsys, corpora_dir):
    assert main(["predict", str(corpora_dir / "seed_notice.txt")]) == 0
    out = capsys.readouterr().out
    assert "notice type: retraction" in out and "unreliable_data" in out
    assert "10.3389/fcell.2021.607001" in out


def test_predict_json_single(capsys):
    assert main(["predict", str(EXAMPLES / "peer_review.txt"), "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["source"].endswith("peer_review.txt")
    assert payload["reasons"][0]["id"] == "peer_review_manipulation"


def test_predict_several_files_and_stdin(capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((EXAMPLES / "plagiarism.txt").read_bytes())))
    assert main(["predict", str(EXAMPLES / "peer_review.txt"), "-", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert [p["source"] for p in payload][1] == "stdin"
    assert "plagiarism" in [r["id"] for r in payload[1]["reasons"]]


def test_predict_jsonl_keeps_every_row(tmp_path, capsys):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": "a", "text": (EXAMPLES / "peer_review.txt").read_text()}),
        json.dumps({"id": "b", "text": ""}),
        "{not json",
        json.dumps({"id": "d", "text": (EXAMPLES / "plagiarism.txt").read_text()}),
    ]) + "\n", encoding="utf-8")
    assert main(["predict", "--jsonl", str(path), "--format", "jsonl"]) == 2  # some rows failed
    captured = capsys.readouterr()
    rows = [json.loads(line) for line in captured.out.splitlines()]
    assert len(rows) == 4
    assert [r["error_kind"] for r in rows] == [None, "empty", "not_text", None]
    assert rows[0]["id"] == "a" and rows[0]["reasons"]
    assert "in.jsonl:3" in captured.err


def test_bad_inputs_exit_2_without_traceback(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    binary = tmp_path / "blob.bin"
    binary.write_bytes(os.urandom(2000) + b"\x00")
    for argv in (["predict", str(empty)], ["predict", str(binary)], ["predict", str(tmp_path / "missing.txt")],
                 ["predict", str(EXAMPLES / "peer_review.txt"), "--model", str(tmp_path / "no-model")], ["predict"],
                 ["train", "--data", str(empty), "--out", str(tmp_path / "m")]):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert "Traceback" not in err and "retraction-reasons" in err


def test_train_then_predict_with_own_model(tmp_path, capsys, corpora_dir):
    out = tmp_path / "my-model"
    assert main(["train", "--data", str(corpora_dir / "modern_notices.jsonl"), "--labels-column", "reason_groups",
                 "--out", str(out), "--folds", "3", "--name", "mine"]) == 0
    assert (out / "MANIFEST.sha256").is_file()
    capsys.readouterr()
    assert main(["predict", str(EXAMPLES / "image_duplication.txt"), "--model", str(out), "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["model"]["name"] == "mine"
    assert "image_problems" in [r["id"] for r in payload["reasons"]]
    assert main(["evaluate", "--data", str(corpora_dir / "notices.jsonl"), "--model", str(out)]) == 0
    assert "micro P" in capsys.readouterr().out
    assert main(["train", "--data", str(corpora_dir / "modern_notices.jsonl"), "--out", str(out)]) == 2  # exists


def test_installed_console_command(tmp_path, corpora_dir):
    # The command installed beside this interpreter (a venv need not be activated), else on PATH.
    beside = Path(sys.executable).parent / "retraction-reasons"
    command = str(beside) if beside.is_file() else shutil.which("retraction-reasons")
    if command is None:
        pytest.fail("the console command `retraction-reasons` is not installed: [project.scripts] missing?")
    done = subprocess.run([command, "predict", str(corpora_dir / "seed_notice.txt"), "--format", "json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert [r["id"] for r in payload["reasons"]] == ["unreliable_data"]
    bad = subprocess.run([command, "predict", "-"], input="", capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "empty" in bad.stderr and "Traceback" not in bad.stderr
