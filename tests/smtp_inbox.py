"""A real SMTP server (aiosmtpd) on loopback that keeps every message it accepts."""

from __future__ import annotations

import asyncio
import email
import email.policy
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.standin_api import free_port


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []
        self.delay = 0.0  # seconds before accepting: a slow server

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(self.delay)
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
