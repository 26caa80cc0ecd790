"""A typed client for the sourcing API that honours its polling rules.

>>> with SourcingClient(api_config()) as client:            # doctest: +SKIP
...     result = client.wait_for_sourcing("req_…", timeout=600)
...     result.load().candidates

Polling politely, as the API documents it:

* a run is polled at most once every ``poll_interval`` seconds (5 by default, the API's
  rule), counted from the previous answer;
* the whole client makes at most 120 requests a minute (the API's 429 threshold), however
  many runs it waits for, through one shared :class:`~candidate_cards.ratelimit.RateLimiter`;
* a 429 waits for its ``Retry-After``, or else backs off exponentially with jitter; network
  errors, timeouts and 5xx answers are retried a bounded number of times (tenacity), and
  only where a retry cannot start a run twice;
* every other refusal raises the :class:`~candidate_cards.errors.ApiError` for its status.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Self
from uuid import UUID

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    wait_exponential,
    wait_random,
)

from ._version import __version__
from .apiconfig import ApiConfig
from .bodies import EnrichRequest, PatchRequest, SourcingRequest
from .errors import (
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
    ErrorDetail,
    InvalidApiRequest,
)
from .payloads import LoadResult, RunInfo, load_candidates, parse_json, run_info
from .ratelimit import RateLimiter
from .shapes import PayloadShape

#: The API's rule: poll one run at most once every 5 seconds.
MIN_POLL_INTERVAL = 5.0
#: Longest ``Retry-After`` the client waits for on its own before giving up.
MAX_RETRY_AFTER = 300.0
#: Which run kind a request id's prefix names.
RUN_PREFIXES = {"req_": PayloadShape.SOURCING, "enr_": PayloadShape.ENRICHMENT}
RUN_ID = re.compile(r"(req_|enr_)[A-Za-z0-9_-]{1,200}")
#: The scope each endpoint needs, as a 403 names it.
SCOPES = {"sourcing": "sourcing:read", "enrichment": "enrich:write", "write": "sourcing:write"}

#: Called after each poll of a run that is still processing, with what the API said of it.
OnProgress = Callable[[RunInfo], None]


@dataclass(frozen=True, slots=True)
class RunResult:
    """One answer of ``GET …/results``: the run as the library reads it, and the bytes as sent."""

    info: RunInfo
    raw: bytes
    http_status: int

    @property
    def request_id(self) -> str:
        """The run's id, as the API gave it."""
        return self.info.request_id or ""

    @property
    def done(self) -> bool:
        """Whether the run has finished, completed or failed."""
        return self.info.status in {"completed", "failed"}

    def load(self) -> LoadResult:
        """The candidates and per-profile failures; raises ``RunInProgress`` or ``RunFailed``."""
        return load_candidates(self.payload())

    def payload(self) -> Any:
        """The JSON answer, parsed."""
        return parse_json(self.raw, source=self.request_id)


@dataclass(frozen=True, slots=True)
class Accepted:
    """A 202 answer to ``POST /sourcing``, ``PATCH /sourcing/{id}`` or ``POST /sourcing/enrich``."""

    request_id: str
    status: str
    message: str | None
    raw: bytes


def run_kind(request_id: str) -> PayloadShape:
    """``"sourcing"`` for ``req_…``, ``"enrichment"`` for ``enr_…``; anything else is refused.

    Only letters, digits, ``-`` and ``_`` may follow the prefix, so an id is one path segment.
    """
    match = RUN_ID.fullmatch(request_id)
    if match is not None:
        return RUN_PREFIXES[match[1]]
    problem = "a run id is req_ (sourcing) or enr_ (enrichment) then letters, digits, - or _"
    raise InvalidApiRequest(
        f"{request_id!r} is not a run id: {problem}.", [ErrorDetail("requestId", problem)]
    )


class _Retryable(Exception):
    """An attempt worth repeating: a 429, a 5xx, or a network error or timeout."""

    def __init__(
        self, problem: str, *, status: int | None = None, retry_after: float | None = None
    ):
        super().__init__(problem)
        self.problem = problem
        self.status = status
        self.retry_after = retry_after


