"""``preview``: a local page of the cards, e-mail and checks that reloads on every edit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..i18n import DEFAULT_LOCALE, check_locale
from .app import reports_errors, stdout
from .options import AllowCssOpt, LocaleOpt


@reports_errors
def preview(
    source: Annotated[Path | None, typer.Argument(metavar="INPUT", hidden=True)] = None,
    templates: Annotated[
        Path | None,
        typer.Option("--templates", metavar="DIR", help="A directory of your own templates."),
    ] = None,
    theme: Annotated[
        str | None,
        typer.Option(
            "--theme",
            "-t",
            metavar="THEME",
            help="dark, light or a theme file (.toml). Default: both built-in themes.",
        ),
    ] = None,
    allow_css: AllowCssOpt = None,
    locale: LocaleOpt = DEFAULT_LOCALE,
    port: Annotated[
        int,
        typer.Option(
            "--port",
            min=0,
            max=65535,
            metavar="PORT",
            show_default=False,
            help="TCP port (default: a free one).",
        ),
    ] = 0,
) -> None:
    """Serve a live preview on 127.0.0.1 (needs the serve extra): the cards at 320 and 600 px,
    the e-mail and its text part, contrast and the e-mail CSS check; it reloads on changes.

    INPUT is a JSON payload file (default: a built-in sample).
    """
    from ..preview import PreviewOptions
    from ..preview import serve as serve_preview

    locale = check_locale(locale, "--locale")
    options = PreviewOptions(source, templates, theme, tuple(allow_css or ()), locale)

    def ready(url: str) -> None:
        stdout.print(f"Preview at {url} (Ctrl+C to stop)")

    serve_preview(options, port, ready)
