"""Load benchmark for ``candidate-cards serve``: ten-card renders over loopback, for a while.

Starts ``serve`` in a subprocess on a free 127.0.0.1 port with a throwaway API key, warms it
up, then keeps ``--connections`` keep-alive HTTP/1.1 connections busy for ``--duration``
seconds, each posting the same 10-profile request. The client is a minimal asyncio HTTP/1.1
client (far cheaper per request than a full client library, so more of the shared cores go
to the server). Reports requests/s, latency percentiles, errors, the server's memory, the
CPU time the server and the client spent per request (on a shared machine requests/s
depends on the neighbours, CPU per request hardly does), and each worker's share: of the
open connections midway and of the server's CPU time. Ends with one status line per target
of issue 15 (≥ 1,500 requests/s, p99 ≤ 50 ms, no errors, every worker busy)::

    python benchmarks/service_load.py --duration 60 --workers 2

Exits 1 if any request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from targets import status

ROOT = Path(__file__).resolve().parents[1]
PATH = "/sourcing/render-html"
TARGET_RPS = 1_500
TARGET_P99_MS = 50
SERVE = (
    "import sys; from candidate_cards.service import serve; "
    "serve(port=int(sys.argv[1]), workers=int(sys.argv[2]), api_keys_file=sys.argv[3], "
    "access_log=sys.argv[4] == 'on')"
)


@dataclass
class Tally:
    """What the connections saw: one latency per good response, and each failure."""

    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def fail(self, reason: str) -> None:
        self.errors[reason] = self.errors.get(reason, 0) + 1


def ten_profile_request() -> bytes:
    """A render request with the first 10 candidates of the bundled sourcing results."""
    results = json.loads((ROOT / "examples" / "sourcing-results.json").read_text("utf-8"))
    return json.dumps({"profiles": results["candidates"][:10], "theme": "dark"}).encode()


def http_request(port: int, key: str, body: bytes) -> bytes:
    head = (
        f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {key}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("ascii") + body


async def connection(port: int, request: bytes, deadline: float, tally: Tally | None) -> None:
    """Post ``request`` over one keep-alive connection until ``deadline``."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=2**20)
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            body = await reader.readexactly(length)
            if tally is None:
                continue
            if status != 200:
                tally.fail(f"HTTP {status}")
            elif b'"count":10,' not in body:
                tally.fail("200 without ten cards")
            else:
                tally.latencies.append(time.perf_counter() - started)
    except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
        if tally is not None:
            tally.fail(type(exc).__name__)
    finally:
        writer.close()


async def load(
    port: int,
    request: bytes,
    seconds: float,
    connections: int,
    tally: Tally | None,
    midway: Callable[[], None] = lambda: None,
) -> None:
    """Keep ``connections`` connections busy for ``seconds``; call ``midway`` halfway."""

    async def halfway() -> None:
        await asyncio.sleep(seconds / 2)
        midway()

    deadline = time.perf_counter() + seconds
    await asyncio.gather(
        halfway(), *(connection(port, request, deadline, tally) for _ in range(connections))
    )


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (uvicorn's workers)."""
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            pids.extend(process_tree(int(child)))
    return pids


def worker_pids(pid: int) -> list[int]:
    """The server's worker processes: itself when it has none (one worker)."""
    spawned = [
        member
        for member in process_tree(pid)[1:]
        if b"spawn_main" in Path(f"/proc/{member}/cmdline").read_bytes()
    ]
    return spawned or [pid]


def connections_by_worker(workers: list[int], port: int) -> list[int]:
    """How many established connections to ``port`` each of ``workers`` holds."""
    established = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rpartition(":")[2], 16) == port and fields[3] == "01":
                established.add(fields[9])
    counts = []
    for worker in workers:
        inodes = set()
        for fd in Path(f"/proc/{worker}/fd").iterdir():
            target = os.readlink(fd) if fd.is_symlink() else ""
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
        counts.append(len(inodes & established))
    return counts


