"""The suite's own set-up holds on a stranger's machine: scripts/test-setup and CI behaviour.

test-setup runs with stand-ins for apt, dpkg and Python on PATH (the real apt lock cannot be
held by a test without blocking every other apt user on the machine), and records what it
would run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

STANDINS = {
    # Nothing is installed yet, as on a fresh machine.
    "dpkg-query": "exit 1",
    "apt-get": 'echo "apt-get $*" >> "$LOG"',
    "sudo": '"$@"',
    "java": "exit 0",
    "npm": "exit 0",
    # The venv's python: in a virtual environment unless NOT_IN_VENV is set.
    "venv-python": (
        'if [ "$1" = -c ]; then [ -z "${NOT_IN_VENV:-}" ]; exit; fi\necho "python $*" >> "$LOG"'
    ),
}


def run_setup(tmp_path: Path, **env: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """scripts/test-setup with the stand-ins first on PATH; what it ran, in order."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name, body in STANDINS.items():
        script = bin_dir / name
        script.write_text(f"#!/bin/sh\n{body}\n")
        script.chmod(0o755)
    log = tmp_path / "log"
    log.touch()
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / "test-setup")],
        env={
            **os.environ,
            "PATH": f"{bin_dir}:{os.environ['PATH']}",
            "PYTHON": str(bin_dir / "venv-python"),
            "LOG": str(log),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done, log.read_text().splitlines()


def test_every_apt_call_waits_for_the_lock_and_python_goes_into_the_venv(tmp_path):
    done, ran = run_setup(tmp_path)
    assert done.returncode == 0, done.stderr
    apt = [line for line in ran if line.startswith("apt-get")]
    assert apt and all("-o DPkg::Lock::Timeout=600" in line for line in apt), apt
    installed = apt[-1].split()
    for package in ("chromium", "firefox-esr", "fonts-dejavu-core", "fonts-noto-cjk"):
        assert package in installed
    assert ran[-1] == "python -m pip install --quiet --disable-pip-version-check -e .[test]"


def test_outside_a_virtual_environment_it_says_how_to_make_one(tmp_path):
    done, ran = run_setup(tmp_path, NOT_IN_VENV="1")
    assert done.returncode == 1
    assert "not in a virtual environment" in done.stderr
    assert "python3 -m venv .venv" in done.stderr
    assert not [line for line in ran if line.startswith("python")]


@pytest.mark.parametrize(
    ("ci", "outcome", "status"), [("true", "1 error", 1), ("", "1 skipped", 0)]
)
def test_a_missing_browser_fails_in_ci_and_skips_elsewhere(ci, outcome, status):
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
         "tests/test_capture.py::test_pdf_alone_leaves_no_html_behind"],
        cwd=ROOT,
        env={**os.environ, "CI": ci, "CANDIDATE_CARDS_CHROMIUM": "/nonexistent/chromium"},
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == status and outcome in done.stdout, done.stdout
    assert "Chromium is not installed" in done.stdout
