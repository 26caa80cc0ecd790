"""One job per run: fetch it, write its files, send its e-mail once; all state lives in DIR.

``DIR/<requestId>/`` holds, besides the outputs:

* ``.lock``: a POSIX lock (``fcntl.lockf``) held while a job runs, so two processes sharing
  ``DIR`` never work on one run at once;
* ``.sent``: written the moment the SMTP server accepts the e-mail, so a job retried after
  a crash does not send it again;
* ``.done``: written last; a run with it is never worked on again (redelivery is a no-op);
* ``error.json``: why the last attempt gave up; removed when a later delivery succeeds.

Every file is written atomically, so a crash at any point leaves whole files and no
``.done``: the next delivery of the event does the job again.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import smtplib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from ..apiconfig import ApiConfig
from ..atomic import write_bytes
from ..client import RunResult, SourcingClient
from ..errors import CandidateCardsError, SmtpDeliveryFailed
from ..ratelimit import RateLimiter
from .delivery import SmtpConfig, send
from .events import Event
from .outputs import Mailing, write_outputs

if TYPE_CHECKING:
    from ..usertemplates import TemplateDir

DONE = ".done"
SENT = ".sent"
LOCK = ".lock"
ERROR = "error.json"

logger = logging.getLogger("candidate_cards.webhooks")


class Abandoned(Exception):
    """Shutdown came while a job waited to retry: stop here, as if never started."""


@dataclass(frozen=True, slots=True)
class Backoff:
    """How often and how patiently a failing step is tried again."""

    attempts: int = 5
    first: float = 1.0
    longest: float = 60.0


class Jobs:
    """Runs jobs against ``output_dir``; thread-safe, one job per run at a time.

    API calls are retried by the client (429 after ``Retry-After``, 5xx and network errors
    with back-off); a run still processing is polled as the API asks until ``wait_timeout``;
    SMTP is retried here. Setting :attr:`abandon` cuts every wait short.
    """

    def __init__(
        self,
        output_dir: Path,
        api: ApiConfig,
        *,
        mailing: Mailing | None = None,
        smtp: SmtpConfig | None = None,
        backoff: Backoff = Backoff(),
        api_backoff: tuple[float, float] = (1.0, 30.0),
        wait_timeout: float = 600.0,
        templates: TemplateDir | None = None,
    ) -> None:
        self.output_dir = output_dir
        self.abandon = threading.Event()
        self.client = SourcingClient(
            api, backoff=api_backoff, sleep=self.sleep, rate_limiter=RateLimiter(sleep=self.sleep)
        )
        self.mailing = mailing
        self.smtp = smtp
        self.backoff = backoff
        self.wait_timeout = wait_timeout
        self.templates = templates

    def close(self) -> None:
        """Close the API client's connections."""
        self.client.close()

    def directory(self, request_id: str) -> Path:
        """Where one run's files go."""
        return self.output_dir / request_id

    def is_done(self, request_id: str) -> bool:
        """Whether the run's job has finished for good."""
        return (self.directory(request_id) / DONE).exists()

    def sleep(self, seconds: float) -> None:
        """Wait before a retry; raise :class:`Abandoned` at once when shutdown abandons jobs."""
        if self.abandon.wait(seconds):
            raise Abandoned

    def run(self, event: Event) -> None:
        """Do ``event``'s job unless it is done or another process holds it; log the result."""
        request_id = event.request_id or ""
        directory = self.directory(request_id)
        directory.mkdir(parents=True, exist_ok=True)
        with _locked(directory / LOCK) as held:
            if not held:
                logger.info("%s: another process is on this run; skipped", request_id)
                return
            if (directory / DONE).exists():
                return
            try:
                sent = self._work(event, directory)
            except (CandidateCardsError, OSError) as exc:
                self._record_failure(event, directory, exc)
                return
        logger.info("%s: %s handled%s", request_id, event.name, ", e-mail sent" if sent else "")

    def _work(self, event: Event, directory: Path) -> bool:
        request_id = event.request_id or ""
        [result] = self.client.wait_for_runs([request_id], timeout=self.wait_timeout)
        message = write_outputs(result, directory, self.mailing, self.templates)
        sent = False
        if message is not None and self.smtp is not None and not (directory / SENT).exists():
            self._send(message, self.smtp, request_id)
            _mark(directory / SENT, {"requestId": request_id, "messageId": message["Message-ID"]})
            sent = True
        (directory / ERROR).unlink(missing_ok=True)
        _mark(directory / DONE, _summary(event, result, directory))
        return sent

    def _send(self, message: EmailMessage, smtp: SmtpConfig, request_id: str) -> None:
        """Send, retrying what a later try may fix; :class:`SmtpDeliveryFailed` at the end."""
        retrying = Retrying(
            retry=retry_if_exception(_transient),
            stop=stop_after_attempt(self.backoff.attempts),
            wait=wait_exponential(multiplier=self.backoff.first, max=self.backoff.longest),
            sleep=self.sleep,
            before_sleep=lambda state: logger.warning(
                "%s: SMTP attempt %d failed (%s); retrying",
                request_id,
                state.attempt_number,
                _failure(state.outcome.exception() if state.outcome else None),
            ),
            reraise=True,
        )
        try:
            retrying(send, message, smtp)
        except (smtplib.SMTPException, OSError) as exc:
            attempts = retrying.statistics.get("attempt_number", 1)
            raise SmtpDeliveryFailed(
                f"{request_id}: the e-mail was not sent to {smtp.host}:{smtp.port} after "
                f"{attempts} attempt(s): {_failure(exc)}"
            ) from None

    def _record_failure(self, event: Event, directory: Path, exc: Exception) -> None:
        code = exc.code if isinstance(exc, CandidateCardsError) else "OUTPUT_ERROR"
        message = exc.message if isinstance(exc, CandidateCardsError) else _failure(exc)
        logger.error("%s: %s not handled: %s %s", event.request_id, event.name, code, message)
        record = {
            "requestId": event.request_id,
            "event": event.name,
            "error": code,
            "message": message,
            "at": _now(),
            "retry": "deliver the event again to retry the job",
        }
        try:
            _mark(directory / ERROR, record)
        except (CandidateCardsError, OSError):
            logger.exception("%s: error.json cannot be written", event.request_id)


@contextmanager
def _locked(path: Path) -> Iterator[bool]:
    """Hold an exclusive POSIX lock on ``path`` if no one else does; yield whether held."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.lockf(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        os.close(descriptor)  # closing releases the lock


def _transient(exc: BaseException) -> bool:
    """Whether an SMTP failure may pass: no connection, a dropped one, or a 4xx answer."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, smtplib.SMTPServerDisconnected | OSError)


def _summary(event: Event, result: RunResult, directory: Path) -> dict[str, Any]:
    files = sorted(path.name for path in directory.iterdir() if not path.name.startswith("."))
    return {
        "requestId": result.request_id,
        "event": event.name,
        "status": result.info.status,
        "files": files,
        "at": _now(),
    }


def _mark(path: Path, record: dict[str, Any]) -> None:
    write_bytes(path, json.dumps(record, indent=2).encode("utf-8") + b"\n")


def _failure(exc: BaseException | None) -> str:
    return f"{type(exc).__name__}: {exc}" if exc is not None else "unknown"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
