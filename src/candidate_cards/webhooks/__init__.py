"""The webhook receiver: run-finished events in, reports and the shortlist e-mail out.

:class:`WebhookReceiver` is the ``POST /webhooks/instaview`` endpoint; the service mounts
it when ``serve`` is given ``--webhook-secret-file`` and ``--output-dir``.
"""

from __future__ import annotations

from .delivery import SmtpConfig
from .events import Event, parse_event
from .jobs import Backoff, Jobs
from .outputs import Mailing
from .receiver import WEBHOOK_PATH, WebhookReceiver, WebhookSettings
from .signature import SIGNATURE_HEADER, read_secret, sign, verify_signature

__all__ = [
    "SIGNATURE_HEADER",
    "WEBHOOK_PATH",
    "Backoff",
    "Event",
    "Jobs",
    "Mailing",
    "SmtpConfig",
    "WebhookReceiver",
    "WebhookSettings",
    "parse_event",
    "read_secret",
    "sign",
    "verify_signature",
]
