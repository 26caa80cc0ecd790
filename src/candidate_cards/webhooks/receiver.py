"""``POST /webhooks/instaview``: check the signature, queue the run's job, answer 202 at once.

The route does no work beyond reading the body and a file-system check: jobs run on worker
threads fed by a bounded queue, so a flood of events costs at most ``queue_size`` waiting
events of memory (429 beyond that) and the sender gets its answer in milliseconds.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..apiconfig import ApiConfig
from ..errors import (
    CandidateCardsError,
    InvalidWebhookSignature,
    PayloadTooLarge,
    WebhookQueueFull,
    requires_extra,
)
from .delivery import SmtpConfig
from .events import Event, parse_event
from .jobs import Abandoned, Backoff, Jobs
from .outputs import Mailing
from .signature import SIGNATURE_HEADER, verify_signature

if TYPE_CHECKING:
    from ..usertemplates import TemplateDir

with requires_extra("serve"):
    import anyio.to_thread
    import orjson
    from starlette.requests import Request
    from starlette.responses import Response

WEBHOOK_PATH = "/webhooks/instaview"
MAX_WEBHOOK_BYTES = 1024 * 1024
#: Seconds shutdown lets running jobs finish before it abandons their waits.
SHUTDOWN_GRACE_SECONDS = 10.0

logger = logging.getLogger("candidate_cards.webhooks")


@dataclass(frozen=True, slots=True)
class WebhookSettings:
    """What the receiver needs: the secret, where to write, the API, and optionally SMTP."""

    secret: bytes = field(repr=False)
    output_dir: Path
    api: ApiConfig
    mailing: Mailing | None = None
    smtp: SmtpConfig | None = None
    queue_size: int = 100
    workers: int = 2
    backoff: Backoff = field(default_factory=Backoff)
    api_backoff: tuple[float, float] = (1.0, 30.0)
    wait_timeout: float = 600.0
    #: A user's template directory for the report and the e-mail (``serve --templates``).
    templates: TemplateDir | None = None


class WebhookReceiver:
    """The route's endpoint (:meth:`handle`) and the worker threads behind it."""

    def __init__(self, settings: WebhookSettings) -> None:
        self.settings = settings
        self.jobs = Jobs(
            settings.output_dir,
            settings.api,
            mailing=settings.mailing,
            smtp=settings.smtp,
            backoff=settings.backoff,
            api_backoff=settings.api_backoff,
            wait_timeout=settings.wait_timeout,
            templates=settings.templates,
        )
        self._queue: queue.Queue[Event] = queue.Queue(maxsize=settings.queue_size)
        self._pending: set[str] = set()
        self._lock = threading.Lock()
        self._draining = threading.Event()
        self._workers: list[threading.Thread] = []

    async def handle(self, request: Request) -> Response:
        """Answer one delivery: 401 unsigned, 400 malformed, 429 queue full, else 202."""
        try:
            body = await _read_body(request)
            if not verify_signature(
                self.settings.secret, body, request.headers.get(SIGNATURE_HEADER)
            ):
                raise InvalidWebhookSignature(
                    f"Missing or wrong {SIGNATURE_HEADER}: the body was not processed."
                )
            event = parse_event(body)
            if event.known is None:
                logger.info("Ignored webhook event %r (requestId %r)", event.name, event.request_id)
                return _json(202, {"success": True, "status": "ignored", "event": event.name})
            status = self.submit(event)
        except CandidateCardsError as exc:
            headers = {"Retry-After": "5"} if isinstance(exc, WebhookQueueFull) else None
            return _json(exc.status_code, exc.to_dict(), headers)
        return _json(202, {"success": True, "status": status, "requestId": event.request_id})

    @property
    def pending(self) -> frozenset[str]:
        """The runs whose jobs are queued or running now."""
        with self._lock:
            return frozenset(self._pending)

    @property
    def waiting(self) -> int:
        """How many queued events no worker has taken yet."""
        return self._queue.qsize()

    def submit(self, event: Event) -> str:
        """Queue ``event``'s job unless it is queued, running or done; say which."""
        request_id = event.request_id or ""
        with self._lock:
            if request_id in self._pending:
                return "queued"
            if self.jobs.is_done(request_id):
                return "done"
            if self._draining.is_set():
                raise WebhookQueueFull("The receiver is shutting down; deliver again later.")
            try:
                self._queue.put_nowait(event)
            except queue.Full:
                raise WebhookQueueFull(
                    f"{self.settings.queue_size} events are waiting; deliver again later."
                ) from None
            self._pending.add(request_id)
            self._start()
        return "queued"

    def _start(self) -> None:
        """Start the worker threads on the first event."""
        if self._workers:
            return
        for number in range(self.settings.workers):
            worker = threading.Thread(target=self._work, name=f"webhook-{number}", daemon=True)
            worker.start()
            self._workers.append(worker)

    def _work(self) -> None:
        while not self._draining.is_set():
            try:
                event = self._queue.get(timeout=0.1)
            except queue.Empty:
                continue
            try:
                self.jobs.run(event)
            except Abandoned:
                logger.warning("%s: abandoned at shutdown; redelivery retries it", event.request_id)
            except Exception:
                logger.exception("%s: unexpected fault in the job", event.request_id)
            finally:
                with self._lock:
                    self._pending.discard(event.request_id or "")

    def close(self, grace: float = SHUTDOWN_GRACE_SECONDS) -> None:
        """Take no new jobs, let running ones finish for ``grace`` s, then abandon them."""
        self._draining.set()
        deadline = time.monotonic() + grace
        for worker in self._workers:
            worker.join(max(0.0, deadline - time.monotonic()))
        self.jobs.abandon.set()
        for worker in self._workers:
            worker.join(1.0)
        dropped = self._queue.qsize()
        if dropped:
            logger.warning("%d queued webhook job(s) not started; redelivery retries them", dropped)
        self.jobs.close()

    async def aclose(self, grace: float = SHUTDOWN_GRACE_SECONDS) -> None:
        """:meth:`close` off the event loop, for an ASGI lifespan's shutdown."""
        await anyio.to_thread.run_sync(self.close, grace)


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_WEBHOOK_BYTES:
        raise _too_large()
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_WEBHOOK_BYTES:
            raise _too_large()
    return bytes(body)


def _too_large() -> PayloadTooLarge:
    return PayloadTooLarge(
        f"Payload too large: a webhook body is at most {MAX_WEBHOOK_BYTES} bytes."
    )


def _json(status: int, payload: object, headers: dict[str, str] | None = None) -> Response:
    return Response(
        orjson.dumps(payload), status_code=status, media_type="application/json", headers=headers
    )
