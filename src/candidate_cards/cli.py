"""The ``candidate-cards`` command line: render, report, validate, themes, fetch, serve
and preview.

Exit codes: 0 success, 1 bad input or a failed write (one line on stderr naming the file
and field), 2 usage error. Every output file is written atomically.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import io
import itertools
import os
import stat
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Annotated, Any, ParamSpec

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from typer.core import TyperGroup

from .atomic import atomic_text, write_bytes
from .cards import MAX_PROFILES, RenderResult, render_cards, validate_profiles
from .email import render_email
from .errors import (
    CandidateCardsError,
    InvalidServiceConfig,
    PayloadTooLarge,
    TooManyProfiles,
)
from .i18n import DEFAULT_LOCALE, LOCALES, check_locale
from .inputs import Input, PayloadReader, input_label, naming, open_input
from .models import Candidate
from .payloads import load_candidates, parse_json
from .progress import progress_bar
from .report import write_report
from .service.auth import API_KEYS_ENV
from .themes import DEFAULT_THEME, Theme, get_theme, load_theme, theme_names, theme_to_toml

MAX_INPUT_BYTES = 16 * 1024 * 1024
MAX_LISTED_PROBLEMS = 20
P = ParamSpec("P")

app = typer.Typer(
    name="candidate-cards",
    help="Render recruiting candidates as self-contained HTML cards and reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: option metavars, no "<bool>" type column
)
stdout = Console(highlight=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)

REPORT_HINT = "candidate-cards report takes any number of candidates"

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


@app.callback()
def _group() -> None:
    """Render recruiting candidates as self-contained HTML cards and reports."""


def reports_errors(command: Callable[P, None]) -> Callable[P, None]:
    """Turn a library or file error into one line on stderr and exit code 1."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                command(*args, **kwargs)
            for warning in caught:
                stderr.print(f"[yellow]warning:[/] {escape(one_line(str(warning.message)))}")
        except (CandidateCardsError, OSError) as exc:
            message = exc.message if isinstance(exc, CandidateCardsError) else str(exc)
            stderr.print(f"[bold red]error:[/] {escape(one_line(message))}")
            raise typer.Exit(1) from None

    return run


@app.command()
@reports_errors
def render(
    source: InputArg,
    theme: ThemeOpt = None,
    output: OutputOpt = None,
    locale: LocaleOpt = DEFAULT_LOCALE,
    png: Annotated[
        Path | None,
        typer.Option(
            "--png", metavar="DIR", help="Also write one PNG screenshot per card into this folder."
        ),
    ] = None,
    email: Annotated[
        bool, typer.Option("--email", help="Write a complete e-mail document around the cards.")
    ] = False,
    text: Annotated[
        bool, typer.Option("--text", help="Write the e-mail's plain-text alternative instead.")
    ] = False,
    subject: Annotated[
        str | None,
        typer.Option(
            "--subject", metavar="TEXT", help="The e-mail's subject (--email, --text, --eml)."
        ),
    ] = None,
    eml: Annotated[
        Path | None,
        typer.Option(
            "--eml",
            metavar="FILE",
            help="Also write a complete, sendable e-mail message (text and HTML, Date, "
            "Message-ID) to this .eml file; needs --from and --to.",
        ),
    ] = None,
    sender: Annotated[
        str | None,
        typer.Option("--from", metavar="ADDRESS", help="The --eml message's sender."),
    ] = None,
    to: Annotated[
        list[str] | None,
        typer.Option(
            "--to", metavar="ADDRESS", help="A recipient of the --eml message (repeat for more)."
        ),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            metavar="DIR",
            help="A directory of your own templates (card.html, card.css, email.html…).",
        ),
    ] = None,
    allow_css: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-css",
            metavar="FEATURE",
            help="Accept a caniemail CSS feature, e.g. css-position.",
        ),
    ] = None,
) -> None:
    """Render 1 to 10 candidates as HTML cards (with only --png or --eml, only those files).

    INPUT is a JSON payload file, or - for stdin.
    """
    if email and text:
        raise typer.BadParameter("choose one of --email and --text.", param_hint="--email")
    if eml is not None and not (sender and to):
        raise typer.BadParameter("--eml needs --from and --to.", param_hint="--eml")
    locale = check_locale(locale, "--locale")
    chosen = theme_option(theme)
    with naming(input_label(source)), pointing_to_report():
        loaded = load_candidates(read_input(source))
        resolved = chosen or resolve_theme(loaded.theme or DEFAULT_THEME)
        validate_profiles(loaded.candidates)
    writes = output is not None or not (png or eml)  # only what was asked for
    as_email = email or text
    if (writes and as_email) or eml is not None:
        document = render_email(
            loaded.candidates,
            resolved,
            subject=subject,
            locale=locale,
            templates=templates,
            allow_css=allow_css or (),
        )
    if png or (writes and not as_email):
        result = render_cards(
            loaded.candidates,
            resolved,
            templates=templates,
            allow_css=allow_css or (),
            locale=locale,
        )
    if eml is not None and sender and to:
        message = bytes(document.as_message(sender=sender, to=to))
    if writes:
        body = (document.text if text else document.html) if as_email else result.html + "\n"
        write_text(body, output)
    if output:
        kind = "an e-mail of" if email else "the text part of" if text else ""
        cards = f"{kind} {len(loaded.candidates)} card(s)".strip()
        stderr.print(f"Wrote {cards}, {resolved.name} theme, to {output}")
    if eml is not None:
        write_bytes(eml, message)
        stderr.print(f"Wrote an e-mail message of {document.count} card(s) to {eml}")
    if png:
        write_pngs(result, resolved, png)


