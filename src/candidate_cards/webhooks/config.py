"""The receiver's settings from ``serve``'s options, checked before anything starts."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..apiconfig import api_config
from ..email import EmailDocument
from ..errors import InvalidEmailHeader, InvalidServiceConfig
from .delivery import SmtpConfig
from .outputs import Mailing
from .receiver import WebhookSettings
from .signature import read_secret


def webhook_options(
    *,
    secret_file: Path | None,
    output_dir: Path | None,
    smtp_url: str | None = None,
    mail_from: str | None = None,
    mail_to: Sequence[str] = (),
) -> dict[str, Any] | None:
    """``serve``'s webhook options as :func:`webhook_settings` takes them, JSON-ready.

    ``None`` when none is given (no receiver); a half-given set is refused.
    """
    others = {"--smtp-url": smtp_url, "--mail-from": mail_from, "--mail-to": mail_to}
    if secret_file is None and output_dir is None:
        given = [name for name, value in others.items() if value]
        if given:
            raise InvalidServiceConfig(
                f"{given[0]} needs --webhook-secret-file and --output-dir (the webhook receiver)"
            )
        return None
    if secret_file is None or output_dir is None:
        raise InvalidServiceConfig("--webhook-secret-file and --output-dir go together")
    return {
        "secret_file": str(secret_file),
        "output_dir": str(output_dir.resolve()),
        "smtp_url": smtp_url,
        "mail_from": mail_from,
        "mail_to": list(mail_to),
    }


def webhook_settings(
    *,
    secret_file: str | os.PathLike[str],
    output_dir: str | os.PathLike[str],
    smtp_url: str | None = None,
    mail_from: str | None = None,
    mail_to: Sequence[str] = (),
    environ: Mapping[str, str] = os.environ,
) -> WebhookSettings:
    """Settings for ``--webhook-secret-file`` and friends, or :class:`InvalidServiceConfig`.

    The API's URL and key come from ``INSTAVIEW_API_URL`` / ``INSTAVIEW_API_KEY``. The
    e-mail is written as ``message.eml`` when ``mail_from`` and ``mail_to`` are given, and
    sent when ``smtp_url`` is too.
    """
    secret = read_secret(Path(secret_file))
    output_dir = Path(output_dir)
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidServiceConfig(f"--output-dir {output_dir}: {exc.strerror}") from None
    if bool(mail_from) != bool(mail_to):
        raise InvalidServiceConfig("--mail-from and --mail-to go together: give both or neither")
    if smtp_url and not mail_from:
        raise InvalidServiceConfig("--smtp-url needs --mail-from and --mail-to")
    mailing = Mailing(mail_from, tuple(mail_to)) if mail_from else None
    if mailing is not None:
        _check_addresses(mailing)
    return WebhookSettings(
        secret=secret,
        output_dir=output_dir,
        api=api_config(environ=environ),
        mailing=mailing,
        smtp=SmtpConfig.from_url(smtp_url) if smtp_url else None,
    )


def _check_addresses(mailing: Mailing) -> None:
    """Refuse now addresses that ``as_message`` would refuse at the first event."""
    probe = EmailDocument(html="", text="", subject="check", theme="", count=0)
    try:
        probe.as_message(sender=mailing.sender, to=list(mailing.to))
    except InvalidEmailHeader as exc:
        option = {"sender": "--mail-from", "to": "--mail-to"}.get(exc.details[0].field, "")
        raise InvalidServiceConfig(f"{option}: {exc.details[0].message}") from None
