"""The webhook receiver in a real ``candidate-cards serve`` subprocess, as the README runs it:
the stand-in API and an aiosmtpd inbox on loopback, deliveries over real HTTP, SIGTERM and
``kill -9``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import load_fixture
from tests.smtp_inbox import Inbox, smtp_inbox
from tests.standin_api import StandinAPI, free_port, serving
from tests.test_user_report_templates import directory
from tests.test_user_templates import LAYOUT_CSS, LAYOUT_HTML
from tests.webhook_parts import RECIPIENT, SECRET, deliver, event_body, wait_for

ROOT = Path(__file__).resolve().parents[1]
KEY = "sk_serve_webhooks"
RUN = load_fixture("sourcing-completed.json")["requestId"]


@contextmanager
def serve(
    tmp_path: Path, api_url: str, smtp_port: int, *options: str
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``candidate-cards serve`` with the webhook options (and ``options``), up once /healthz
    answers."""
    (tmp_path / "secret.txt").write_bytes(b"  " + SECRET + b"\n")
    (tmp_path / "keys.json").write_text('{"ck_render": ["enrich:write"]}', encoding="utf-8")
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT), *sys.path]),
        "INSTAVIEW_API_URL": api_url,
        "INSTAVIEW_API_KEY": KEY,
    }
    command = [
        *(sys.executable, "-m", "candidate_cards", "serve", "--port", str(port)),
        *("--api-keys", str(tmp_path / "keys.json")),
        *("--webhook-secret-file", str(tmp_path / "secret.txt")),
        *("--output-dir", str(tmp_path / "out")),
        *("--smtp-url", f"smtp://127.0.0.1:{smtp_port}"),
        *("--mail-from", "sourcing@cards.example", "--mail-to", RECIPIENT),
        *options,
    ]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _healthy(url, process), timeout=30, what="serve to answer /healthz")
        yield url, process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


def _healthy(url: str, process: subprocess.Popen[str]) -> bool:
    if process.poll() is not None:
        pytest.fail(f"serve exited early: {process.communicate()[1]}")
    try:
        return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


@pytest.fixture
def parts() -> Iterator[tuple[StandinAPI, str, Inbox, int]]:
    api = StandinAPI(min_poll_interval=0)
    api.add_key(KEY)
    api.add_run(load_fixture("sourcing-completed.json"))
    with serving(api.app) as api_url, smtp_inbox() as (inbox, smtp_port):
        yield api, api_url, inbox, smtp_port


Parts = tuple[StandinAPI, str, Inbox, int]


def files(directory: Path) -> set[str]:
    return {path.name for path in directory.iterdir()} if directory.exists() else set()


def test_signed_event_gives_report_and_one_email_redelivery_nothing_unsigned_401(
    tmp_path: Path, parts: Parts
):
    api, api_url, inbox, smtp_port = parts
    run_dir = tmp_path / "out" / RUN
    with serve(tmp_path, api_url, smtp_port) as (url, process):
        assert deliver(url, event_body(RUN), secret=None).status_code == 401
        assert api.log == []

        accepted = deliver(url, event_body(RUN))
        assert accepted.status_code == 202
        assert accepted.headers["x-request-id"].startswith("rnd_")
        wait_for(lambda: (run_dir / ".done").exists(), what="the job")
        assert {"report.html", "email.html", "email.txt", "message.eml"} <= files(run_dir)
        [message] = inbox.messages()
        assert message["To"] == RECIPIENT
        assert "Priya Raman" in message.get_body(("html",)).get_content()
        before = {path.name: path.read_bytes() for path in run_dir.iterdir()}

        again = deliver(url, event_body(RUN, "sourcing.completed"))
        assert (again.status_code, again.json()["status"]) == (202, "done")
        time.sleep(0.3)
        assert len(inbox.envelopes) == 1
        assert {path.name: path.read_bytes() for path in run_dir.iterdir()} == before

        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=30)
        assert process.returncode in {0, -signal.SIGTERM}, err
        assert "Traceback" not in err


def test_kill_9_mid_job_leaves_no_partial_file_and_the_next_delivery_does_the_job(
    tmp_path: Path, parts: Parts
):
    api, api_url, inbox, smtp_port = parts
    run_dir = tmp_path / "out" / RUN
    api.fail_next(503, delay=5.0)  # the job's first fetch hangs: kill it there
    with serve(tmp_path, api_url, smtp_port) as (url, process):
        assert deliver(url, event_body(RUN)).status_code == 202
        wait_for(lambda: (run_dir / ".lock").exists(), what="the job to start")
        process.kill()
        process.communicate(timeout=30)
    assert files(run_dir) == {".lock"}
    api.faults.clear()

    with serve(tmp_path, api_url, smtp_port) as (url, _process):
        assert deliver(url, event_body(RUN)).json()["status"] == "queued"
        wait_for(lambda: (run_dir / ".done").exists(), what="the retried job")
    assert len(inbox.envelopes) == 1
    assert not [name for name in files(run_dir) if name.endswith(".tmp")]


def test_half_given_webhook_options_stop_serve_with_one_line(tmp_path: Path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "candidate_cards",
            "serve",
            "--no-auth",
            "--output-dir",
            str(tmp_path),
        ],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "--webhook-secret-file and --output-dir go together" in result.stderr
    assert "Traceback" not in result.stderr


def test_two_processes_sharing_the_output_dir_do_one_job(tmp_path: Path, parts: Parts):
    _api, api_url, inbox, smtp_port = parts
    run_dir = tmp_path / "out" / RUN
    inbox.delay = 1.0  # a slow SMTP server: both jobs would be sending at once
    with (
        serve(tmp_path, api_url, smtp_port) as (first, _one),
        serve(tmp_path, api_url, smtp_port) as (second, _two),
    ):
        for url in (first, second):
            assert deliver(url, event_body(RUN)).status_code == 202
        wait_for(lambda: (run_dir / ".done").exists(), what="the job")
        time.sleep(1.5)  # time enough for a second e-mail, had the lock not stopped it
    assert len(inbox.envelopes) == 1


def test_serve_templates_shape_each_runs_report_and_email(tmp_path: Path, parts: Parts):
    _api, api_url, inbox, smtp_port = parts
    mine = directory(tmp_path, card_html=LAYOUT_HTML, card_css=LAYOUT_CSS)
    run_dir = tmp_path / "out" / RUN
    with serve(tmp_path, api_url, smtp_port, "--templates", str(mine)) as (url, _process):
        assert deliver(url, event_body(RUN)).status_code == 202
        wait_for(lambda: (run_dir / ".done").exists(), what="the job")
    report = (run_dir / "report.html").read_text(encoding="utf-8")
    assert f"Acme hiring review: Run {RUN}" in report
    assert report.count("border:2px solid") == 14  # every candidate, as the user's card
    [message] = inbox.messages()
    assert message.get_body(("html",)).get_content().count("border:2px solid") == 10