def rss_bytes(pid: int) -> int:
    """Resident memory of ``pid`` and its descendants."""
    total = 0
    for member in process_tree(pid):
        for line in Path(f"/proc/{member}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time used so far by ``pid`` and its descendants."""
    ticks = 0
    for member in process_tree(pid):
        fields = Path(f"/proc/{member}/stat").read_text().rpartition(")")[2].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(workers: int, access_log: bool) -> Iterator[tuple[int, int, str]]:
    """``serve`` in its own session; yields (pid, port, key) and stops it with SIGTERM."""
    key = f"ck_bench_{secrets.token_hex(16)}"
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        keys = Path(tmp) / "keys.json"
        keys.write_text(json.dumps({key: ["enrich:write"]}), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), *sys.path])}
        args = [SERVE, str(port), str(workers), str(keys), "on" if access_log else "off"]
        process = subprocess.Popen(
            [sys.executable, "-c", *args],
            env=env,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            wait_until_up(port, process)
            yield process.pid, port, key
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def wait_until_up(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    probe = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"serve exited with status {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(probe)
                if sock.recv(64).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            time.sleep(0.1)
    sys.exit("serve did not answer /healthz within 60 s")


def percentile(sorted_values: list[float], fraction: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def main() -> int:
    """Run the benchmark and print its figures; exit 1 on any failed request."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds measured")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before measuring")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections")
    parser.add_argument("--no-access-log", action="store_true", help="serve without it")
    args = parser.parse_args()

    body = ten_profile_request()
    load_before = os.getloadavg()[0]
    with running_server(args.workers, not args.no_access_log) as (pid, port, key):
        request = http_request(port, key, body)
        asyncio.run(load(port, request, args.warmup, args.connections, None))
        rss_start = rss_bytes(pid)
        workers = worker_pids(pid)
        worker_cpu = [cpu_seconds(worker) for worker in workers]
        server_cpu, client_cpu = cpu_seconds(pid), time.process_time()
        tally = Tally()
        held: list[int] = []

        def count_connections() -> None:
            held.extend(connections_by_worker(workers, port))

        started = time.perf_counter()
        asyncio.run(load(port, request, args.duration, args.connections, tally, count_connections))
        elapsed = time.perf_counter() - started
        server_cpu, client_cpu = cpu_seconds(pid) - server_cpu, time.process_time() - client_cpu
        worker_cpu = [
            cpu_seconds(w) - before for w, before in zip(workers, worker_cpu, strict=True)
        ]
        rss_end = rss_bytes(pid)

    latencies = sorted(tally.latencies)
    errors = sum(tally.errors.values())
    report = {
        "workers": args.workers,
        "connections": args.connections,
        "cpus": os.cpu_count(),
        "load_average_1min": {"before": load_before, "after": os.getloadavg()[0]},
        "access_log": not args.no_access_log,
        "request_bytes": len(body),
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "cards_per_s": round(10 * len(latencies) / elapsed, 1),
        "latency_ms": {
            "mean": round(statistics.fmean(latencies) * 1000, 2) if latencies else None,
            "p50": round(percentile(latencies, 0.50) * 1000, 2) if latencies else None,
            "p90": round(percentile(latencies, 0.90) * 1000, 2) if latencies else None,
            "p99": round(percentile(latencies, 0.99) * 1000, 2) if latencies else None,
            "max": round(latencies[-1] * 1000, 2) if latencies else None,
        },
        "cpu_ms_per_request": {
            "server": round(1000 * server_cpu / len(latencies), 3) if latencies else None,
            "client": round(1000 * client_cpu / len(latencies), 3) if latencies else None,
        },
        "errors": errors,
        "error_kinds": tally.errors,
        "server_rss_mib": {"start": round(rss_start / 2**20, 1), "end": round(rss_end / 2**20, 1)},
        "workers_share": {
            "connections_midway": held,
            "cpu": [round(cpu / (sum(worker_cpu) or 1), 3) for cpu in worker_cpu],
        },
    }
    print(json.dumps(report, indent=2))
    for line in statuses(report):
        print(line)
    return 1 if errors or not latencies else 0


def statuses(report: dict[str, Any]) -> list[str]:
    """One status line per target: met or missed, with the measured figure.

    A worker counts as busy when it did at least half its even share of the server's work.
    """
    p99 = report["latency_ms"]["p99"]
    shares = report["workers_share"]["cpu"]
    busy = len(shares) == report["workers"] and min(shares) >= 0.5 / report["workers"]
    checks = [
        (
            f"≥ {TARGET_RPS:,} requests/s",
            report["requests_per_s"] >= TARGET_RPS,
            f"{report['requests_per_s']:,}",
        ),
        (f"p99 ≤ {TARGET_P99_MS} ms", p99 is not None and p99 <= TARGET_P99_MS, f"{p99} ms"),
        ("0 errors", report["errors"] == 0, str(report["errors"])),
        ("every worker busy", busy, f"CPU shares {shares}"),
    ]
    return [status(name, met, seen) for name, met, seen in checks]


if __name__ == "__main__":
    sys.exit(main())
