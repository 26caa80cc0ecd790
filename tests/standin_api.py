"""A local stand-in of the sourcing API, behaving as its documentation says, for tests and demos.

* ``GET /sourcing/{id}/results`` and ``GET /sourcing/enrich/{id}/results``: 202 while a run
  is processing (``candidatesSourcedCount`` grows), then 200 with its final payload;
* ``POST /sourcing``, ``PATCH /sourcing/{id}`` (409 ``RUN_IN_PROGRESS`` while its session is
  busy, 400 ``INVALID_PATCH_PAYLOAD``), ``POST /sourcing/enrich`` (at most 10 profiles);
* keys carry a company and scopes (401 unknown key, 403 missing scope); a run of another
  company is 404 ``REQUEST_NOT_FOUND``; prepaid credits give 402;
* 429 ``RATE_LIMIT_EXCEEDED`` (with ``Retry-After``) when one run is polled faster than
  ``min_poll_interval`` or a key makes more than ``rate_limit`` requests in ``rate_period``.

Tests script runs with :meth:`StandinAPI.add_run`, inject faults with :meth:`StandinAPI.fail_next`
and read :attr:`StandinAPI.log`; :func:`serving` runs any ASGI app on a free loopback port.
For a demo: ``python -m tests.standin_api --port 8765`` (prints the keys and runs it serves).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

FIXTURES = Path(__file__).parent / "fixtures"
ALL_SCOPES = frozenset({"sourcing:read", "sourcing:write", "enrich:write"})


@dataclass(frozen=True, slots=True)
class Key:
    """An API key's company, scopes and billing."""

    company: str
    scopes: frozenset[str] = ALL_SCOPES
    credits: int | None = None  # prepaid balance; None for a postpaid account


@dataclass
class Run:
    """A scripted run: answered ``processing`` for ``processing_polls`` polls, then ``final``."""

    request_id: str
    company: str
    final: dict[str, Any]
    processing_polls: int = 0
    session: str = ""
    polls: int = 0
    created_at: str = "2026-05-20T13:20:45.000Z"

    @property
    def kind(self) -> str:
        return "enrichment" if self.request_id.startswith("enr_") else "sourcing"

    @property
    def processing(self) -> bool:
        return self.polls < self.processing_polls


@dataclass(frozen=True, slots=True)
class Logged:
    """One request as the stand-in saw it (the key itself is never kept)."""

    method: str
    path: str
    status: int
    at: float
    company: str | None
    run_id: str | None = None


@dataclass
class Fault:
    """An answer to give instead of the real one, ``times`` more times."""

    status: int
    times: int
    retry_after: str | None = None
    delay: float = 0.0
    code: str = "UPSTREAM_ERROR"
    message: str = "Injected by the stand-in."


