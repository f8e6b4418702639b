"""The parts folder of a job: finished shards, their done-markers, and resuming.

``OUT.parts/`` holds ``job.json`` (the inputs and settings), and for each finished shard its
rows (``shard-00000.parquet`` or ``.jsonl``) and a done-marker (``shard-00000.done.json``: the
input, the row range, the row count, the size and sha256 of the part, and the shard's
counts for the summary). Every file is written to a temporary name, flushed to disk and
renamed, and the marker only after its part: a shard without a valid marker is simply done
again, so a job killed at any moment (even by SIGKILL) never keeps a partial shard.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from pathlib import Path
from typing import Any, Callable, IO

from .errors import ResumeError

__all__ = ["PartsFolder", "parts_dir_for", "atomic_write", "sha256_file"]

JOB_FILE = "job.json"
_TEMP_MARK = ".tmp-"


def parts_dir_for(out: Path) -> Path:
    """Where the parts of ``out`` are kept while the job runs."""
    return out.with_name(out.name + ".parts")


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # not possible on every platform; the rename is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def temp_path_for(path: Path) -> Path:
    """A unique temporary name beside ``path`` (same folder, so the rename is atomic)."""
    return path.with_name(f"{path.name}{_TEMP_MARK}{os.getpid()}-{uuid.uuid4().hex[:8]}")


def commit_file(temp: Path, path: Path) -> None:
    """Flush ``temp`` to disk and rename it to ``path`` (atomic: readers see all or nothing)."""
    with open(temp, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(temp, path)
    _fsync_dir(path.parent)


def atomic_write(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write ``path`` through ``write(handle)`` so that it appears complete or not at all."""
    temp = temp_path_for(path)
    try:
        with open(temp, "wb") as handle:
            write(handle)
        commit_file(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class PartsFolder:
    """The parts folder of one output file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def part_path(self, index: int, extension: str) -> Path:
        return self.path / f"shard-{index:05d}.{extension}"

    def marker_path(self, index: int) -> Path:
        return self.path / f"shard-{index:05d}.done.json"

    def start(self, job: dict[str, Any], *, resume: bool) -> tuple[dict[int, dict[str, Any]], str]:
        """Prepare the folder for ``job``; return the valid markers of finished shards by index
        (empty unless resuming) and a line saying what was found."""
        job_file = self.path / JOB_FILE
        if resume and job_file.is_file():
            try:
                previous = json.loads(job_file.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError):
                previous = None
            if previous is not None:
                for key in sorted(set(job) | set(previous)):
                    if previous.get(key) != job.get(key):
                        raise ResumeError(self.path, f"its {key} was {previous.get(key)!r}, now {job.get(key)!r}")
                self._remove_temporaries()
                markers = self._valid_markers()
                return markers, f"resuming: {len(markers)} finished shard(s) kept in {self.path}"
        note = "no unfinished job to resume: starting from the beginning" if resume else ""
        if self.path.exists():
            note = (f"an unfinished job's parts in {self.path} were deleted (use --resume to keep them)"
                    if not resume else f"no resumable job in {self.path}: starting from the beginning")
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True)
        self.write_json(job_file, job)
        return {}, note

    def write_json(self, path: Path, payload: dict[str, Any]) -> None:
        data = (json.dumps(payload, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        atomic_write(path, lambda handle: handle.write(data))

    def commit_marker(self, marker: dict[str, Any]) -> None:
        """Record a finished shard (after its part file is in place)."""
        self.write_json(self.marker_path(marker["shard"]), marker)

    def _remove_temporaries(self) -> None:
        for path in self.path.iterdir():
            if _TEMP_MARK in path.name:
                path.unlink(missing_ok=True)

    def _valid_markers(self) -> dict[int, dict[str, Any]]:
        """Markers whose part file is there with the recorded size and sha256; the others (and
        parts without a marker) are deleted, so their shards are done again."""
        markers: dict[int, dict[str, Any]] = {}
        for path in sorted(self.path.glob("shard-*.done.json")):
            try:
                marker = json.loads(path.read_text(encoding="utf-8"))
                part = self.path / marker["file"]
                valid = (path == self.marker_path(marker["shard"]) and part.is_file()
                         and part.stat().st_size == marker["size"] and sha256_file(part) == marker["sha256"])
            except (OSError, ValueError, KeyError, TypeError):
                valid = False
            if valid:
                markers[marker["shard"]] = marker
            else:
                path.unlink(missing_ok=True)
        kept = {marker["file"] for marker in markers.values()}
        for part in self.path.glob("shard-*"):
            if not part.name.endswith(".done.json") and part.name not in kept:
                part.unlink(missing_ok=True)
        return markers

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
