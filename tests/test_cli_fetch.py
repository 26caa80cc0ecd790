"""``fetch`` and ``report --run`` against the stand-in API over loopback, as a user runs them.

The CLI polls at the API's 5 s: the one test that waits for a processing run takes ~5 s.
"""

from __future__ import annotations

import io
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from rich.console import Console
from typer.testing import CliRunner

from candidate_cards.cli import app
from candidate_cards.fetching import status_line
from candidate_cards.payloads import RunInfo
from tests.conftest import load_fixture
from tests.standin_api import StandinAPI, serving

KEY = "sk_live_7Hq2-SECRET-acme"
EPOCH = "1780000000"


def rerun_payload() -> dict[str, Any]:
    """A PATCH re-run of the completed run: some candidates again (one rescored), two new."""
    candidates = load_fixture("sourcing-completed.json")["candidates"]
    again = [dict(candidate) for candidate in candidates[3:8]]
    again[0]["matchScore"] = 99
    new = [
        {**candidates[0], "profileId": f"prof_new-{number}", "name": f"New Person {number}"}
        for number in (1, 2)
    ]
    return {
        **load_fixture("sourcing-completed.json"),
        "candidates": [*again, *new],
        "createdAt": "2025-11-18T10:00:00.000Z",
        "completedAt": "2025-11-18T10:03:00.000Z",
    }


@pytest.fixture
def api() -> StandinAPI:
    """The stand-in with a run, its PATCH re-run, an enrichment, a failed and a slow run."""
    standin = StandinAPI()
    standin.add_key(KEY, "acme")
    standin.add_key("reader-key", "acme", scopes={"sourcing:read"})
    standin.add_key("globex-key", "globex")
    standin.add_run(load_fixture("sourcing-completed.json"), request_id="req_A")
    standin.add_run(rerun_payload(), request_id="req_B", session="req_A")
    standin.add_run(load_fixture("enrich-partial.json"), request_id="enr_C")
    standin.add_run(load_fixture("sourcing-failed.json"), request_id="req_failed")
    standin.add_run({"status": "completed"}, request_id="req_never", processing_polls=10**6)
    return standin


@pytest.fixture
def url(api: StandinAPI) -> Iterator[str]:
    with serving(api.app) as base_url:
        yield base_url


