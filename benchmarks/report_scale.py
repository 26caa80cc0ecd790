"""How report time and peak memory scale with the number of candidates.

Generates sourcing payloads of N candidates deterministically, runs
``python -m candidate_cards report`` on each in a fresh subprocess, and prints a table of
medians. Peak memory is the largest sum of the resident memory of the report and every
process it started (the card helper), sampled every 10 ms from ``/proc``. Ends with one
status line per target of issue 15 (10,000 in ≤ 2.0 s wall; ≤ 150 MB at 10,000 and at
100,000). A benchmark, not a test: run it by hand from the repository root::

    PYTHONPATH=src python benchmarks/report_scale.py            # 1,000 / 10,000 / 100,000
    PYTHONPATH=src python benchmarks/report_scale.py -n 1000 -n 10000 --repeat 5
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from targets import status

FIRST = [
    "Priya",
    "Mateus",
    "Hannah",
    "Daniel",
    "Sofia",
    "Arjun",
    "Emily",
    "Tomás",
    "Grace",
    "Lukas",
    "Mei Lin",
    "Fionn",
    "Aisha",
    "Kenji",
    "Zoë",
    "Omar",
    "Ines",
    "Noah",
]
LAST = [
    "Raman",
    "Oliveira",
    "Kowalczyk",
    "Okonkwo",
    "Lindqvist",
    "Mehta",
    "Tran",
    "Herrera",
    "Adeyemi",
    "Becker",
    "Chow",
    "O'Halloran",
    "Bello",
    "Watanabe",
    "Haddad",
    "Novak",
]
ROLES = [
    "Senior Backend Engineer",
    "Staff Engineer, Payments",
    "Platform Engineer",
    "Software Engineer III",
    "Lead Engineer, Billing",
    "Data Engineer",
]
COMPANIES = [
    "Ledgerline",
    "Quillpay",
    "Tallyforge",
    "Harborline Bank",
    "Brightmark Commerce",
    "Pennywhistle Payments",
    "Kestrel Retail Group",
    "Corvidae Financial",
]
CITIES = [
    "Toronto, ON, Canada",
    "Lisbon, Portugal",
    "Chicago, IL, USA",
    "London, UK",
    "Stockholm, Sweden",
    "Bengaluru, India",
    "Austin, TX, USA",
    "Mexico City, Mexico",
]
SKILLS = [
    "Go",
    "Java",
    "Kotlin",
    "PostgreSQL",
    "Kafka",
    "gRPC",
    "Kubernetes",
    "AWS",
    "Terraform",
    "PCI-DSS",
    "Event Sourcing",
    "Redis",
    "Python",
    "TypeScript",
    "Docker",
]
TARGET_SECONDS = 2.0
TARGET_MIB = 150

SENTENCE = (
    "Owns the authorization and settlement services handling roughly 40M transactions "
    "per day, led a ledger migration and mentors four engineers."
)


def candidate(index: int, rng: random.Random) -> dict:
    """One realistic candidate (about 1.5 KB of JSON), the same for the same index and seed."""
    role, company = rng.choice(ROLES), rng.choice(COMPANIES)
    return {
        "profileId": f"prof_{index:08d}",
        "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "headline": f"{role} at {company}",
        "location": rng.choice(CITIES),
        "currentRole": role,
        "currentCompany": company,
        "matchScore": round(rng.uniform(20, 99), rng.choice((0, 1))),
        "linkedinUrl": f"https://www.linkedin.com/in/candidate-{index}",
        "rationale": SENTENCE,
        "skills": rng.sample(SKILLS, rng.randint(3, 12)),
        "aiFitPoints": [SENTENCE[:80], SENTENCE[40:120]],
        "aiRedFlags": [SENTENCE[:60]] if rng.random() < 0.3 else [],
        "emails": [f"candidate.{index}@example.com"],
        "detailedExperience": [
            {
                "role": role,
                "company": company,
                "duration": "2021 - Present",
                "highlights": [SENTENCE[:90], SENTENCE[30:110]],
            },
            {
                "role": rng.choice(ROLES),
                "company": rng.choice(COMPANIES),
                "duration": "2017 - 2021",
                "highlights": [SENTENCE[20:100]],
            },
        ],
    }


def write_payload(path: Path, count: int, seed: int = 7) -> None:
    """A completed sourcing run of ``count`` candidates, written without holding it all."""
    rng = random.Random(seed)
    head = {
        "success": True,
        "requestId": f"req_bench-{count}",
        "status": "completed",
        "foundCount": count * 5,
        "scoredCount": count,
        "createdAt": "2025-11-18T09:42:17.305Z",
        "completedAt": "2025-11-18T09:46:51.892Z",
    }
    with path.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps(head)[:-1] + ', "candidates": [\n')
        for index in range(count):
            handle.write(("" if index == 0 else ",\n") + json.dumps(candidate(index, rng)))
        handle.write("\n]}\n")


def run(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system, its own children included) and peak MiB of
    the summed resident memory of one subprocess and its descendants."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, tree_rss(process.pid))
        time.sleep(0.01)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{process.stderr.read().decode()}")
    process.stderr.close()
    return elapsed, usage.ru_utime + usage.ru_stime, peak / 2**20


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and its descendants now (0 for any already gone)."""
    total = 0
    pending = [pid]
    while pending:
        member = pending.pop()
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
            for task in Path(f"/proc/{member}/task").iterdir():
                pending.extend(int(child) for child in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def main() -> None:
    """Measure each size and print a table of medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, action="append", help="candidates (repeatable)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (median reported)")
    args = parser.parse_args()
    counts = args.count or [1_000, 10_000, 100_000]
    python = [sys.executable, "-m", "candidate_cards"]
    with tempfile.TemporaryDirectory(prefix="report-scale-") as scratch:
        folder = Path(scratch)
        rows = []
        baseline = [
            run([sys.executable, "-c", "import candidate_cards.cli"]) for _ in range(args.repeat)
        ]
        rows.append(("import only", "", "", baseline))
        for count in counts:
            payload, output = folder / f"{count}.json", folder / f"{count}.html"
            write_payload(payload, count)
            samples = [
                run([*python, "report", str(payload), "-o", str(output)])
                for _ in range(args.repeat)
            ]
            size_in = f"{payload.stat().st_size / 2**20:.1f}"
            size_out = f"{output.stat().st_size / 2**20:.1f}"
            rows.append((f"{count:,}", size_in, size_out, samples))
            payload.unlink()
            output.unlink()
    print(
        f"{'candidates':>12} {'input MiB':>10} {'report MiB':>11} {'median wall s':>14} "
        f"{'min wall s':>11} {'median CPU s':>13} {'peak MiB, all':>13}"
    )
    for label, size_in, size_out, samples in rows:
        wall = [seconds for seconds, _, _ in samples]
        cpu = [seconds for _, seconds, _ in samples]
        peak = max(rss for _, _, rss in samples)
        print(
            f"{label:>12} {size_in:>10} {size_out:>11} {statistics.median(wall):>14.2f} "
            f"{min(wall):>11.2f} {statistics.median(cpu):>13.2f} {peak:>13.1f}"
        )
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"(runs per size: {args.repeat}; times include interpreter start-up; "
        f"{os.cpu_count()} CPUs, load average {load})"
    )
    for label, _in, _out, samples in rows:
        wall = statistics.median(seconds for seconds, _, _ in samples)
        peak = max(rss for _, _, rss in samples)
        if label == "10,000":
            print(
                status(
                    f"report of {label} ≤ {TARGET_SECONDS} s wall",
                    wall <= TARGET_SECONDS,
                    f"{wall:.2f} s",
                )
            )
        if label in ("10,000", "100,000"):
            print(
                status(
                    f"report of {label} ≤ {TARGET_MIB} MB, all processes",
                    peak <= TARGET_MIB,
                    f"{peak:.1f} MiB",
                )
            )


if __name__ == "__main__":
    main()
