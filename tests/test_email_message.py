"""EmailDocument.as_message: a complete MIME message, read back by Python's e-mail parser and
received intact by a real SMTP server (aiosmtpd) on loopback."""

from __future__ import annotations

import email
import email.policy
import smtplib
from collections.abc import Iterator
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import parsedate_to_datetime

import pytest

from candidate_cards import load_candidates, render_email
from candidate_cards.email import EmailDocument
from candidate_cards.errors import InvalidEmailHeader
from tests.conftest import CARD_FIXTURES, load_fixture
from tests.smtp_inbox import Inbox, smtp_inbox

SENDER = "Sourcing <sourcing@cards.example>"


@pytest.fixture(scope="module")
def document() -> EmailDocument:
    """Three candidates with Arabic, Hebrew, CJK, Devanagari and emoji in their names."""
    candidates = load_candidates(load_fixture(CARD_FIXTURES["unicode"])).candidates[:3]
    return render_email(candidates, "light", subject="Shortlist — Zoë’s picks ✅")


def parse(data: bytes) -> EmailMessage:
    """A message as a mail client reads it."""
    return email.message_from_bytes(data, policy=email.policy.default)  # type: ignore[return-value]


def parts(message: EmailMessage) -> tuple[str, str]:
    """The text and HTML alternatives, with the wire's line ends undone."""
    text, html = (part.get_content().replace("\r\n", "\n") for part in message.iter_parts())
    return text, html


def test_the_message_is_multipart_alternative_text_then_html_in_utf8(document):
    message = parse(bytes(document.as_message(sender=SENDER, to="hiring@cards.example")))
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert {p.get_content_charset() for p in message.iter_parts()} == {"utf-8"}
    text, html = parts(message)
    assert text == document.text
    assert html.rstrip("\n") == document.html.rstrip("\n")
    assert message["Subject"] == "Shortlist — Zoë’s picks ✅"
    assert message["MIME-Version"] == "1.0"


def test_the_message_has_a_date_and_a_message_id_in_the_senders_domain(document):
    before = datetime.now(UTC).replace(microsecond=0)
    message = parse(bytes(document.as_message(sender=SENDER, to="hiring@cards.example")))
    assert before <= parsedate_to_datetime(message["Date"]) <= datetime.now(UTC)
    assert message["Message-ID"].startswith("<")
    assert message["Message-ID"].endswith("@cards.example>")
    again = parse(bytes(document.as_message(sender=SENDER, to="hiring@cards.example")))
    assert again["Message-ID"] != message["Message-ID"]


def test_date_message_id_cc_and_reply_to_can_be_given(document):
    sent = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    message = parse(
        bytes(
            document.as_message(
                sender=Address("Sourcing", "sourcing", "cards.example"),
                to=["a@cards.example", Address("Bo", "bo", "cards.example")],
                cc="lead@cards.example",
                reply_to="recruiting@cards.example",
                date=sent,
                message_id="<fixed@cards.example>",
            )
        )
    )
    assert parsedate_to_datetime(message["Date"]) == sent
    assert message["Message-ID"] == "<fixed@cards.example>"
    assert [a.addr_spec for a in message["To"].addresses] == ["a@cards.example", "bo@cards.example"]
    assert message["Cc"] == "lead@cards.example"
    assert message["Reply-To"] == "recruiting@cards.example"
    assert message["Subject"] == "Shortlist — Zoë’s picks ✅"  # the document's by default


def test_no_line_is_longer_than_smtp_allows(document):
    data = document.as_message(sender=SENDER, to="h@cards.example").as_bytes(
        policy=email.policy.SMTP
    )
    assert max(len(line) for line in data.split(b"\r\n")) <= 998


@pytest.mark.parametrize(
    "arguments, field",
    [
        ({"sender": "nobody"}, "sender"),
        ({"sender": ""}, "sender"),
        ({"to": []}, "to"),
        ({"to": "a@cards.example\r\nBcc: victim@elsewhere.example"}, "to"),
        ({"to": ["a@cards.example", 7]}, "to"),
        ({"subject": "Hello\nBcc: victim@elsewhere.example"}, "subject"),
        ({"cc": "not an address"}, "cc"),
        ({"message_id": "<a@b>\r\nX-Evil: 1"}, "message_id"),
    ],
)
def test_a_header_that_cannot_be_is_refused_naming_the_argument(document, arguments, field):
    given = {"sender": SENDER, "to": "hiring@cards.example", **arguments}
    with pytest.raises(InvalidEmailHeader) as refused:
        document.as_message(**given)
    assert refused.value.code == "INVALID_EMAIL_HEADER"
    assert [detail.field for detail in refused.value.details] == [field]


# -- a real SMTP server on loopback ---------------------------------------------------------


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    """An SMTP server on 127.0.0.1 and its port, stopped after the test."""
    with smtp_inbox() as server:
        yield server


def test_an_smtp_server_receives_the_message_intact(document, smtp_server):
    inbox, port = smtp_server
    message = document.as_message(
        sender=SENDER, to=["hiring@cards.example", "Bo <bo@cards.example>"], cc="c@cards.example"
    )
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        refused = client.send_message(message)
    assert refused == {}
    (envelope,) = inbox.envelopes
    assert envelope.mail_from == "sourcing@cards.example"
    assert sorted(envelope.rcpt_tos) == [
        "bo@cards.example",
        "c@cards.example",
        "hiring@cards.example",
    ]
    received = parse(envelope.original_content)
    for header in ("From", "To", "Cc", "Subject", "Date", "Message-ID"):
        assert received[header] == message[header], header
    text, html = parts(received)
    assert text == document.text
    assert html.rstrip("\n") == document.html.rstrip("\n")
