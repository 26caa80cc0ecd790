"""The SMTP URL's security is what goes over the wire: STARTTLS and TLS against a real aiosmtpd
server with a certificate made for the test, trusted through ``SSL_CERT_FILE``."""

from __future__ import annotations

import datetime
import ipaddress
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from candidate_cards.webhooks import SmtpConfig
from candidate_cards.webhooks.delivery import send
from tests.smtp_inbox import Inbox
from tests.standin_api import free_port


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    directory = tmp_path_factory.mktemp("tls")
    (directory / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return directory / "cert.pem", directory / "key.pem"


@pytest.fixture
def trusted(certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> ssl.SSLContext:
    """The server's TLS context; the client trusts its certificate for this test only."""
    cert, key = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


@contextmanager
def tls_server(**options: object) -> Iterator[tuple[Inbox, int]]:
    port = free_port()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)  # type: ignore[arg-type]
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def message() -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "a@cards.example", "b@cards.example", "Shortlist"
    mail.set_content("Ten candidates.")
    return mail


def test_smtp_starttls_upgrades_before_sending(trusted: ssl.SSLContext):
    with tls_server(tls_context=trusted, require_starttls=True) as (inbox, port):
        send(message(), SmtpConfig.from_url(f"smtp+starttls://127.0.0.1:{port}"))
    assert len(inbox.envelopes) == 1


def test_plain_smtp_never_upgrades_so_a_server_requiring_tls_refuses_it(
    trusted: ssl.SSLContext,
):
    with (
        tls_server(tls_context=trusted, require_starttls=True) as (inbox, port),
        pytest.raises(smtplib.SMTPException, match="STARTTLS"),
    ):
        send(message(), SmtpConfig.from_url(f"smtp://127.0.0.1:{port}"))
    assert inbox.envelopes == []


def test_smtps_speaks_tls_from_the_first_byte(trusted: ssl.SSLContext):
    with tls_server(ssl_context=trusted) as (inbox, port):
        send(message(), SmtpConfig.from_url(f"smtps://127.0.0.1:{port}"))
    assert len(inbox.envelopes) == 1


def test_an_untrusted_certificate_is_refused(
    certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
):
    cert, key = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert.parent / "absent.pem"))
    monkeypatch.setenv("SSL_CERT_DIR", str(cert.parent))
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    with (
        tls_server(tls_context=server, require_starttls=True) as (inbox, port),
        pytest.raises(ssl.SSLCertVerificationError),
    ):
        send(message(), SmtpConfig.from_url(f"smtp+starttls://127.0.0.1:{port}"))
    assert inbox.envelopes == []