@app.command()
@reports_errors
def report(
    sources: OptionalInputsArg = None,
    theme: ReportThemeOpt = None,
    output: OutputOpt = None,
    locale: LocaleOpt = DEFAULT_LOCALE,
    pdf: Annotated[
        Path | None,
        typer.Option("--pdf", metavar="FILE", help="Also print the report to this PDF file."),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", metavar="TEXT", help="The report's heading.")
    ] = None,
    top: Annotated[
        int | None,
        typer.Option("--top", min=1, metavar="N", help="Keep only the N best candidates."),
    ] = None,
    runs: RunsOpt = None,
    wait: WaitOpt = False,
    timeout: TimeoutOpt = None,
    api_key_file: ApiKeyFileOpt = None,
    api_url: ApiUrlOpt = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            metavar="DIR",
            help="A directory of your own templates (report.html, report.css, card.html…).",
        ),
    ] = None,
    allow_css: AllowCssOpt = None,
) -> None:
    """Write one self-contained HTML report (and optionally a PDF) of any number of candidates.

    Each INPUT is a JSON payload file, or - for stdin. Several inputs merge: candidates are
    deduplicated by profileId, later records complete earlier ones, and each is marked with
    the input it was first seen in. Runs given with --run are fetched from the sourcing API
    and come first, in order, then the files.
    """
    sources, runs = sources or [], runs or []
    if not sources and not runs:
        raise typer.BadParameter("give at least one INPUT or --run.", param_hint="INPUT")
    if sources.count("-") > 1:
        raise typer.BadParameter("stdin (-) can be read only once.", param_hint="INPUT")
    if runs:  # the API client (httpx) is imported only for them
        from .fetching import check_run_ids

        check_run_ids(runs, "--run")
    locale = check_locale(locale, "--locale")
    checked = None
    if templates is not None:  # refused before any run is fetched
        from .usertemplates import template_dir

        checked = template_dir(templates, allow_css or ())
    inputs: list[Input] = [*sources]
    if runs:
        from .fetching import fetch_runs, fetched_inputs

        fetched = fetch_runs(
            runs,
            wait=wait,
            timeout=timeout,
            key_file=api_key_file,
            api_url=api_url,
            console=stderr,
        )
        inputs = [*fetched_inputs(runs, fetched), *sources]
    resolved = theme_option(theme) or DEFAULT_THEME
    with contextlib.ExitStack() as cleanup:
        html = output
        if pdf is not None and html is None:  # the PDF is printed from a temporary page
            scratch = cleanup.enter_context(tempfile.TemporaryDirectory(prefix="candidate-cards-"))
            html = Path(scratch) / "report.html"
        with progress_bar(stderr) as progress, output_to(html) as handle:
            summary = write_report(
                inputs,
                handle,
                theme=resolved,
                progress=progress,
                title=title,
                top=top,
                locale=locale,
                templates=checked,
            )
        if pdf is not None and html is not None:  # html is set whenever pdf is
            from .browser.capture import write_pdf

            write_pdf(html, pdf)
    written = " and ".join(str(path) for path in (output, pdf) if path)
    if written:
        stderr.print(
            f"Wrote a report of {summary.shown} of {summary.candidates} candidate(s) to {written}"
        )


