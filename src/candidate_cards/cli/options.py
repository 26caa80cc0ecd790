"""The arguments and options several commands take, with their help."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..i18n import LOCALES

# Arguments are described in each command's docstring: typer would tag them "<list[str]>".
InputArg = Annotated[str, typer.Argument(metavar="INPUT", hidden=True)]
InputsArg = Annotated[list[str], typer.Argument(metavar="INPUT", hidden=True)]
ThemeOpt = Annotated[
    str | None,
    typer.Option(
        "--theme",
        "-t",
        metavar="THEME",
        help="dark, light or a theme file (.toml). Default: the payload's theme, else dark.",
    ),
]
ReportThemeOpt = Annotated[
    str | None,
    typer.Option(
        "--theme", "-t", metavar="THEME", help="dark, light or a theme file (.toml). Default: dark."
    ),
]
LocaleOpt = Annotated[
    str,
    typer.Option(
        "--locale",
        "-l",
        metavar="LANG",
        show_default=False,
        help="The language of the project's own words, numbers and dates: "
        f"{', '.join(LOCALES)}. Candidate text is never translated. Default: en.",
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write here instead of stdout."),
]
OptionalInputsArg = Annotated[list[str] | None, typer.Argument(metavar="INPUT", hidden=True)]
RunsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--run",
        metavar="ID",
        help="A run id to fetch from the sourcing API (req_… sourcing, enr_… enrichment); "
        "repeat for several, merged in order.",
    ),
]
WaitOpt = Annotated[
    bool,
    typer.Option("--wait", help="Wait until each run has completed or failed (polls every 5 s)."),
]
TimeoutOpt = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        min=0.001,
        metavar="SECONDS",
        help="Give up after this many seconds (default: never).",
    ),
]
ApiKeyFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--api-key-file",
        metavar="FILE",
        help="Read the API key from this file (default: $INSTAVIEW_API_KEY).",
    ),
]
ApiUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--api-url",
        metavar="URL",
        help="The sourcing API (default: $INSTAVIEW_API_URL, else https://api.instaview.sk).",
    ),
]

AllowCssOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--allow-css", metavar="FEATURE", help="Accept a caniemail CSS feature, e.g. css-position."
    ),
]
