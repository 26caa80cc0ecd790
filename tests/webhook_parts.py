"""Real parts for the webhook tests: signed deliveries over HTTP, and waiting for the job."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import httpx

from candidate_cards.webhooks import SIGNATURE_HEADER, WEBHOOK_PATH, sign

SECRET = b"whsec_test_4f1c9a"
SENDER = "Sourcing <sourcing@cards.example>"
RECIPIENT = "hiring@cards.example"


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