@pytest.fixture
def run(url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Invoke the CLI in ``tmp_path`` with the stand-in's URL and key in the environment."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args: str, key: str | None = KEY, **env: str):
        environ = {"INSTAVIEW_API_URL": url, "INSTAVIEW_API_KEY": key, "SOURCE_DATE_EPOCH": EPOCH}
        return runner.invoke(app, list(args), env={**environ, **env})

    return invoke


def test_report_from_runs_is_byte_for_byte_the_report_from_their_files(
    run, api: StandinAPI, tmp_path: Path
):
    """The issue's "done when": req_A waited for (polls >= 5 s apart), a 429 survived."""
    api.runs["req_A"].processing_polls = 1
    api.fail_next(429, retry_after="1")
    fetched = run(
        "report",
        "--run",
        "req_A",
        "--run",
        "req_B",
        "--run",
        "enr_C",
        "--wait",
        "-o",
        "from-api.html",
    )
    assert fetched.exit_code == 0, fetched.stderr
    for run_id in ("req_A", "req_B", "enr_C"):
        (tmp_path / run_id).write_text(json.dumps(api.runs[run_id].final), encoding="utf-8")
    files = run("report", "req_A", "req_B", "enr_C", "-o", "from-files.html", key=None)
    assert files.exit_code == 0, files.stderr
    report = (tmp_path / "from-api.html").read_bytes()
    assert report == (tmp_path / "from-files.html").read_bytes()
    assert b"New Person 1" in report and b"PROFILE_NOT_FOUND" in report
    polls = api.requests_for("req_A")
    assert [entry.status for entry in polls] == [429, 202, 200]
    assert polls[1].at - polls[0].at >= 1.0  # Retry-After honoured
    assert polls[2].at - polls[1].at >= 5.0  # the API's polling rule
    assert all(len(api.requests_for(run_id)) == 1 for run_id in ("req_B", "enr_C"))


def test_fetch_writes_the_json_exactly_as_received(run, api: StandinAPI, url: str, tmp_path: Path):
    api.min_poll_interval = 0  # this test fetches one run three times in a row
    sent = httpx.get(
        f"{url}/sourcing/enrich/enr_C/results", headers={"Authorization": f"Bearer {KEY}"}
    ).content
    written = run("fetch", "enr_C", "-o", "enr_C.json")
    assert written.exit_code == 0, written.stderr
    assert (tmp_path / "enr_C.json").read_bytes() == sent
    assert written.stderr.strip() == (
        "Wrote enr_C (enrichment run, completed, 2 candidate(s), 2 profile(s) failed) to enr_C.json"
    )
    printed = run("fetch", "enr_C")
    assert printed.stdout_bytes == sent


def test_fetch_of_a_failed_run_writes_it_and_exits_1_naming_the_run(run, tmp_path: Path):
    result = run("fetch", "req_failed", "-o", "failed.json")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: req_failed (sourcing run, failed: PROVIDER_TEMPORARILY_UNAVAILABLE: External "
        "sourcing indexing platform returned a 503 after exhausting retries.)"
    )
    assert json.loads((tmp_path / "failed.json").read_bytes())["status"] == "failed"


@pytest.mark.parametrize(
    ("args", "key", "line"),
    [
        (
            ["fetch", "req_A"],
            "wrong-key",
            "error: req_A: 401 UNAUTHORIZED: Missing or invalid API key. (check the API key)",
        ),
        (
            ["fetch", "enr_C"],
            "reader-key",
            "error: enr_C: 403 INSUFFICIENT_SCOPE: This API key "
            "lacks the 'enrich:write' scope. (this needs the enrich:write scope)",
        ),
        (
            ["report", "--run", "req_A", "-o", "r.html"],
            "globex-key",
            "error: req_A: 404 "
            "REQUEST_NOT_FOUND: Request not found. (no such run for this key; it may belong to "
            "another company's key)",
        ),
        (
            ["fetch", "req_never", "--wait", "--timeout", "1"],
            KEY,
            "error: req_never: still "
            "processing after 1 s, 4 candidate(s) sourced so far; timed out",
        ),
        (["fetch", "req_A"], "", "error: no API key: $INSTAVIEW_API_KEY is empty"),
        (
            ["fetch", "req_A", "--api-url", "ftp://example.com"],
            KEY,
            "error: API URL 'ftp://example.com' is not an http:// or https:// URL",
        ),
    ],
)
def test_every_error_is_one_line_naming_the_run_and_the_apis_code(
    run, tmp_path: Path, args: list[str], key: str, line: str
):
    result = run(*args, key=key)
    assert result.exit_code == 1
    assert result.stderr.strip() == line
    assert not (tmp_path / "r.html").exists()


def test_run_ids_without_a_known_prefix_are_usage_errors(run):
    assert run("fetch", "abc").exit_code == 2
    bad = run("report", "--run", "req_A", "--run", "job_7", "-o", "r.html")
    assert bad.exit_code == 2
    words = " ".join(bad.stderr.replace("│", " ").split())
    assert "'job_7' is not a run id: a run id is req_ (sourcing) or enr_ (enrichment)" in words
    assert run("report", "-o", "r.html").exit_code == 2


def test_without_wait_a_processing_run_is_reported_as_still_processing(run, tmp_path: Path):
    result = run("report", "--run", "req_never", "--run", "req_A", "-o", "r.html")
    assert result.exit_code == 0, result.stderr
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "req_never" in html and "still processing" in html


def test_key_file_is_read_and_stripped_and_api_url_option_wins(run, url: str, tmp_path: Path):
    (tmp_path / "key").write_text(f"\n  {KEY}\t\n", encoding="utf-8")
    result = run(
        "fetch",
        "req_A",
        "--api-key-file",
        "key",
        "--api-url",
        url,
        key=None,
        INSTAVIEW_API_URL="http://127.0.0.1:9",
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout_bytes)["requestId"] == "req_A"
    missing = run("fetch", "req_A", "--api-key-file", "nope", key=None)
    assert missing.stderr.strip() == "error: nope: no such key file"
    unset = run("fetch", "req_B", key=None)
    assert unset.stderr.strip() == "error: no API key: set INSTAVIEW_API_KEY or pass --api-key-file"


def test_the_key_never_appears_in_any_output_log_or_error(
    run, api: StandinAPI, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG)
    (tmp_path / "key").write_text(KEY, encoding="utf-8")
    outputs = []
    for args in (
        ["fetch", "req_A", "-o", "a.json"],
        ["fetch", "req_missing"],
        ["fetch", "req_failed", "--api-key-file", "key"],
        ["report", "--run", "req_B", "--run", "enr_C", "-o", "r.html"],
        ["fetch", "req_never", "--wait", "--timeout", "0.5"],
    ):
        result = run(*args)
        outputs += [result.stdout, result.stderr, repr(result.exception)]
    api.fail_next(429, times=50, retry_after="0")
    outputs.append(run("fetch", "req_B").stderr)
    secret_free = [*outputs, caplog.text, *(path.read_text() for path in tmp_path.glob("*.*"))]
    assert any("req_missing: 404" in text for text in secret_free)
    assert not [text for text in secret_free if KEY in text]


def test_ctrl_c_while_waiting_stops_cleanly_and_writes_nothing(url: str, tmp_path: Path):
    env = {**os.environ, "INSTAVIEW_API_URL": url, "INSTAVIEW_API_KEY": KEY}
    # As a shell runs it for a user: Ctrl-C raises KeyboardInterrupt, even when this test
    # runs in a background job, whose children start with SIGINT ignored.
    command = [
        sys.executable,
        "-c",
        "import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler);"
        " runpy.run_module('candidate_cards', run_name='__main__')",
        "fetch",
        "req_never",
        "--wait",
        "-o",
        str(tmp_path / "out.json"),
    ]
    with subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True) as process:
        time.sleep(2.5)  # started, first poll answered, now waiting for the next
        process.send_signal(signal.SIGINT)
        try:
            _, errors = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            pytest.fail("fetch --wait went on after Ctrl-C")
    assert process.returncode == 130
    assert errors.strip() == "error: interrupted; nothing was written"
    assert list(tmp_path.iterdir()) == []


def test_the_status_line_shows_the_run_and_its_progress():
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=200)
    info = RunInfo("sourcing", "req_A", "processing", sourced_count=8, message="Poll again.")
    with status_line(console) as show:
        assert show is not None
        show(info)
        time.sleep(0.3)
    assert "req_A: processing · 8 candidate(s) sourced so far · Poll again." in screen.getvalue()
    with status_line(Console(file=io.StringIO())) as off:
        assert off is None
