"""The webhook receiver over real HTTP on loopback, against the stand-in API and a real SMTP
server (aiosmtpd): signatures, both event spellings, redelivery, duplicates, API and SMTP
failures, failed runs and the bounded queue."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, replace
from email import message_from_bytes
from email.policy import default
from pathlib import Path
from typing import Any

import httpx
import pytest
from openapi_spec_validator import validate as validate_spec
from starlette.applications import Starlette
from starlette.routing import Route

from candidate_cards.apiconfig import ApiConfig
from candidate_cards.service import create_app
from candidate_cards.webhooks import (
    WEBHOOK_PATH,
    Backoff,
    Mailing,
    SmtpConfig,
    WebhookReceiver,
    WebhookSettings,
    sign,
)
from tests.conftest import load_fixture
from tests.smtp_inbox import Inbox, smtp_inbox
from tests.standin_api import StandinAPI, free_port, serving
from tests.test_service import schema_validator
from tests.webhook_parts import RECIPIENT, SECRET, SENDER, deliver, event_body, wait_for

KEY = "sk_webhook_tests"
COMPLETED = "req_webhook-completed"
OUTPUTS = {"report.html", "email.html", "email.txt", "message.eml"}


@dataclass
class Parts:
    """A running receiver and what it talks to."""

    url: str
    api: StandinAPI
    inbox: Inbox
    smtp_port: int
    output: Path
    receiver: WebhookReceiver

    def files(self, request_id: str) -> set[str]:
        directory = self.output / request_id
        return {p.name for p in directory.iterdir()} if directory.exists() else set()

    def done(self, request_id: str) -> bool:
        return (self.output / request_id / ".done").exists()

    def error(self, request_id: str) -> dict[str, Any]:
        return json.loads((self.output / request_id / "error.json").read_text(encoding="utf-8"))

    def fetches(self, request_id: str) -> int:
        return len(self.api.requests_for(request_id))


Start = Callable[..., Parts]


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Start]:
    """Start a receiver (settings overridable), the stand-in API with the fixtures' runs, and
    an SMTP inbox; everything stops after the test."""
    with ExitStack() as stack:

        def begin(smtp: bool = True, **overrides: Any) -> Parts:
            api = StandinAPI(min_poll_interval=0)
            api.add_key(KEY)
            completed = load_fixture("sourcing-completed.json")
            completed["candidates"].reverse()  # the e-mail must rank them, not trust the order
            api.add_run(completed, request_id=COMPLETED)
            for name in ("sourcing-failed", "enrich-completed"):
                api.add_run(load_fixture(f"{name}.json"))
            api_url = stack.enter_context(serving(api.app))
            inbox, port = stack.enter_context(smtp_inbox()) if smtp else (Inbox(), free_port())
            settings = WebhookSettings(
                secret=SECRET,
                output_dir=tmp_path / "out",
                api=ApiConfig(api_url, KEY),
                mailing=Mailing(SENDER, (RECIPIENT,)),
                smtp=SmtpConfig("127.0.0.1", port, "plain"),
                backoff=Backoff(attempts=3, first=0.05, longest=0.2),
                api_backoff=(0.05, 0.2),
            )
            receiver = WebhookReceiver(replace(settings, **overrides))
            stack.callback(receiver.close, 5.0)
            app = Starlette(routes=[Route(WEBHOOK_PATH, receiver.handle, methods=["POST"])])
            url = stack.enter_context(serving(app))
            return Parts(url, api, inbox, port, tmp_path / "out", receiver)

        yield begin


def test_a_signed_completed_event_writes_the_report_and_sends_the_top_ten_once(start: Start):
    parts = start()
    response = deliver(parts.url, event_body(COMPLETED))
    assert response.status_code == 202
    assert response.json() == {"success": True, "status": "queued", "requestId": COMPLETED}
    wait_for(lambda: parts.done(COMPLETED), what="the job")

    assert parts.files(COMPLETED) >= OUTPUTS
    [message] = parts.inbox.messages()
    assert message["To"] == RECIPIENT
    assert message["Message-ID"] == f"<{COMPLETED}.shortlist@cards.example>"
    assert message["Subject"] == "Shortlist: top 10 of 14 candidates"
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    best = ["Priya Raman", "Mateus Oliveira", "Lukas Becker"]  # 97, 94 and 63: the 10th
    rest = ["Mei Lin Chow", "Kenji Watanabe"]  # 58 and 41: 11th and 14th
    assert all(name in html and name in text for name in best)
    assert not any(name in html or name in text for name in rest)
    saved = message_from_bytes(
        (parts.output / COMPLETED / "message.eml").read_bytes(), policy=default
    )
    assert saved["Message-ID"] == message["Message-ID"]
    assert saved.get_body(("html",)).get_content().rstrip() == html.rstrip()
    report = (parts.output / COMPLETED / "report.html").read_text(encoding="utf-8")
    assert "Kenji Watanabe" in report  # the report keeps every candidate


def test_redelivery_changes_nothing_and_sends_nothing(start: Start):
    parts = start()
    deliver(parts.url, event_body(COMPLETED))
    wait_for(lambda: parts.done(COMPLETED))
    directory = parts.output / COMPLETED
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in directory.iterdir()}

    again = deliver(parts.url, event_body(COMPLETED, "sourcing.completed"))
    assert again.status_code == 202
    assert again.json()["status"] == "done"
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in directory.iterdir()}
    assert after == before
    assert len(parts.inbox.envelopes) == 1
    assert parts.fetches(COMPLETED) == 1


@pytest.mark.parametrize(
    "shape",
    [
        {"event": "SOURCING_COMPLETED", "requestId": COMPLETED},
        {"type": "sourcing.completed", "requestId": COMPLETED},
        {"event": "sourcing.completed", "data": {"requestId": COMPLETED}},
        {"type": "SOURCING_COMPLETED", "data": {"requestId": COMPLETED, "candidates": []}},
    ],
    ids=["event-upper", "type-dotted", "event-dotted-data", "type-upper-data"],
)
def test_both_spellings_in_event_or_type_with_the_id_anywhere(start: Start, shape: dict[str, Any]):
    parts = start()
    assert deliver(parts.url, event_body("", **shape)).status_code == 202
    wait_for(lambda: parts.done(COMPLETED))
    # The body's own (empty) candidates are never used: the run is fetched from the API.
    assert len(parts.inbox.envelopes) == 1
    assert parts.fetches(COMPLETED) == 1


@pytest.mark.parametrize(
    "signature",
    [None, "", "sha256=", "sha256=" + "0" * 64, "sha1=abc", "SHA256=deadbeef"],
    ids=["missing", "empty", "no-digest", "wrong-digest", "other-scheme", "garbage"],
)
def test_a_missing_or_wrong_signature_is_401_and_nothing_happens(
    start: Start, signature: str | None
):
    parts = start()
    body = event_body(COMPLETED)
    response = deliver(parts.url, body, secret=None, signature=signature)
    assert response.status_code == 401
    assert response.json()["error"] == "INVALID_WEBHOOK_SIGNATURE"
    assert parts.api.log == []
    assert not parts.output.exists() or list(parts.output.iterdir()) == []


def test_a_signature_of_other_bytes_or_another_secret_is_refused(start: Start):
    parts = start()
    body = event_body(COMPLETED)
    assert deliver(parts.url, body, secret=b"another secret").status_code == 401
    signed_other = deliver(parts.url, body + b" ", signature=sign(SECRET, body))
    assert signed_other.status_code == 401
    assert parts.api.log == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"{not json", "$"),
        (b"[]", "$"),
        (b'{"requestId": "req_x"}', "event"),
        (b'{"event": "SOURCING_COMPLETED"}', "requestId"),
        (b'{"event": "SOURCING_COMPLETED", "requestId": "../../etc"}', "requestId"),
        (b'{"event": "ENRICH_COMPLETED", "requestId": "req_abc"}', "requestId"),
    ],
    ids=["not-json", "array", "no-event", "no-id", "path-id", "wrong-kind"],
)
def test_a_malformed_signed_body_is_the_contracts_400_envelope(
    start: Start, body: bytes, field: str
):
    parts = start()
    response = deliver(parts.url, body)
    assert response.status_code == 400
    envelope = response.json()
    assert envelope.keys() == {"statusCode", "error", "message", "details"}
    assert (envelope["statusCode"], envelope["error"]) == (400, "INVALID_WEBHOOK_PAYLOAD")
    assert [detail["field"] for detail in envelope["details"]] == [field]
    assert parts.api.log == []


def test_an_unknown_event_is_accepted_ignored_and_logged(
    start: Start, caplog: pytest.LogCaptureFixture
):
    parts = start()
    with caplog.at_level(logging.INFO, logger="candidate_cards.webhooks"):
        response = deliver(parts.url, event_body(COMPLETED, "WEBHOOK_PING"))
    assert response.status_code == 202
    assert response.json()["status"] == "ignored"
    assert "Ignored webhook event 'WEBHOOK_PING'" in caplog.text
    assert parts.api.log == []


def test_concurrent_duplicates_do_one_job(start: Start):
    parts = start()
    parts.api.fail_next(503, delay=0.5)  # the first fetch is slow: duplicates arrive meanwhile
    barrier = threading.Barrier(8)
    answers: list[int] = []

    def send() -> None:
        barrier.wait()
        answers.append(deliver(parts.url, event_body(COMPLETED)).status_code)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [202] * 8
    wait_for(lambda: parts.done(COMPLETED))
    assert len(parts.inbox.envelopes) == 1
    assert parts.fetches(COMPLETED) == 2  # the slow 503, then its retry


def test_api_429_and_5xx_during_the_job_are_retried(start: Start):
    parts = start()
    parts.api.fail_next(429, retry_after="0")
    parts.api.fail_next(502, times=2)
    deliver(parts.url, event_body(COMPLETED))
    wait_for(lambda: parts.done(COMPLETED))
    assert [entry.status for entry in parts.api.requests_for(COMPLETED)] == [429, 502, 502, 200]
    assert len(parts.inbox.envelopes) == 1
    assert "error.json" not in parts.files(COMPLETED)


def test_an_api_that_stays_down_is_recorded_then_a_redelivery_succeeds(start: Start):
    parts = start()
    parts.api.fail_next(503, times=100)
    deliver(parts.url, event_body(COMPLETED))
    wait_for(lambda: (parts.output / COMPLETED / "error.json").exists())
    error = parts.error(COMPLETED)
    assert (error["requestId"], error["error"]) == (COMPLETED, "API_UNAVAILABLE")
    assert parts.files(COMPLETED) == {".lock", "error.json"}  # nothing half-done

    parts.api.faults.clear()
    wait_for(lambda: not parts.receiver.pending, what="the failed job to leave the queue")
    assert deliver(parts.url, event_body(COMPLETED)).json()["status"] == "queued"
    wait_for(lambda: parts.done(COMPLETED))
    assert "error.json" not in parts.files(COMPLETED)
    assert len(parts.inbox.envelopes) == 1


def test_a_run_unknown_to_the_api_is_recorded_as_404_and_logged(
    start: Start, caplog: pytest.LogCaptureFixture
):
    parts = start()
    with caplog.at_level(logging.ERROR, logger="candidate_cards.webhooks"):
        deliver(parts.url, event_body("req_nobody-knows"))
        wait_for(lambda: (parts.output / "req_nobody-knows" / "error.json").exists())
        wait_for(lambda: "API_RUN_NOT_FOUND" in caplog.text, what="the error to be logged")
    error = parts.error("req_nobody-knows")
    assert error["error"] == "API_RUN_NOT_FOUND"
    assert "REQUEST_NOT_FOUND" in error["message"]
    assert parts.fetches("req_nobody-knows") == 1  # a 404 is not retried
    assert not parts.done("req_nobody-knows")


def test_a_failed_run_gives_a_status_report_with_the_api_error_and_no_email(start: Start):
    parts = start()
    failed = load_fixture("sourcing-failed.json")["requestId"]
    deliver(parts.url, event_body(failed, "SOURCING_FAILED"))
    wait_for(lambda: parts.done(failed))
    assert parts.files(failed) == {".lock", ".done", "report.html"}
    report = (parts.output / failed / "report.html").read_text(encoding="utf-8")
    assert "PROVIDER_TEMPORARILY_UNAVAILABLE" in report
    assert "returned a 503 after exhausting retries" in report
    assert parts.inbox.envelopes == []


def test_an_enrichment_run_gives_its_report_only(start: Start):
    parts = start()
    enriched = load_fixture("enrich-completed.json")["requestId"]
    deliver(parts.url, event_body(enriched, "enrich.completed"))
    wait_for(lambda: parts.done(enriched))
    assert parts.files(enriched) == {".lock", ".done", "report.html"}
    assert parts.inbox.envelopes == []


def test_smtp_down_then_up_within_the_retries_sends_once(start: Start, tmp_path: Path):
    parts = start(smtp=False, backoff=Backoff(attempts=30, first=0.1, longest=0.2))
    deliver(parts.url, event_body(COMPLETED))
    wait_for(lambda: (parts.output / COMPLETED / "message.eml").exists())
    with smtp_inbox(parts.smtp_port) as (inbox, _port):
        wait_for(lambda: parts.done(COMPLETED))
        assert len(inbox.envelopes) == 1
    assert (parts.output / COMPLETED / ".sent").exists()


def test_smtp_down_past_the_retries_is_recorded_and_a_redelivery_sends_once(start: Start):
    parts = start(smtp=False)
    deliver(parts.url, event_body(COMPLETED))
    wait_for(lambda: (parts.output / COMPLETED / "error.json").exists())
    assert parts.error(COMPLETED)["error"] == "SMTP_DELIVERY_FAILED"
    assert not parts.done(COMPLETED)
    assert not (parts.output / COMPLETED / ".sent").exists()

    with smtp_inbox(parts.smtp_port) as (inbox, _port):
        wait_for(lambda: not parts.receiver.pending)
        deliver(parts.url, event_body(COMPLETED))
        wait_for(lambda: parts.done(COMPLETED))
        assert len(inbox.envelopes) == 1
    assert "error.json" not in parts.files(COMPLETED)


def test_a_job_that_crashed_after_sending_does_not_send_again(start: Start):
    parts = start()
    directory = parts.output / COMPLETED
    directory.mkdir(parents=True)
    (directory / ".sent").write_text("{}", encoding="utf-8")  # SMTP accepted, then the crash
    deliver(parts.url, event_body(COMPLETED))
    wait_for(lambda: parts.done(COMPLETED))
    assert parts.files(COMPLETED) >= OUTPUTS
    assert parts.inbox.envelopes == []


def test_a_full_queue_answers_429(start: Start):
    parts = start(workers=1, queue_size=1)
    parts.api.fail_next(503, delay=1.5)  # the one worker is busy with the first event
    ids = [f"req_flood-{number}" for number in range(3)]
    assert deliver(parts.url, event_body(ids[0])).status_code == 202
    wait_for(lambda: parts.receiver.waiting == 0, what="the worker to take the first event")
    assert deliver(parts.url, event_body(ids[1])).status_code == 202
    refused = deliver(parts.url, event_body(ids[2]))
    assert refused.status_code == 429
    assert refused.json()["error"] == "WEBHOOK_QUEUE_FULL"
    assert refused.headers["Retry-After"]


def test_shutdown_abandons_a_job_waiting_to_retry_without_partial_files(start: Start):
    parts = start(smtp=False, backoff=Backoff(attempts=100, first=5.0, longest=5.0))
    deliver(parts.url, event_body(COMPLETED))
    wait_for(lambda: (parts.output / COMPLETED / "message.eml").exists())
    closing = threading.Thread(target=parts.receiver.close, args=(0.2,))
    closing.start()
    closing.join(5)
    assert not closing.is_alive()
    assert not parts.done(COMPLETED)
    assert not [name for name in parts.files(COMPLETED) if name.endswith(".tmp")]
    assert "error.json" not in parts.files(COMPLETED)  # abandoned, not failed
    assert deliver(parts.url, event_body(COMPLETED)).status_code == 429  # taking no new work


def test_a_body_over_the_limit_is_413_before_the_signature_is_checked(start: Start):
    parts = start()
    response = httpx.post(
        f"{parts.url}{WEBHOOK_PATH}", content=b" " * (1024 * 1024 + 1), timeout=10
    )
    assert response.status_code == 413
    assert response.json()["error"] == "PAYLOAD_TOO_LARGE"


def test_the_service_documents_the_webhook_route_it_mounts_and_answers_as_documented(
    start: Start, tmp_path: Path
):
    parts = start()  # the stand-in API with the completed run, and an SMTP inbox
    settings = replace(parts.receiver.settings, output_dir=tmp_path / "served")
    with serving(create_app(no_auth=True, access_log=False, webhook=settings)) as url:
        document = httpx.get(f"{url}/openapi.json").json()
        validate_spec(document)
        operation = document["paths"][WEBHOOK_PATH]["post"]
        assert set(operation["responses"]) == {"202", "400", "401", "405", "413", "429"}
        accepted = schema_validator(document, "WebhookAccepted")
        event = schema_validator(document, "WebhookEvent")
        error = schema_validator(document, "Error")

        for body in (
            event_body(COMPLETED),
            event_body(COMPLETED, type="sourcing.completed", data={"requestId": COMPLETED}),
        ):
            event.validate(json.loads(body))
            answer = deliver(url, body)
            assert answer.status_code == 202
            accepted.validate(answer.json())
        ping = deliver(url, event_body("", "WEBHOOK_PING"))
        assert ping.status_code == 202 and ping.json()["status"] == "ignored"
        accepted.validate(ping.json())
        for answer, status in (
            (deliver(url, event_body(COMPLETED), secret=b"wrong"), 401),
            (deliver(url, b'{"event": "SOURCING_COMPLETED"}'), 400),
        ):
            assert answer.status_code == status
            error.validate(answer.json())
            documented = operation["responses"][str(status)]["content"]["application/json"]
            assert answer.json()["error"] in documented["examples"]
        wait_for(lambda: (tmp_path / "served" / COMPLETED / ".done").exists(), what="the job")


def test_the_service_does_not_document_a_webhook_it_does_not_mount():
    with serving(create_app(no_auth=True, access_log=False)) as url:
        document = httpx.get(f"{url}/openapi.json").json()
    assert WEBHOOK_PATH not in document["paths"]
    assert "WebhookEvent" not in document["components"]["schemas"]