@dataclass
class StandinAPI:
    """The stand-in's state and its ASGI app (:attr:`app`)."""

    keys: dict[str, Key] = field(default_factory=dict)
    min_poll_interval: float = 5.0
    rate_limit: int = 120
    rate_period: float = 60.0
    processing_polls: int = 1  # for runs created by POST or PATCH
    runs: dict[str, Run] = field(default_factory=dict)
    log: list[Logged] = field(default_factory=list)
    faults: deque[Fault] = field(default_factory=deque)
    _last_poll: dict[tuple[str, str], float] = field(default_factory=dict)
    _recent: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.app = Starlette(
            routes=[
                Route("/sourcing", self._start_sourcing, methods=["POST"]),
                Route("/sourcing/enrich", self._start_enrichment, methods=["POST"]),
                Route("/sourcing/enrich/{id}/results", self._results, methods=["GET"]),
                Route("/sourcing/{id}/results", self._results, methods=["GET"]),
                Route("/sourcing/{id}", self._patch, methods=["PATCH"]),
            ]
        )

    def add_key(self, key: str, company: str = "acme", **options: Any) -> str:
        """Accept ``key`` for ``company`` (all scopes unless ``scopes=`` says otherwise)."""
        if "scopes" in options:
            options["scopes"] = frozenset(options["scopes"])
        self.keys[key] = Key(company, **options)
        return key

    def add_run(
        self,
        final: dict[str, Any],
        *,
        request_id: str | None = None,
        company: str = "acme",
        processing_polls: int = 0,
        session: str | None = None,
    ) -> Run:
        """A run answering ``final`` (its ``requestId`` set to the run's) after some polls."""
        request_id = request_id or final.get("requestId") or f"req_{uuid.uuid4()}"
        final = {**final, "requestId": request_id}
        run = Run(request_id, company, final, processing_polls, session or request_id)
        self.runs[request_id] = run
        return run

    def fail_next(self, status: int, times: int = 1, **options: Any) -> None:
        """Answer the next ``times`` requests with ``status`` instead.

        ``options``: ``retry_after`` (header value), ``delay`` (seconds before answering),
        ``code`` and ``message`` (the error body's; a 429 defaults to ``RATE_LIMIT_EXCEEDED``).
        """
        if status == 429:
            options.setdefault("code", "RATE_LIMIT_EXCEEDED")
        self.faults.append(Fault(status, times, **options))

    def requests_for(self, run_id: str) -> list[Logged]:
        """The logged requests about one run, in arrival order."""
        return [entry for entry in self.log if entry.run_id == run_id]

    async def _results(self, request: Request) -> Response:
        run_id = request.path_params["id"]
        scope = (
            "enrich:write"
            if request.url.path.startswith("/sourcing/enrich/")
            else ("sourcing:read")
        )
        key, refused = await self._admit(request, scope, run_id)
        if refused is not None:
            return refused
        run = self.runs.get(run_id)
        kind = "enrichment" if scope == "enrich:write" else "sourcing"
        if run is None or run.company != key.company or run.kind != kind:
            return self._error(request, 404, "REQUEST_NOT_FOUND", "Request not found.", run_id)
        with self._lock:
            last = self._last_poll.get((key.company, run_id))
            now = time.monotonic()
            if last is not None and now - last < self.min_poll_interval:
                wait = math.ceil(self.min_poll_interval - (now - last))
                return self._error(
                    request,
                    429,
                    "RATE_LIMIT_EXCEEDED",
                    "Poll at most once every 5 seconds.",
                    run_id,
                    retry_after=str(wait),
                )
            self._last_poll[(key.company, run_id)] = now
            processing = run.processing
            run.polls += 1
        if processing:
            body = {
                "success": True,
                "requestId": run_id,
                "status": "processing",
                "message": "The sourcing agent is actively analyzing candidates. "
                "Please poll again in 5 seconds.",
                "createdAt": run.created_at,
            }
            if kind == "sourcing":
                body["candidatesSourcedCount"] = 4 * run.polls
            return self._answer(request, 202, body, run_id)
        return self._answer(request, 200, run.final, run_id)

    async def _start_sourcing(self, request: Request) -> Response:
        key, refused = await self._admit(request, "sourcing:write")
        if refused is not None:
            return refused
        body = await _json(request)
        limit = body.get("limit", 20) if isinstance(body, dict) else None
        if not isinstance(limit, int) or not 1 <= limit <= 100:
            return self._error(request, 400, "INVALID_SOURCING_PAYLOAD", "limit: 1 to 100.")
        if key.credits is not None and key.credits < limit:
            return self._error(
                request,
                402,
                "INSUFFICIENT_CREDITS",
                f"Insufficient credits: {key.credits} available, {limit} required.",
            )
        run = self._spawn("req_", key.company, {"candidates": []})
        return self._accepted(request, run, "Sourcing run accepted and queued for processing.")

    async def _patch(self, request: Request) -> Response:
        run_id = request.path_params["id"]
        key, refused = await self._admit(request, "sourcing:write", run_id)
        if refused is not None:
            return refused
        run = self.runs.get(run_id)
        if run is None or run.company != key.company or run.kind != "sourcing":
            return self._error(request, 404, "REQUEST_NOT_FOUND", "Request not found.", run_id)
        if any(other.processing for other in self.runs.values() if other.session == run.session):
            return self._error(
                request,
                409,
                "RUN_IN_PROGRESS",
                f"Sourcing agent run '{run_id}' is currently in progress. You can only patch "
                "the run context after the current execution finishes.",
                run_id,
            )
        body = await _json(request)
        if not isinstance(body, dict) or not ({"query", "limit"} & body.keys()):
            return self._error(
                request,
                400,
                "INVALID_PATCH_PAYLOAD",
                "Validation failed: You must provide at least one of 'query' or 'limit'.",
                run_id,
            )
        rerun = self._spawn("req_", key.company, {"candidates": []}, session=run.session)
        return self._accepted(request, rerun, "Sourcing re-run accepted and queued for processing.")

    async def _start_enrichment(self, request: Request) -> Response:
        key, refused = await self._admit(request, "enrich:write")
        if refused is not None:
            return refused
        body = await _json(request)
        ids = body.get("profileIds") if isinstance(body, dict) else None
        if not isinstance(ids, list) or not 1 <= len(ids) <= 10:
            return self._error(
                request, 400, "INVALID_ENRICH_PAYLOAD", "profileIds: 1 to 10 profile ids."
            )
        final = {"enrichedCount": 0, "failureCount": 0, "creditsConsumed": 0, "data": []}
        run = self._spawn("enr_", key.company, final)
        return self._accepted(request, run, "Enrichment accepted and queued for processing.")

    def _spawn(self, prefix: str, company: str, final: dict[str, Any], session: str = "") -> Run:
        request_id = f"{prefix}{uuid.uuid4()}"
        final = {
            "success": True,
            "status": "completed",
            "createdAt": "2026-05-20T13:20:45.000Z",
            **final,
        }
        return self.add_run(
            final,
            request_id=request_id,
            company=company,
            processing_polls=self.processing_polls,
            session=session or None,
        )

    def _accepted(self, request: Request, run: Run, message: str) -> Response:
        body = {
            "success": True,
            "requestId": run.request_id,
            "status": "processing",
            "message": message,
            "createdAt": run.created_at,
        }
        return self._answer(request, 202, body, run.request_id)

    async def _admit(
        self, request: Request, scope: str, run_id: str | None = None
    ) -> tuple[Key, Response | None]:
        """The caller's key, or the refusal to send: fault, 401, 403 or 429."""
        nobody = Key("")
        if self.faults:
            fault = self.faults[0]
            fault.times -= 1
            if fault.times <= 0:
                self.faults.popleft()
            if fault.delay:
                await asyncio.sleep(fault.delay)
            return nobody, self._error(
                request,
                fault.status,
                fault.code,
                fault.message,
                run_id,
                retry_after=fault.retry_after,
            )
        header = request.headers.get("authorization", "")
        key = (
            self.keys.get(header.removeprefix("Bearer ")) if header.startswith("Bearer ") else None
        )
        if key is None:
            return nobody, self._error(
                request, 401, "UNAUTHORIZED", "Missing or invalid API key.", run_id
            )
        with self._lock:
            recent = self._recent.setdefault(key.company, deque())
            now = time.monotonic()
            while recent and recent[0] <= now - self.rate_period:
                recent.popleft()
            recent.append(now)
            too_many = len(recent) > self.rate_limit
        if too_many:
            wait = math.ceil(recent[0] + self.rate_period - now)
            return key, self._error(
                request,
                429,
                "RATE_LIMIT_EXCEEDED",
                f"More than {self.rate_limit} requests per minute.",
                run_id,
                retry_after=str(wait),
                company=key.company,
            )
        if scope not in key.scopes:
            return key, self._error(
                request,
                403,
                "INSUFFICIENT_SCOPE",
                f"This API key lacks the '{scope}' scope.",
                run_id,
                company=key.company,
            )
        return key, None

    def _error(
        self,
        request: Request,
        status: int,
        code: str,
        message: str,
        run_id: str | None = None,
        *,
        retry_after: str | None = None,
        company: str | None = None,
    ) -> Response:
        body = {"statusCode": status, "error": code, "message": message}
        headers = {"Retry-After": retry_after} if retry_after else None
        return self._answer(request, status, body, run_id, headers=headers, company=company)

    def _answer(
        self,
        request: Request,
        status: int,
        body: dict[str, Any],
        run_id: str | None,
        *,
        headers: dict[str, str] | None = None,
        company: str | None = None,
    ) -> Response:
        key = self.keys.get(request.headers.get("authorization", "").removeprefix("Bearer "))
        self.log.append(
            Logged(
                request.method,
                request.url.path,
                status,
                time.monotonic(),
                company or (key.company if key else None),
                run_id=run_id,
            )
        )
        return JSONResponse(body, status_code=status, headers=headers)


async def _json(request: Request) -> Any:
    try:
        return json.loads(await request.body())
    except ValueError:
        return None


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a thread on a free loopback port; yield its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the stand-in API did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def demo_api() -> StandinAPI:
    """A stand-in holding the bundled fixtures' runs, for ``python -m tests.standin_api``."""
    api = StandinAPI()
    api.add_key("demo-key", "acme")
    api.add_key("read-only-key", "acme", scopes={"sourcing:read"})
    api.add_key("other-company-key", "globex")
    for name, run_id, polls in (
        ("sourcing-completed.json", "req_demo-completed", 2),
        ("sourcing-failed.json", "req_demo-failed", 0),
        ("enrich-partial.json", "enr_demo-partial", 1),
    ):
        final = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
        api.add_run(final, request_id=run_id, processing_polls=polls)
    return api


def main() -> None:
    """Serve the demo stand-in until Ctrl-C."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    port = parser.parse_args().port
    api = demo_api()
    print(f"Stand-in sourcing API on http://127.0.0.1:{port}")
    print("keys: demo-key (all scopes), read-only-key (sourcing:read), other-company-key")
    print("runs:", ", ".join(api.runs))
    uvicorn.run(api.app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