@app.command()
def validate(sources: InputsArg) -> None:
    """Check payloads as the command that takes them would, without rendering.

    A render request (profiles, theme) must pass every check of render: 1 to 10 profiles,
    unique profileIds, a known theme. Any other payload must suit report; the line says
    whether render takes it too. Exit 0 when every payload suits its command. Each INPUT
    is a JSON payload file, or - for stdin.
    """
    invalid = 0
    for source in sources:
        label = input_label(source)
        try:
            suits = check_payload(source)
        except CandidateCardsError as exc:
            invalid += 1
            details = exc.details if len(exc.details) > 1 else ()
            stdout.print(f"[red]invalid[/] {escape(one_line(exc.message))}")
            for detail in details[:MAX_LISTED_PROBLEMS]:
                stdout.print(f"  {escape(detail.field)}: {escape(detail.message)}")
            if len(exc.details) > MAX_LISTED_PROBLEMS:
                stdout.print(f"  … and {len(exc.details) - MAX_LISTED_PROBLEMS} more")
            continue
        stdout.print(f"[green]valid[/]   {escape(label)}: {escape(suits)}")
    if invalid:
        raise typer.Exit(1)


class _ThemesGroup(TyperGroup):
    """``themes FILE`` checks a file: a first argument that names no subcommand is a path."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:  # typer may vendor click
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "check", self.commands["check"], args
        return super().resolve_command(ctx, args)


class BaseChoice(enum.StrEnum):
    """The two bases a brand theme can be built on."""

    dark = "dark"
    light = "light"


themes_app = typer.Typer(cls=_ThemesGroup, invoke_without_command=True)
app.add_typer(themes_app, name="themes")


ThemesTemplatesOpt = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        metavar="DIR",
        help="Also check a directory of your own templates in the theme(s).",
    ),
]


@themes_app.callback()
def themes(
    ctx: typer.Context, templates: ThemesTemplatesOpt = None, allow_css: AllowCssOpt = None
) -> None:
    """List the built-in themes, check one (themes FILE) or make one (themes new --brand);
    with --templates, also check your templates in each."""
    ctx.obj = (templates, allow_css or [])
    if ctx.invoked_subcommand is not None:
        return
    table = Table("theme", "scheme", "lowest text contrast", box=None, pad_edge=False)
    for name in theme_names():
        theme = get_theme(name)
        table.add_row(name, theme.color_scheme, f"{min_contrast(theme):.2f}:1")
    stdout.print(table)
    if templates is not None:
        check_templates(templates, [get_theme(name) for name in theme_names()], allow_css or [])


@themes_app.command("check", hidden=True)
@reports_errors
def check_theme(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A theme file (.toml) to check.")],
    templates: ThemesTemplatesOpt = None,
    allow_css: AllowCssOpt = None,
) -> None:
    """Check a theme file: every token, and WCAG AA contrast of every text colour."""
    theme = load_theme(path)
    stdout.print(f"[green]valid[/]   {escape(str(path))}: {escape(theme_summary(theme))}")
    group_templates, group_allow_css = ctx.obj or (None, [])
    chosen = templates or group_templates
    if chosen is not None:
        check_templates(chosen, [theme], [*(allow_css or []), *group_allow_css])


@reports_errors
def check_templates(templates: Path, themes: list[Theme], allow_css: list[str]) -> None:
    """Render sample cards, an e-mail and a report through ``templates`` in each theme and
    every locale, as ``render`` and ``report`` would: a problem is one line on stderr and
    exit 1."""
    from .usertemplates import SAMPLE, sample_candidates, template_dir

    checked = template_dir(templates, allow_css)
    candidates = sample_candidates()
    for locale, theme in itertools.product(LOCALES, themes):
        render_cards(candidates, theme, templates=checked, locale=locale)
        render_email(candidates, theme, templates=checked, locale=locale)
        write_report([str(SAMPLE)], io.StringIO(), theme=theme, templates=checked, locale=locale)
    names = ", ".join(theme.name for theme in themes)
    stdout.print(
        f"[green]valid[/]   {escape(str(templates))}: renders cards, e-mail and report in "
        f"{names}, in every language"
    )


@themes_app.command("new")
@reports_errors
def new_theme(
    brand: Annotated[
        str,
        typer.Option(
            "--brand", metavar="COLOUR", help="The brand colour: #0a66c2, rgb(…), oklch(…), a name."
        ),
    ],
    base: Annotated[
        BaseChoice,
        typer.Option(
            "--base", metavar="dark|light", help="A dark or a light theme around the brand colour."
        ),
    ] = BaseChoice.dark,
    font: Annotated[
        str | None,
        typer.Option(
            "--font", metavar="FAMILY", help='The font family, e.g. "Inter, Arial, sans-serif".'
        ),
    ] = None,
    name: Annotated[
        str, typer.Option("--name", metavar="NAME", help="The theme's name.")
    ] = "brand",
    output: OutputOpt = None,
) -> None:
    """Make a theme from one brand colour, WCAG AA everywhere, bands apart for colour-blind."""
    from .brand import brand_theme, parse_color

    parse_color(brand, field="--brand")
    theme = brand_theme(brand, base.value, font=font, name=name)
    made_by = f"Made by: candidate-cards themes new --brand '{brand}' --base {base.value}"
    write_text(theme_to_toml(theme, made_by), output)
    if output:
        stderr.print(f"Wrote {escape(theme_summary(theme))} to {escape(str(output))}")


@app.command()
@reports_errors
def fetch(
    run_id: Annotated[
        str,
        typer.Argument(metavar="RUN_ID", help="A run id: req_… (sourcing) or enr_… (enrichment)."),
    ],
    wait: WaitOpt = False,
    timeout: TimeoutOpt = None,
    output: OutputOpt = None,
    api_key_file: ApiKeyFileOpt = None,
    api_url: ApiUrlOpt = None,
) -> None:
    """Fetch a run's results from the sourcing API and write its JSON exactly as received.

    Exit 1 when the run failed (its JSON is still written), 0 otherwise, also for a run
    still processing when --wait is not given.
    """
    from .fetching import check_run_ids, fetch_runs, run_summary

    check_run_ids([run_id], "RUN_ID")
    [result] = fetch_runs(
        [run_id],
        wait=wait,
        timeout=timeout,
        key_file=api_key_file,
        api_url=api_url,
        console=stderr,
    )
    if output is None:
        sys.stdout.buffer.write(result.raw)
        sys.stdout.flush()
    else:
        write_bytes(output, result.raw)
    summary = escape(run_summary(result))
    if result.info.status == "failed":
        stderr.print(f"[bold red]error:[/] {summary}")
        raise typer.Exit(1)
    if output is not None:
        stderr.print(f"Wrote {summary} to {escape(str(output))}")


@app.command()
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
    from .webhooks.config import webhook_options  # MissingExtra without the serve extra

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
    from .service import serve as run_service  # MissingExtra without the serve extra

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


@app.command()
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
    from .preview import PreviewOptions
    from .preview import serve as serve_preview

    locale = check_locale(locale, "--locale")
    options = PreviewOptions(source, templates, theme, tuple(allow_css or ()), locale)

    def ready(url: str) -> None:
        stdout.print(f"Preview at {url} (Ctrl+C to stop)")

    serve_preview(options, port, ready)


def check_payload(source: str) -> str:
    """What a valid payload suits, after the checks of the command that takes it; else raise.

    A render request gets exactly render's checks; any other payload gets report's (it is
    streamed, so any size), and render's are run on what was read to say if it suits both.
    """
    label = input_label(source)
    with open_input(source) as handle:
        counted = ByteCounter(handle)
        reader = PayloadReader(io.BufferedReader(counted), label)
        candidates = reader.candidates()
        first = list(itertools.islice(candidates, MAX_PROFILES + 1))  # render's checks need these
        for _ in candidates:
            pass
    described = describe(reader)
    refusal = render_refusal(reader, first, counted.count)
    if reader.shape == "render-request" and refusal is not None:
        with naming(label), pointing_to_report():
            raise refusal
    if reader.not_completed is not None:
        return described
    if refusal is None:
        return f"{described} · for render and report"
    refused = one_line(refusal.message).removeprefix("Validation failed: ")
    return f"{described} · for report; not render: {refused}"


def render_refusal(
    reader: PayloadReader, first: list[Candidate], size: int
) -> CandidateCardsError | None:
    """The error ``render`` would stop with on a payload ``reader`` has read, if any."""
    if size > MAX_INPUT_BYTES:
        return PayloadTooLarge(f"larger than {MAX_INPUT_BYTES // 2**20} MiB")
    if reader.not_completed is not None:
        return reader.not_completed
    try:
        if reader.count > MAX_PROFILES:
            raise TooManyProfiles.for_count(reader.count)
        validate_profiles(first)
        resolve_theme(reader.theme or DEFAULT_THEME)
    except CandidateCardsError as exc:
        return exc
    return None


class ByteCounter(io.RawIOBase):
    """A readable stream that counts the bytes read through it (stdin has no size)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._handle.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


