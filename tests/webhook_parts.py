"""Real parts for the webhook tests: an SMTP inbox (aiosmtpd), signed deliveries, waiting."""

from __future__ import annotations

import email
import email.policy
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from typing import Any

import httpx
from aiosmtpd.controller import Controller

from candidate_cards.webhooks import SIGNATURE_HEADER, WEBHOOK_PATH, sign
from tests.standin_api import free_port

SECRET = b"whsec_test_4f1c9a"
SENDER = "Sourcing <sourcing@cards.example>"
RECIPIENT = "hiring@cards.example"


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted"

    def messages(self) -> list[EmailMessage]:
        """Every message received, parsed by Python's e-mail parser."""
        return [
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)  # type: ignore[misc]
            for envelope in self.envelopes
        ]


@contextmanager
def smtp_inbox(port: int | None = None) -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server on 127.0.0.1 (on ``port``, or a free one) until the block ends."""
    port = port or free_port()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def event_body(request_id: str, name: str = "SOURCING_COMPLETED", **shape: Any) -> bytes:
    """A webhook body: ``{"event": name, "requestId": id}`` unless ``shape`` says otherwise."""
    payload = shape or {"event": name, "requestId": request_id}
    return json.dumps(payload).encode("utf-8")


def deliver(
    base_url: str, body: bytes, *, secret: bytes | None = SECRET, signature: str | None = None
) -> httpx.Response:
    """POST ``body`` to the receiver over real HTTP, signed with ``secret`` unless told not to."""
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers[SIGNATURE_HEADER] = signature
    elif secret is not None:
        headers[SIGNATURE_HEADER] = sign(secret, body)
    return httpx.post(f"{base_url}{WEBHOOK_PATH}", content=body, headers=headers, timeout=10)


def wait_for(condition: Callable[[], object], timeout: float = 20.0, what: str = "") -> None:
    """Return once ``condition()`` is true; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        time.sleep(0.02)
