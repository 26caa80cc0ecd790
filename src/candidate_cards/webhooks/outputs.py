"""The files one run gives: its report, and for a completed sourcing run the shortlist e-mail."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from typing import TYPE_CHECKING

from ..atomic import atomic_text, write_bytes
from ..client import RunResult
from ..email import render_email
from ..inputs import FetchedInput
from ..models import Candidate
from ..report import write_report
from ..themes import DEFAULT_THEME

if TYPE_CHECKING:
    from ..usertemplates import TemplateDir

REPORT = "report.html"
EMAIL_HTML = "email.html"
EMAIL_TEXT = "email.txt"
MESSAGE = "message.eml"
#: How many of a run's best candidates the e-mail shows as cards.
SHORTLIST_SIZE = 10


@dataclass(frozen=True, slots=True)
class Mailing:
    """Who the shortlist is from and to; the message is written (and sent) only with both."""

    sender: str
    to: tuple[str, ...]


def write_outputs(
    result: RunResult,
    directory: Path,
    mailing: Mailing | None,
    templates: TemplateDir | None = None,
) -> EmailMessage | None:
    """Write ``report.html`` and, for a completed sourcing run, the e-mail; return the message.

    Each file is replaced atomically, so a crash leaves the old file or the new one.
    ``templates``: the user's template directory ``serve`` checked, for both.
    """
    directory.mkdir(parents=True, exist_ok=True)
    request_id = result.request_id
    with atomic_text(directory / REPORT) as handle:
        write_report(
            [FetchedInput(request_id, result.raw)],
            handle,
            theme=DEFAULT_THEME,
            title=f"Run {request_id}",
            templates=templates,
        )
    if result.info.kind != "sourcing" or result.info.status != "completed":
        return None
    candidates = result.load().candidates
    if not candidates:
        return None
    best = shortlist(candidates)
    document = render_email(
        best,
        DEFAULT_THEME,
        subject=f"Shortlist: top {len(best)} of {len(candidates)} candidates",
        intro=f"The best {len(best)} candidates of sourcing run {request_id}.",
        templates=templates,
    )
    write_bytes(directory / EMAIL_HTML, document.html.encode("utf-8"))
    write_bytes(directory / EMAIL_TEXT, document.text.encode("utf-8"))
    if mailing is None:
        return None
    domain = parseaddr(mailing.sender)[1].rpartition("@")[2] or "localhost"
    message = document.as_message(
        sender=mailing.sender,
        to=list(mailing.to),
        # One id per run: a copy sent again after a crash is recognisably the same message.
        message_id=f"<{request_id}.shortlist@{domain}>",
    )
    write_bytes(directory / MESSAGE, bytes(message))
    return message


def shortlist(candidates: tuple[Candidate, ...]) -> list[Candidate]:
    """The best :data:`SHORTLIST_SIZE` by match score, unscored last, ties in the API's order."""
    ranked = sorted(candidates, key=lambda c: (c.match_score is None, -(c.match_score or 0)))
    return ranked[:SHORTLIST_SIZE]
