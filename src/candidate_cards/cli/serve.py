"""``serve``: the HTTP service (and its webhook receiver) under uvicorn."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from ..errors import InvalidServiceConfig
from ..service.auth import API_KEYS_ENV
from .app import reports_errors
from .options import AllowCssOpt


@reports_errors
def serve(
    host: Annotated[
        str, typer.Option("--host", metavar="HOST", help="Interface to listen on.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", metavar="PORT", help="TCP port.")] = 8000,
    workers: Annotated[
        int, typer.Option("--workers", min=1, metavar="N", help="Worker processes, one per core.")
    ] = 1,
    api_keys: Annotated[
        Path | None,
        typer.Option(
            "--api-keys",
            metavar="FILE",
            help="JSON file of API keys and scopes (default: $CANDIDATE_CARDS_API_KEYS_FILE).",
        ),
    ] = None,
    no_auth: Annotated[
        bool, typer.Option("--no-auth", help="Run without keys: for local development only.")
    ] = False,
    access_log: Annotated[
        bool, typer.Option("--access-log/--no-access-log", help="One JSON line per request.")
    ] = True,
    body_timeout: Annotated[
        float,
        typer.Option(
            "--body-timeout",
            min=0.001,
            metavar="SECONDS",
            help="Seconds a request body may take to arrive in full before a 408.",
        ),
    ] = 30.0,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            metavar="DIR",
            help="Render with a directory of your own templates (the cards, and the webhook "
            "report and e-mail), checked at start-up.",
        ),
    ] = None,
    allow_css: AllowCssOpt = None,
    webhook_secret_file: Annotated[
        Path | None,
        typer.Option(
            "--webhook-secret-file",
            metavar="FILE",
            help="Shared secret of the sourcing API's webhooks: enables POST /webhooks/instaview.",
        ),
    ] = None,
    output_dir: Annotated[
        Path | None,
        typer.Option(
            "--output-dir", metavar="DIR", help="Where each run's report and e-mail go (webhooks)."
        ),
    ] = None,
    smtp_url: Annotated[
        str | None,
        typer.Option(
            "--smtp-url",
            metavar="URL",
            envvar="CANDIDATE_CARDS_SMTP_URL",
            show_envvar=False,
            help="Send the shortlist e-mail: smtp://, smtp+starttls:// or smtps://host[:port] "
            "(default: $CANDIDATE_CARDS_SMTP_URL).",
        ),
    ] = None,
    mail_from: Annotated[
        str | None,
        typer.Option("--mail-from", metavar="ADDRESS", help="The shortlist e-mail's sender."),
    ] = None,
    mail_to: Annotated[
        list[str] | None,
        typer.Option("--mail-to", metavar="ADDRESS", help="A recipient; repeat for more."),
    ] = None,
) -> None:
    """Serve POST /sourcing/render-html over HTTP (needs the serve extra).

    With --webhook-secret-file and --output-dir, also receive the sourcing API's webhooks:
    each finished run's report is written, and the shortlist e-mailed once.
    """
    from ..webhooks.config import webhook_options  # MissingExtra without the serve extra

    webhook = webhook_options(
        secret_file=webhook_secret_file,
        output_dir=output_dir,
        smtp_url=smtp_url,
        mail_from=mail_from,
        mail_to=mail_to or [],
    )
    if not (no_auth or api_keys or os.environ.get(API_KEYS_ENV)):
        raise InvalidServiceConfig(
            f"No API keys configured: pass --api-keys FILE or set {API_KEYS_ENV} to a JSON file "
            'like {"<key>": ["enrich:write"]}; --no-auth runs without keys, for local '
            "development only."
        )
    from ..service import serve as run_service  # MissingExtra without the serve extra

    run_service(
        host=host,
        port=port,
        workers=workers,
        api_keys_file=api_keys,
        no_auth=no_auth,
        body_timeout=body_timeout,
        access_log=access_log,
        templates=templates,
        allow_css=allow_css or (),
        webhook=webhook,
    )
