"""Load test of the HTTP service: concurrent clients sending real notices for a fixed time.

    python benchmarks/http_load.py [--workers 2] [--clients 32] [--duration 20] [--url URL]

Without ``--url`` it starts the installed ``retraction-reasons serve`` on a free port of
127.0.0.1 and stops it at the end; with ``--url`` it drives a server already running (loopback
only). Each client sends single notices (``POST /v1/classify``), and every ``--batch-every``-th
request a batch of ``--batch-size`` notices (``POST /v1/classify/batch``), drawn from the real
notices of the corpora. The loop is bounded: it stops sending after ``--duration`` seconds and
waits for the answers in flight. Prints requests/s, notices/s, p50/p99 latency and the errors;
exits with status 1 if any request failed.

The clients run on the same machine as the server and take CPU from it, so the figures are a
lower bound of what the server does on its own.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))


@dataclass
class Tally:
    """What the clients saw."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: {"single": [], "batch": []})
    notices: int = 0
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


def read_notices(corpora: Path) -> list[str]:
    texts = []
    for name in ("notices.jsonl", "modern_notices.jsonl", "notices_unlabelled.jsonl"):
        with open(corpora / name, encoding="utf-8") as handle:
            texts.extend(json.loads(line)["text"] for line in handle)
    return texts


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its children (MiB), read from /proc (Linux only)."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(child) for child in children]
        for one in pids:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    except OSError:
        return float("nan")
    return total / 1024


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children so far (Linux only)."""
    total = 0.0
    try:
        pids = [pid] + [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        for one in pids:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return float("nan")
    return total


def in_process_rate(texts: list[str], batch_size: int, seconds: float = 5.0) -> float:
    """Notices/s of ``classify_many`` in this process, in chunks as the server makes them: the
    yardstick the served rate is compared with (measured just before the load)."""
    import retraction_reasons as rr

    nlp = rr.load()
    rng = random.Random(0)
    rr.classify_many(texts[:batch_size], model=nlp)
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        rr.classify_many(rng.sample(texts, batch_size), model=nlp, batch_size=batch_size)
        done += batch_size
    return done / (time.perf_counter() - started)


def start_server(workers: int) -> tuple[str, subprocess.Popen]:
    port = free_port()
    command = [str(Path(sys.executable).parent / "retraction-reasons"), "serve", "--port", str(port),
               "--workers", str(workers), "--log-level", "warning"]
    if not Path(command[0]).is_file():
        command[0] = "retraction-reasons"
    process = subprocess.Popen(command)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"the server exited with status {process.returncode}")
        try:
            if httpx.get(f"{url}/v1/health", timeout=2).status_code == 200:
                return url, process
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    sys.exit("the server did not answer within 180 s")


async def client(number: int, http: httpx.AsyncClient, texts: list[str], deadline: float, args: argparse.Namespace,
                 tally: Tally) -> None:
    rng = random.Random(number)
    sent = 0
    while time.monotonic() < deadline and sent < args.max_requests_per_client:
        sent += 1
        if args.batch_every and sent % args.batch_every == 0:
            kind, path = "batch", "/v1/classify/batch"
            payload: dict = {"texts": rng.sample(texts, args.batch_size)}
            expected = args.batch_size
        else:
            kind, path, payload, expected = "single", "/v1/classify", {"text": rng.choice(texts)}, 1
        started = time.perf_counter()
        try:
            response = await http.post(path, json=payload)
        except httpx.HTTPError as err:
            tally.error(f"{kind}: {type(err).__name__}")
            continue
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            tally.error(f"{kind}: HTTP {response.status_code}")
            continue
        body = response.json()
        got = 1 if kind == "single" else len(body)
        if got != expected:
            tally.error(f"{kind}: {got} results for {expected} notices")
            continue
        tally.latencies[kind].append(elapsed)
        tally.notices += got


async def drive(url: str, texts: list[str], args: argparse.Namespace) -> tuple[Tally, float]:
    tally = Tally()
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    async with httpx.AsyncClient(base_url=url, timeout=args.timeout, limits=limits) as http:
        # Warm-up (not counted): every connection once, both endpoints.
        await asyncio.gather(*(http.post("/v1/classify", json={"text": texts[i % len(texts)]})
                               for i in range(args.clients)))
        await http.post("/v1/classify/batch", json={"texts": texts[:args.batch_size]})
        started = time.monotonic()
        deadline = started + args.duration
        await asyncio.gather(*(client(number, http, texts, deadline, args, tally) for number in range(args.clients)))
        elapsed = time.monotonic() - started
    return tally, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="drive this running server (loopback only) instead of starting one")
    parser.add_argument("--workers", type=int, default=1, help="--workers of the server started here (default 1)")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of sending (default 20)")
    parser.add_argument("--batch-every", type=int, default=8,
                        help="every N-th request of a client is a batch (0: single requests only)")
    parser.add_argument("--batch-size", type=int, default=32, help="notices per batch request (default 32)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a request counts as failed")
    parser.add_argument("--max-requests-per-client", type=int, default=100_000, help="a bound besides the time")
    parser.add_argument("--corpora", type=Path, help="folder of notices.jsonl etc. (default: the project's corpora)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--no-yardstick", action="store_true",
                        help="skip measuring classify_many in this process before the load")
    args = parser.parse_args()

    from retraction_reasons import _resources

    corpora = args.corpora or _resources.corpora_dir()
    if not (corpora / "notices.jsonl").is_file():
        sys.exit(f"no corpora at {corpora}: pass --corpora DIR or set {_resources.CORPORA_ENV}")
    texts = read_notices(corpora)

    yardstick = float("nan") if args.no_yardstick else in_process_rate(texts, 32)
    process = None
    if args.url:
        host = urlparse(args.url).hostname or ""
        if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
            sys.exit("--url must be a loopback address (127.0.0.1, localhost, [::1])")
        url = args.url.rstrip("/")
    else:
        url, process = start_server(args.workers)
    try:
        rss_before = rss_mib(process.pid) if process else float("nan")
        cpu_before = cpu_seconds(process.pid) if process else float("nan")
        client_cpu_before = time.process_time()
        tally, elapsed = asyncio.run(drive(url, texts, args))
        client_cpu = time.process_time() - client_cpu_before
        server_cpu = (cpu_seconds(process.pid) - cpu_before) if process else float("nan")
        rss_after = rss_mib(process.pid) if process else float("nan")
    finally:
        if process is not None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()

    every = tally.latencies["single"] + tally.latencies["batch"]
    figures = {
        "server": url if args.url else f"retraction-reasons serve --workers {args.workers}",
        "cpus": os.cpu_count(),
        "clients": args.clients,
        "seconds": round(elapsed, 1),
        "requests": len(every),
        "requests_per_s": round(len(every) / elapsed, 1),
        "notices_per_s": round(tally.notices / elapsed, 1),
        "p50_ms": round(percentile(every, 50) * 1000, 1),
        "p99_ms": round(percentile(every, 99) * 1000, 1),
        "single": {"requests": len(tally.latencies["single"]),
                   "p50_ms": round(percentile(tally.latencies["single"], 50) * 1000, 1),
                   "p99_ms": round(percentile(tally.latencies["single"], 99) * 1000, 1)},
        "batch": {"requests": len(tally.latencies["batch"]), "size": args.batch_size,
                  "p50_ms": round(percentile(tally.latencies["batch"], 50) * 1000, 1),
                  "p99_ms": round(percentile(tally.latencies["batch"], 99) * 1000, 1)},
        "errors": sum(tally.errors.values()),
        "error_kinds": tally.errors,
        "server_rss_mib": {"before": round(rss_before, 1), "after": round(rss_after, 1)},
        "cpu_seconds": {"server": round(server_cpu, 1), "clients": round(client_cpu, 1)},
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "in_process_notices_per_s": round(yardstick, 1),
    }
    if args.json:
        print(json.dumps(figures, indent=1))
    else:
        print(f"server: {figures['server']} ({figures['cpus']} CPUs, clients on the same machine)")
        print(f"{args.clients} clients for {figures['seconds']} s, every {args.batch_every}th request a batch "
              f"of {args.batch_size} real notices")
        print(f"requests: {figures['requests']}  requests/s: {figures['requests_per_s']}  "
              f"notices/s: {figures['notices_per_s']}")
        print(f"latency, all requests: p50 {figures['p50_ms']} ms  p99 {figures['p99_ms']} ms")
        for kind in ("single", "batch"):
            part = figures[kind]
            print(f"latency, {kind} ({part['requests']} requests): p50 {part['p50_ms']} ms  p99 {part['p99_ms']} ms")
        print(f"errors: {figures['errors']} {tally.errors if tally.errors else ''}".rstrip())
        print(f"yardstick: classify_many in one process, chunks of 32, just before: {figures['in_process_notices_per_s']} notices/s")
        if process is not None:
            print(f"server memory (RSS, all processes): {figures['server_rss_mib']['before']} MiB before, "
                  f"{figures['server_rss_mib']['after']} MiB after")
            print(f"CPU time: server {figures['cpu_seconds']['server']} s, clients {figures['cpu_seconds']['clients']} s "
                  f"in {figures['seconds']} s; load average at the end {figures['load_average'][0]} "
                  "(other processes of the machine count too)")
    return 1 if figures["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