@contextlib.contextmanager
def pointing_to_report() -> Iterator[None]:
    """Add to a too-many-profiles error that ``report`` takes any number."""
    try:
        yield
    except TooManyProfiles as exc:
        exc.message = f"{exc.message.rstrip('.')}; {REPORT_HINT}."
        exc.args = (exc.message,)
        raise


def theme_option(name: str | None) -> Theme | None:
    """The theme ``--theme`` names (errors blame --theme, not the input), or ``None``."""
    if name is None:
        return None
    with naming(f"--theme {name}"):
        return resolve_theme(name)


def describe(reader: PayloadReader) -> str:
    """One line on what a valid payload holds."""
    count = f"{reader.count} candidate{'s' if reader.count != 1 else ''}"
    run = reader.run
    if run is None:
        return f"{count} ({reader.shape})"
    if reader.not_completed is not None:
        return f"valid, but {reader.not_completed.message}"
    what = f"{run.kind} run {run.request_id or '(no requestId)'}"
    failures = f", {len(reader.failures)} failed" if reader.failures else ""
    return f"{count}{failures} · {what} · {run.status or 'no status'}"


def theme_summary(theme: Theme) -> str:
    """One line on a valid theme."""
    return (
        f"theme {theme.name!r} ({theme.color_scheme}); every text colour meets WCAG AA, "
        f"the lowest at {min_contrast(theme):.2f}:1"
    )


