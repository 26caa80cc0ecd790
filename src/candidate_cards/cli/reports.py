"""``report``: any number of candidates, from files and runs, into one page (and a PDF)."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from ..i18n import DEFAULT_LOCALE, check_locale
from ..inputs import Input
from ..progress import progress_bar
from ..report import write_report
from ..themes import DEFAULT_THEME
from .app import output_to, reports_errors, stderr, theme_option
from .options import (
    AllowCssOpt,
    ApiKeyFileOpt,
    ApiUrlOpt,
    LocaleOpt,
    OptionalInputsArg,
    OutputOpt,
    ReportThemeOpt,
    RunsOpt,
    TimeoutOpt,
    WaitOpt,
)


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
        from ..fetching import check_run_ids

        check_run_ids(runs, "--run")
    locale = check_locale(locale, "--locale")
    checked = None
    if templates is not None:  # refused before any run is fetched
        from ..usertemplates import template_dir

        checked = template_dir(templates, allow_css or ())
    inputs: list[Input] = [*sources]
    if runs:
        from ..fetching import fetch_runs, fetched_inputs

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
            from ..browser.capture import write_pdf

            write_pdf(html, pdf)
    written = " and ".join(str(path) for path in (output, pdf) if path)
    if written:
        stderr.print(
            f"Wrote a report of {summary.shown} of {summary.candidates} candidate(s) to {written}"
        )