class SourcingClient:
    """The sourcing API's endpoints, typed; a context manager that owns its connection pool."""

    def __init__(
        self,
        config: ApiConfig,
        *,
        poll_interval: float = MIN_POLL_INTERVAL,
        rate_limiter: RateLimiter | None = None,
        retries: int = 5,
        backoff: tuple[float, float] = (1.0, 30.0),
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = config.base_url
        self.poll_interval = poll_interval
        self.retries = retries
        self._limiter = rate_limiter or RateLimiter()
        first, longest = backoff
        self._backoff = wait_exponential(multiplier=first, max=longest) + wait_random(0, first)
        self._sleep = sleep
        self._http = httpx.Client(
            base_url=config.base_url,
            timeout=timeout,
            headers={
                "Authorization": f"Bearer {config.api_key}",
                "Accept": "application/json",
                "User-Agent": f"candidate-cards/{__version__}",
            },
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def get_results(self, request_id: str, *, deadline: float | None = None) -> RunResult:
        """A run's current results, sourcing or enrichment by its id's prefix."""
        kind = run_kind(request_id)
        path = (
            f"/sourcing/{request_id}/results"
            if kind == "sourcing"
            else f"/sourcing/enrich/{request_id}/results"
        )
        response = self._send("GET", path, label=request_id, scope=SCOPES[kind], deadline=deadline)
        payload = _json_object(response, request_id)
        info = run_info(payload, kind)
        if info.status not in {"processing", "completed", "failed"}:
            raise ApiError(
                f"{request_id}: the API answered an unknown status {info.status!r}",
                request_id=request_id,
                http_status=response.status_code,
            )
        return RunResult(info=info, raw=response.content, http_status=response.status_code)

    def get_sourcing_results(self, request_id: str) -> RunResult:
        """``GET /sourcing/{id}/results`` once (429s and transient errors retried)."""
        _expect_kind(request_id, "sourcing")
        return self.get_results(request_id)

    def get_enrichment_results(self, request_id: str) -> RunResult:
        """``GET /sourcing/enrich/{id}/results`` once (429s and transient errors retried)."""
        _expect_kind(request_id, "enrichment")
        return self.get_results(request_id)

    def start_sourcing(
        self,
        *,
        title: str,
        job_description: str,
        location: str,
        query: str | None = None,
        limit: int | None = None,
        webhook_id: UUID | str | None = None,
    ) -> Accepted:
        """``POST /sourcing``: start a run; the body is checked before anything is sent."""
        body = SourcingRequest.check(
            title=title,
            job_description=job_description,
            location=location,
            query=query,
            limit=limit,
            webhook_id=webhook_id,
        )
        return self._accepted("POST", "/sourcing", body.to_json(), "POST /sourcing", "write")

    def patch_sourcing(
        self, request_id: str, *, query: str | None = None, limit: int | None = None
    ) -> Accepted:
        """``PATCH /sourcing/{id}``: re-run a finished run, refined or for more candidates."""
        _expect_kind(request_id, "sourcing")
        body = PatchRequest.check(query=query, limit=limit)
        return self._accepted(
            "PATCH", f"/sourcing/{request_id}", body.to_json(), request_id, "write"
        )

    def start_enrichment(
        self, profile_ids: Iterable[str], *, webhook_id: UUID | str | None = None
    ) -> Accepted:
        """``POST /sourcing/enrich``: enrich up to 10 profiles."""
        body = EnrichRequest.check(profile_ids=list(profile_ids), webhook_id=webhook_id)
        return self._accepted(
            "POST", "/sourcing/enrich", body.to_json(), "POST /sourcing/enrich", "enrichment"
        )

    def wait_for_sourcing(
        self,
        request_id: str,
        *,
        timeout: float | None = None,
        on_progress: OnProgress | None = None,
    ) -> RunResult:
        """Poll a sourcing run until it has completed or failed."""
        _expect_kind(request_id, "sourcing")
        return self.wait_for_runs([request_id], timeout=timeout, on_progress=on_progress)[0]

    def wait_for_enrichment(
        self,
        request_id: str,
        *,
        timeout: float | None = None,
        on_progress: OnProgress | None = None,
    ) -> RunResult:
        """Poll an enrichment run until it has completed or failed."""
        _expect_kind(request_id, "enrichment")
        return self.wait_for_runs([request_id], timeout=timeout, on_progress=on_progress)[0]

    def wait_for_runs(
        self,
        request_ids: Iterable[str],
        *,
        timeout: float | None = None,
        on_progress: OnProgress | None = None,
    ) -> list[RunResult]:
        """Poll every run until each has completed or failed; results in the order given.

        Each run is polled when its interval is up, the earliest due first. Raises
        :class:`ApiWaitTimeout` naming the first run still processing when ``timeout``
        seconds have passed.
        """
        ids = list(dict.fromkeys(request_ids))
        for request_id in ids:
            run_kind(request_id)
        deadline = None if timeout is None else time.monotonic() + timeout
        due = dict.fromkeys(ids, time.monotonic())
        latest: dict[str, RunResult] = {}
        while pending := [request_id for request_id in ids if request_id in due]:
            request_id = min(pending, key=due.__getitem__)
            if deadline is not None and due[request_id] > deadline:
                raise _timed_out(request_id, latest.get(request_id), timeout)
            self._sleep(max(0.0, due[request_id] - time.monotonic()))
            result = self.get_results(request_id, deadline=deadline)
            latest[request_id] = result
            if result.done:
                del due[request_id]
            else:
                due[request_id] = time.monotonic() + self.poll_interval
                if on_progress is not None:
                    on_progress(result.info)
        return [latest[request_id] for request_id in ids]

    def _accepted(
        self, method: str, path: str, body: dict[str, Any], label: str, scope: str
    ) -> Accepted:
        response = self._send(method, path, label=label, scope=SCOPES[scope], body=body)
        payload = _json_object(response, label)
        request_id, status = payload.get("requestId"), payload.get("status")
        if not isinstance(request_id, str) or not isinstance(status, str):
            raise ApiError(
                f"{label}: the API's answer has no requestId or status",
                http_status=response.status_code,
            )
        message = payload.get("message")
        return Accepted(
            request_id, status, message if isinstance(message, str) else None, response.content
        )

    def _send(
        self,
        method: str,
        path: str,
        *,
        label: str,
        scope: str,
        body: dict[str, Any] | None = None,
        deadline: float | None = None,
    ) -> httpx.Response:
        """One request, repeated on 429 and transient failures; an error for any refusal."""
        idempotent = method in {"GET", "HEAD"}
        retrying = Retrying(
            retry=retry_if_exception_type(_Retryable),
            stop=lambda state: self._give_up(state, deadline),
            wait=self._wait,
            sleep=self._sleep,
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    response = self._attempt(method, path, body, idempotent=idempotent)
        except _Retryable as exc:
            raise _exhausted(exc, label, retrying.statistics.get("attempt_number", 1)) from None
        if response.is_success:
            return response
        raise api_error(response, label=label, scope=scope)

    def _attempt(
        self, method: str, path: str, body: dict[str, Any] | None, *, idempotent: bool
    ) -> httpx.Response:
        """Send once, within the shared rate limit; raise :class:`_Retryable` to go again."""
        with self._limiter.slot():
            try:
                response = self._http.request(method, path, json=body)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                raise _Retryable(f"cannot connect to {self.base_url} ({_reason(exc)})") from None
            except httpx.TransportError as exc:
                if not idempotent:  # the request may have started a run: do not send it twice
                    raise ApiUnavailable(
                        f"{method} {path}: no answer from the API ({_reason(exc)}); "
                        "not retried, as it may have been accepted",
                    ) from None
                raise _Retryable(f"no answer from {self.base_url} ({_reason(exc)})") from None
        if response.status_code == 429:
            raise _Retryable(
                "429 RATE_LIMIT_EXCEEDED",
                status=429,
                retry_after=retry_after(response.headers.get("Retry-After")),
            )
        if response.status_code >= 500 and idempotent:
            raise _Retryable(f"HTTP {response.status_code}", status=response.status_code)
        return response

    def _wait(self, state: RetryCallState) -> float:
        """``Retry-After`` when a 429 gives one, else exponential back-off with jitter."""
        outcome = state.outcome
        failure = outcome.exception() if outcome is not None else None
        if isinstance(failure, _Retryable) and failure.retry_after is not None:
            return failure.retry_after
        return float(self._backoff(state))

    def _give_up(self, state: RetryCallState, deadline: float | None) -> bool:
        """Stop after ``retries`` retries, or when the next wait would pass the deadline."""
        if state.attempt_number > self.retries:
            return True
        upcoming = state.upcoming_sleep
        if upcoming > MAX_RETRY_AFTER:
            return True
        return deadline is not None and time.monotonic() + upcoming > deadline


def api_error(response: httpx.Response, *, label: str, scope: str) -> ApiError:
    """The typed error for a refused request, with the API's own code and message."""
    status = response.status_code
    try:
        body = json.loads(response.content)
    except ValueError:
        body = None
    body = body if isinstance(body, Mapping) else {}
    code = body.get("error") if isinstance(body.get("error"), str) else None
    said = body.get("message") if isinstance(body.get("message"), str) else None
    message = f"{label}: {status} {code or response.reason_phrase}"
    message += f": {' '.join(said.split())}" if said else ""
    message += _ADVICE.get(status, "").format(scope=scope)
    if status == 403:
        return ApiForbidden(
            message,
            scope=scope,
            request_id=label,
            http_status=status,
            api_code=code,
            api_message=said,
        )
    return _REFUSALS.get(status, ApiError)(
        message, request_id=label, http_status=status, api_code=code, api_message=said
    )


#: The error class of each refusal the API documents (403 is :class:`ApiForbidden`).
_REFUSALS: dict[int, type[ApiError]] = {
    400: ApiBadRequest,
    401: ApiUnauthorized,
    402: ApiPaymentRequired,
    404: ApiRunNotFound,
    409: ApiRunBusy,
    422: ApiUnprocessable,
}
#: What a refusal's message adds, for the statuses whose cause the API does not spell out.
_ADVICE = {
    401: " (check the API key)",
    403: " (this needs the {scope} scope)",
    404: " (no such run for this key; it may belong to another company's key)",
}


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: a number of seconds or an HTTP date."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def _json_object(response: httpx.Response, label: str) -> Mapping[str, Any]:
    try:
        payload = json.loads(response.content)
    except ValueError:
        payload = None
    if not isinstance(payload, Mapping):
        raise ApiError(
            f"{label}: the API's answer is not a JSON object (HTTP {response.status_code})",
            request_id=label,
            http_status=response.status_code,
        )
    return payload


def _expect_kind(request_id: str, kind: str) -> None:
    if run_kind(request_id) != kind:
        raise InvalidApiRequest(
            f"{request_id!r} is not a {kind} run id.",
            [ErrorDetail("requestId", f"expected a {kind} run id")],
        )


def _exhausted(failure: _Retryable, label: str, attempts: int) -> ApiError:
    tries = f"after {attempts} attempt{'s' if attempts != 1 else ''}"
    if failure.status == 429:
        return ApiRateLimited(
            f"{label}: 429 RATE_LIMIT_EXCEEDED {tries}",
            request_id=label,
            http_status=429,
            api_code="RATE_LIMIT_EXCEEDED",
        )
    return ApiUnavailable(
        f"{label}: {failure.problem} {tries}", request_id=label, http_status=failure.status
    )


def _timed_out(request_id: str, last: RunResult | None, timeout: float | None) -> ApiWaitTimeout:
    sourced = last.info.sourced_count if last else None
    so_far = f", {sourced} candidate(s) sourced so far" if sourced is not None else ""
    return ApiWaitTimeout(
        f"{request_id}: still processing after {timeout:g} s{so_far}; timed out",
        request_id=request_id,
    )


def _reason(exc: httpx.TransportError) -> str:
    return str(exc) or type(exc).__name__