def min_contrast(theme: Theme) -> float:
    """The lowest contrast among the theme's text/background pairs."""
    return min(check.ratio for check in theme.contrast())


def resolve_theme(name: str) -> Theme:
    """A theme by name, or from a file when ``name`` ends in ``.toml``."""
    return get_theme(Path(name) if name.endswith(".toml") else name)


def read_input(source: str) -> object:
    """Read and parse a small payload (for ``render``) from a path or stdin."""
    label = input_label(source)
    too_large = PayloadTooLarge(f"{label}: larger than {MAX_INPUT_BYTES // 2**20} MiB")
    with open_input(source) as handle:
        if _file_size(handle) > MAX_INPUT_BYTES:
            raise too_large
        data = handle.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise too_large
    return parse_json(data, source=label)


def _file_size(handle: IO[bytes]) -> int:
    """The size of a regular file behind ``handle``; 0 for pipes and in-memory streams."""
    try:
        info = os.fstat(handle.fileno())
    except OSError:
        return 0
    return info.st_size if stat.S_ISREG(info.st_mode) else 0


def write_text(text: str, output: Path | None) -> None:
    """Write to stdout, or atomically to ``output``."""
    with output_to(output) as handle:
        handle.write(text)


@contextlib.contextmanager
def output_to(path: Path | None) -> Iterator[IO[str]]:
    """stdout, or a file at ``path`` written atomically (kept as it was if anything fails)."""
    if path is None:
        yield sys.stdout
        return
    with atomic_text(path) as handle:
        yield handle


def one_line(message: str) -> str:
    """``message`` with its line breaks and runs of spaces folded, for a one-line error."""
    return " ".join(message.split())


def write_pngs(result: RenderResult, theme: Theme, directory: Path) -> None:
    """One screenshot per card, through Chromium."""
    from .browser.capture import screenshot_cards

    paths = screenshot_cards(result.cards, theme, directory)
    stderr.print(f"Wrote {len(paths)} PNG(s) to {directory}")


def main() -> None:
    """Console entry point."""
    app()
