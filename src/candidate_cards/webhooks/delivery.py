"""Send the shortlist over SMTP (stdlib ``smtplib``), as the ``--smtp-url`` says.

URL forms (user and password optional, percent-encoded):

* ``smtp://host[:port]``: plain SMTP, port 25; refused with a password unless the host is
  loopback, so credentials never cross a network in the clear;
* ``smtp+starttls://[user:password@]host[:port]``: STARTTLS required, port 587;
* ``smtps://[user:password@]host[:port]``: TLS from the first byte, port 465.
"""

from __future__ import annotations

import ipaddress
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from ..errors import InvalidServiceConfig

#: Each URL scheme's security and default port.
SCHEMES = {"smtp": ("plain", 25), "smtp+starttls": ("starttls", 587), "smtps": ("tls", 465)}
SMTP_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    """Where to send, how securely, and as whom (the password never shown by ``repr``)."""

    host: str
    port: int
    security: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    @classmethod
    def from_url(cls, url: str) -> SmtpConfig:
        """Read ``smtp://``, ``smtp+starttls://`` or ``smtps://`` URLs; refuse anything else."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in SCHEMES or not parts.hostname:
            forms = ", ".join(f"{name}://host[:port]" for name in SCHEMES)
            raise InvalidServiceConfig(f"--smtp-url: expected one of {forms}")
        security, default_port = SCHEMES[scheme]
        try:
            port = parts.port or default_port
        except ValueError:
            raise InvalidServiceConfig(
                "--smtp-url: the port is not a number from 1 to 65535"
            ) from None
        username = unquote(parts.username) if parts.username else None
        password = unquote(parts.password) if parts.password is not None else None
        if password is not None and security == "plain" and not _loopback(parts.hostname):
            raise InvalidServiceConfig(
                "--smtp-url: a password over plain smtp:// would cross the network in the "
                "clear; use smtp+starttls:// or smtps://"
            )
        return cls(parts.hostname, port, security, username, password)


def send(
    message: EmailMessage, config: SmtpConfig, *, timeout: float = SMTP_TIMEOUT_SECONDS
) -> None:
    """Hand ``message`` to the server; any refusal or network error raises (``smtplib`` or OS)."""
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if config.security == "tls":
        client = smtplib.SMTP_SSL(config.host, config.port, timeout=timeout, context=context)
    else:
        client = smtplib.SMTP(config.host, config.port, timeout=timeout)
    with client:
        if config.security == "starttls":
            client.starttls(context=context)
        if config.username is not None:
            client.login(config.username, config.password or "")
        refused = client.send_message(message)
    if refused:
        raise smtplib.SMTPRecipientsRefused(refused)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
