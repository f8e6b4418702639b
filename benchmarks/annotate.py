"""Speed and memory of ``retraction-reasons annotate``: JSONL -> Parquet, 1 and 2 workers,
10,000 and 100,000 notices resampled from the real corpora.

    python benchmarks/annotate.py [--corpora ../shared/data] [--rows 10000 100000] [--workers 1 2]

The archive is written to a temporary folder (never into the repository) and deleted at the
end. Each job runs as the installed command in its own process; its wall time gives
notices/s (model load and the final assembly included), and its peak memory is the largest
sum of the resident memory (RSS) of the job's process tree, polled every 0.1 s (psutil).
The machine is shared: the load average before and after each job is printed with it.

Targets (issue 4): 2 workers >= 1.7x one worker; peak memory at 100,000 rows no more than
1.3x that at 10,000 rows.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPORA = ("notices.jsonl", "modern_notices.jsonl", "notices_unlabelled.jsonl")


def build_archive(corpora: Path, rows: int, path: Path, seed: int = 13) -> Path:
    """``rows`` notices drawn with replacement from the real ones, each with a unique id."""
    notices = []
    for name in CORPORA:
        with open(corpora / name, encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                notices.append({"id": record["id"], "text": record["text"], "journal": record.get("journal"),
                                "publisher": record.get("publisher")})
    draw = random.Random(seed)
    with open(path, "w", encoding="utf-8") as handle:
        for number in range(rows):
            notice = draw.choice(notices)
            handle.write(json.dumps({**notice, "id": f"{number:06d}/{notice['id']}"}, ensure_ascii=False) + "\n")
    return path


def _command() -> list[str]:
    beside = Path(sys.executable).parent / "retraction-reasons"
    found = str(beside) if beside.is_file() else shutil.which("retraction-reasons")
    return [found] if found else [sys.executable, "-m", "retraction_reasons.cli"]


def run_job(archive: Path, out: Path, workers: int, shard_size: int | None) -> dict[str, float]:
    """Run one job; return its wall time and the peak RSS of its process tree (bytes)."""
    import psutil

    command = [*_command(), "annotate", str(archive), "--out", str(out), "--workers", str(workers), "--quiet"]
    if shard_size:
        command += ["--shard-size", str(shard_size)]
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen(command)
    root = psutil.Process(process.pid)
    peak_tree = peak_single = 0
    while process.poll() is None:
        try:
            members = [root, *root.children(recursive=True)]
            sizes = []
            for member in members:
                try:
                    sizes.append(member.memory_info().rss)
                except psutil.Error:
                    pass
            peak_tree = max(peak_tree, sum(sizes))
            peak_single = max(peak_single, max(sizes, default=0))
        except psutil.Error:
            pass
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"the job failed with status {process.returncode}: {' '.join(command)}")
    return {"seconds": seconds, "peak_tree": peak_tree, "peak_single": peak_single,
            "load_before": load_before, "load_after": os.getloadavg()[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=None, help="folder of the corpora (default: ../shared/data)")
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--shard-size", type=int, default=None, help="default: the command's own choice")
    args = parser.parse_args()

    sys.path.insert(0, str(HERE.parent / "src"))
    from retraction_reasons import _resources

    corpora = args.corpora or _resources.corpora_dir()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start", flush=True)
    results: dict[tuple[int, int], dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="rr-bench-annotate-") as folder:
        for rows in args.rows:
            archive = build_archive(corpora, rows, Path(folder) / f"archive-{rows}.jsonl")
            size = archive.stat().st_size / 1e6
            for workers in args.workers:
                out = Path(folder) / f"out-{rows}-{workers}.parquet"
                result = run_job(archive, out, workers, args.shard_size)
                result["out_mb"] = out.stat().st_size / 1e6
                out.unlink()
                results[(rows, workers)] = result
                print(f"{rows:>8,} rows ({size:,.0f} MB JSONL)  {workers} worker(s)  {result['seconds']:8.1f} s  "
                      f"{rows / result['seconds']:7.1f} notices/s  peak RSS tree {result['peak_tree'] / 2**20:7.0f} MiB  "
                      f"(largest process {result['peak_single'] / 2**20:5.0f} MiB)  load {result['load_before']:.1f}"
                      f"->{result['load_after']:.1f}", flush=True)

    print("\n| rows | workers | seconds | notices/s | peak RSS, process tree (MiB) | load avg (1 min) before -> after |")
    print("|---:|---:|---:|---:|---:|---|")
    for (rows, workers), result in results.items():
        print(f"| {rows:,} | {workers} | {result['seconds']:.1f} | {rows / result['seconds']:.1f} | "
              f"{result['peak_tree'] / 2**20:.0f} | {result['load_before']:.1f} -> {result['load_after']:.1f} |")
    print()
    for rows in args.rows:
        if (rows, 1) in results and (rows, 2) in results:
            speedup = results[(rows, 1)]["seconds"] / results[(rows, 2)]["seconds"]
            print(f"{rows:,} rows: 2 workers / 1 worker = {speedup:.2f}x (target >= 1.7x)")
    if len(args.rows) >= 2:
        small, large = min(args.rows), max(args.rows)
        for workers in args.workers:
            if (small, workers) in results and (large, workers) in results:
                ratio = results[(large, workers)]["peak_tree"] / results[(small, workers)]["peak_tree"]
                print(f"{workers} worker(s): peak memory at {large:,} / at {small:,} rows = {ratio:.2f}x (target <= 1.3x)")


if __name__ == "__main__":
    main()
