"""The sourcing-API client over real HTTP on loopback, against the stand-in API.

The stand-in enforces the API's rules (one poll per run per interval, a cap per minute), so a
client that broke them would be answered 429 and the request log would show it. Intervals
are shortened from the API's 5 s through the client's ``poll_interval`` parameter.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest

from candidate_cards import (
    ApiBadRequest,
    ApiError,
    ApiForbidden,
    ApiPaymentRequired,
    ApiRateLimited,
    ApiRunBusy,
    ApiRunNotFound,
    ApiUnauthorized,
    ApiUnavailable,
    ApiUnprocessable,
    ApiWaitTimeout,
    Candidate,
    InvalidApiRequest,
    RunFailed,
)
from candidate_cards.apiconfig import ApiConfig
from candidate_cards.client import SourcingClient, retry_after
from candidate_cards.ratelimit import RateLimiter
from tests.conftest import load_fixture
from tests.standin_api import Logged, StandinAPI, free_port, serving

KEY = "test-key-acme"
INTERVAL = 0.2


@pytest.fixture
def api() -> StandinAPI:
    """A stand-in with one all-scopes key and a completed, a slow and a failed run."""
    standin = StandinAPI(min_poll_interval=INTERVAL)
    standin.add_key(KEY, "acme")
    standin.add_run(load_fixture("sourcing-completed.json"), request_id="req_done")
    standin.add_run(
        load_fixture("sourcing-completed.json"), request_id="req_slow", processing_polls=2
    )
    standin.add_run(load_fixture("sourcing-failed.json"), request_id="req_failed")
    standin.add_run(load_fixture("enrich-partial.json"), request_id="enr_partial")
    return standin


@pytest.fixture
def url(api: StandinAPI) -> Iterator[str]:
    with serving(api.app) as base_url:
        yield base_url


def make_client(url: str, key: str = KEY, **options: Any) -> SourcingClient:
    options = {"poll_interval": INTERVAL, "backoff": (0.05, 0.2), **options}
    return SourcingClient(ApiConfig(url, key), **options)


@pytest.fixture
def client(url: str) -> Iterator[SourcingClient]:
    with make_client(url) as sourcing:
        yield sourcing


def gaps(entries: list[Logged]) -> list[float]:
    """Seconds between consecutive requests, as the server saw them arrive."""
    return [later.at - earlier.at for earlier, later in itertools.pairwise(entries)]


def test_waiting_polls_no_faster_than_the_interval_and_returns_library_types(
    client: SourcingClient, api: StandinAPI
):
    progress: list[tuple[str | None, int | None]] = []
    result = client.wait_for_sourcing(
        "req_slow", on_progress=lambda info: progress.append((info.status, info.sourced_count))
    )
    assert result.info.status == "completed"
    assert result.info.found_count == 115
    loaded = result.load()
    assert all(isinstance(candidate, Candidate) for candidate in loaded.candidates)
    assert len(loaded.candidates) == 14
    assert progress == [("processing", 4), ("processing", 8)]
    polls = api.requests_for("req_slow")
    assert [entry.status for entry in polls] == [202, 202, 200]
    assert min(gaps(polls)) >= INTERVAL


def test_raw_json_is_kept_as_the_api_sent_it(client: SourcingClient, url: str):
    import httpx

    sent = httpx.get(
        f"{url}/sourcing/enrich/enr_partial/results", headers={"Authorization": f"Bearer {KEY}"}
    ).content
    result = client.get_enrichment_results("enr_partial")
    assert result.raw == sent
    loaded = result.load()
    assert [failure.error_code for failure in loaded.failures] == [
        "PROFILE_NOT_FOUND",
        "ENRICHMENT_TIMEOUT",
    ]


def test_a_failed_run_is_returned_finished_and_raises_only_when_loaded(client: SourcingClient):
    result = client.wait_for_sourcing("req_failed")
    assert result.done
    assert result.info.error_code == "PROVIDER_TEMPORARILY_UNAVAILABLE"
    with pytest.raises(RunFailed):
        result.load()


def test_retry_after_is_honoured(client: SourcingClient, api: StandinAPI):
    api.fail_next(429, retry_after="1")
    assert client.get_results("req_done").info.status == "completed"
    refused, answered = api.requests_for("req_done")
    assert (refused.status, answered.status) == (429, 200)
    assert answered.at - refused.at >= 1.0


def test_polling_faster_than_the_api_allows_is_answered_429_and_survived(api: StandinAPI, url: str):
    api.min_poll_interval = 0.6
    with make_client(url, poll_interval=0.05) as hasty:
        result = hasty.wait_for_sourcing("req_slow")
    assert result.info.status == "completed"
    polls = api.requests_for("req_slow")
    assert 429 in [entry.status for entry in polls]
    answered = [entry for entry in polls if entry.status != 429]
    assert min(gaps(answered)) >= 0.6


def test_429_without_retry_after_backs_off_and_is_bounded(client: SourcingClient, api: StandinAPI):
    api.fail_next(429, times=2)
    assert client.get_results("req_done").http_status == 200
    api.fail_next(429, times=100)
    with pytest.raises(ApiRateLimited) as raised:
        client.get_results("req_done")
    assert raised.value.code == "API_RATE_LIMITED"
    assert "req_done" in raised.value.message and "RATE_LIMIT_EXCEEDED" in raised.value.message
    assert len(api.requests_for("req_done")) == 3 + client.retries + 1
    assert min(gaps(api.requests_for("req_done")[3:])) >= 0.05 / 2  # backed off, never hammered


def test_server_errors_and_timeouts_are_retried_then_reported(api: StandinAPI, url: str):
    with make_client(url, timeout=0.3, retries=2) as client:
        api.fail_next(503)
        api.fail_next(200, delay=1.0)  # answered too late: a read timeout
        assert client.get_results("req_done").info.status == "completed"
        api.fail_next(502, times=10)
        with pytest.raises(ApiUnavailable) as raised:
            client.get_results("req_done")
    assert "after 3 attempts" in raised.value.message
    assert raised.value.code == "API_UNAVAILABLE"


def test_an_unreachable_api_is_a_typed_error_after_bounded_retries():
    with make_client(f"http://127.0.0.1:{free_port()}", retries=2) as client:
        started = time.monotonic()
        with pytest.raises(ApiUnavailable) as raised:
            client.get_results("req_done")
    assert "cannot connect" in raised.value.message
    assert "after 3 attempts" in raised.value.message
    assert time.monotonic() - started < 5


def test_a_post_is_not_repeated_after_a_server_error(client: SourcingClient, api: StandinAPI):
    api.fail_next(503)
    with pytest.raises(ApiError) as raised:
        client.start_enrichment(["prof_1"])
    assert raised.value.http_status == 503
    assert [(entry.method, entry.status) for entry in api.log] == [("POST", 503)]


def test_the_overall_timeout_names_the_run(api: StandinAPI, client: SourcingClient):
    api.add_run({"status": "completed"}, request_id="req_never", processing_polls=10**6)
    started = time.monotonic()
    with pytest.raises(ApiWaitTimeout) as raised:
        client.wait_for_runs(["req_done", "req_never"], timeout=0.7)
    assert time.monotonic() - started < 0.7 + 1.0
    assert raised.value.request_id == "req_never"
    assert "req_never" in raised.value.message and "timed out" in raised.value.message
    assert "candidate(s) sourced so far" in raised.value.message


def test_many_runs_share_one_rate_limit(api: StandinAPI, url: str):
    api.min_poll_interval = 0.01
    for number in range(6):
        api.add_run({"status": "completed"}, request_id=f"req_many{number}", processing_polls=3)
    limiter = RateLimiter(requests=5, period=1.0)
    with make_client(url, poll_interval=0.01, rate_limiter=limiter) as client:
        results = client.wait_for_runs([f"req_many{number}" for number in range(6)])
    assert [result.info.status for result in results] == ["completed"] * 6
    arrivals = [entry.at for entry in api.log]
    assert len(arrivals) == 24
    assert all(sum(start <= moment < start + 1.0 for moment in arrivals) <= 5 for start in arrivals)
    assert 429 not in [entry.status for entry in api.log]


def test_a_progress_callback_interrupt_stops_waiting(client: SourcingClient, api: StandinAPI):
    def interrupt(_info: object) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        client.wait_for_sourcing("req_slow", on_progress=interrupt)
    assert len(api.requests_for("req_slow")) == 1


@pytest.mark.parametrize(
    ("key", "call", "error", "code", "words"),
    [
        ("unknown-key", ("get_results", "req_done"), ApiUnauthorized, "UNAUTHORIZED", "API key"),
        (
            "reader",
            ("get_results", "enr_partial"),
            ApiForbidden,
            "INSUFFICIENT_SCOPE",
            "enrich:write",
        ),
        (
            "enricher",
            ("get_results", "req_done"),
            ApiForbidden,
            "INSUFFICIENT_SCOPE",
            "sourcing:read",
        ),
        (
            "other",
            ("get_results", "req_done"),
            ApiRunNotFound,
            "REQUEST_NOT_FOUND",
            "another company's key",
        ),
        (KEY, ("patch_sourcing", "req_slow"), ApiRunBusy, "RUN_IN_PROGRESS", "in progress"),
        ("prepaid", ("start_sourcing",), ApiPaymentRequired, "INSUFFICIENT_CREDITS", "credits"),
    ],
)
def test_refusals_are_typed_errors_with_the_apis_code(
    api: StandinAPI,
    url: str,
    key: str,
    call: tuple[str, ...],
    error: type[ApiError],
    code: str,
    words: str,
):
    api.add_key("reader", "acme", scopes={"sourcing:read"})
    api.add_key("enricher", "acme", scopes={"enrich:write"})
    api.add_key("other", "globex")
    api.add_key("prepaid", "acme", credits=5)
    method, *args = call
    options: dict[str, Any] = {"limit": 5} if method == "patch_sourcing" else {}
    if method == "start_sourcing":
        options = {"title": "Backend", "job_description": "Go", "location": "Remote", "limit": 20}
    with make_client(url, key) as client, pytest.raises(error) as raised:
        getattr(client, method)(*args, **options)
    failure = raised.value
    assert failure.api_code == code
    assert failure.code == error.code and failure.code.startswith("API_")
    assert words in failure.message
    assert "\n" not in failure.message
    if args:
        assert failure.message.startswith(f"{args[0]}: {failure.http_status} {code}")


@pytest.mark.parametrize(
    ("status", "error", "code"),
    [
        (400, ApiBadRequest, "INVALID_PATCH_PAYLOAD"),
        (422, ApiUnprocessable, "WEBHOOK_NOT_SUBSCRIBED"),
    ],
)
def test_400_and_422_carry_the_apis_code(
    client: SourcingClient, api: StandinAPI, status: int, error: type[ApiError], code: str
):
    api.fail_next(status, code=code, message="Refused by the API.")
    with pytest.raises(error) as raised:
        client.patch_sourcing("req_done", query="Rust")
    assert raised.value.api_code == code
    assert raised.value.message == f"req_done: {status} {code}: Refused by the API."


def test_error_codes_are_stable_and_distinct():
    classes = ApiError.__subclasses__()
    assert len({cls.code for cls in classes}) == len(classes) == 10


@pytest.mark.parametrize(
    ("method", "options", "field"),
    [
        ("patch_sourcing", {}, "$"),
        ("patch_sourcing", {"limit": 51}, "limit"),
        ("patch_sourcing", {"limit": 0}, "limit"),
        ("patch_sourcing", {"query": "x" * 501}, "query"),
        ("patch_sourcing", {"limit": True}, "limit"),
        ("start_sourcing", {"limit": 101}, "limit"),
        ("start_sourcing", {"query": "x" * 501}, "query"),
        ("start_sourcing", {"webhook_id": "not-a-uuid"}, "webhook_id"),
        ("start_enrichment", {"profile_ids": [f"p{n}" for n in range(11)]}, "profile_ids"),
        ("start_enrichment", {"profile_ids": []}, "profile_ids"),
    ],
)
def test_bodies_are_checked_before_sending(
    client: SourcingClient, api: StandinAPI, method: str, options: dict[str, Any], field: str
):
    if method == "patch_sourcing":
        call = lambda: client.patch_sourcing("req_done", **options)  # noqa: E731
    elif method == "start_sourcing":
        job = {"title": "Backend", "job_description": "Go", "location": "Remote"}
        call = lambda: client.start_sourcing(**{**job, **options})  # noqa: E731
    else:
        call = lambda: client.start_enrichment(**options)  # noqa: E731
    with pytest.raises(InvalidApiRequest) as raised:
        call()
    assert raised.value.code == "INVALID_API_REQUEST"
    assert field in [detail.field for detail in raised.value.details]
    assert api.log == []


def test_start_patch_and_enrich_are_accepted_and_can_be_waited_for(
    client: SourcingClient, api: StandinAPI
):
    started = client.start_sourcing(
        title="Backend", job_description="Go services", location="Remote", limit=100
    )
    assert started.request_id.startswith("req_") and started.status == "processing"
    assert client.wait_for_sourcing(started.request_id).info.status == "completed"
    rerun = client.patch_sourcing(started.request_id, query="Only Berlin", limit=50)
    assert rerun.request_id != started.request_id
    enriched = client.start_enrichment([f"prof_{n}" for n in range(10)])
    assert enriched.request_id.startswith("enr_")
    results = client.wait_for_runs([rerun.request_id, enriched.request_id])
    assert [result.info.kind for result in results] == ["sourcing", "enrichment"]
    assert json.loads(enriched.raw)["requestId"] == enriched.request_id


@pytest.mark.parametrize("run_id", ["xyz", "req_", "REQ_1", "enr", "req_../../x", "req_a?b"])
def test_ids_without_a_run_prefix_are_refused_before_sending(
    client: SourcingClient, api: StandinAPI, run_id: str
):
    with pytest.raises(InvalidApiRequest):
        client.get_results(run_id)
    with pytest.raises(InvalidApiRequest):
        client.wait_for_enrichment("req_done")
    assert api.log == []


def test_retry_after_reads_seconds_and_http_dates():
    assert retry_after("7") == 7.0
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 28 <= (retry_after(later) or 0) <= 30
    assert retry_after("soon") is None
    assert retry_after(None) is None
