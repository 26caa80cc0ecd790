"""``render`` (1 to 10 candidates into cards, an e-mail, PNGs) and ``validate``."""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.markup import escape

from ..atomic import write_bytes
from ..cards import MAX_PROFILES, RenderResult, render_cards, validate_profiles
from ..email import render_email
from ..errors import (
    CandidateCardsError,
    PayloadTooLarge,
    TooManyProfiles,
)
from ..i18n import DEFAULT_LOCALE, check_locale
from ..inputs import PayloadReader, input_label, naming, open_input
from ..models import Candidate
from ..payloads import load_candidates, parse_json
from ..themes import DEFAULT_THEME, Theme
from .app import one_line, reports_errors, resolve_theme, stderr, stdout, theme_option, write_text
from .options import InputArg, InputsArg, LocaleOpt, OutputOpt, ThemeOpt

MAX_INPUT_BYTES = 16 * 1024 * 1024
MAX_LISTED_PROBLEMS = 20
REPORT_HINT = "candidate-cards report takes any number of candidates"


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


def write_pngs(result: RenderResult, theme: Theme, directory: Path) -> None:
    """One screenshot per card, through Chromium."""
    from ..browser.capture import screenshot_cards

    paths = screenshot_cards(result.cards, theme, directory)
    stderr.print(f"Wrote {len(paths)} PNG(s) to {directory}")
