"""The ``candidate-cards`` command line."""

from __future__ import annotations

import functools
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, ParamSpec

import typer
from rich.console import Console

from .cards import render_cards
from .errors import CandidateCardsError, InvalidRenderPayload, PayloadTooLarge
from .payloads import load_candidates, parse_json

MAX_INPUT_BYTES = 16 * 1024 * 1024
P = ParamSpec("P")

app = typer.Typer(
    name="candidate-cards",
    help="Render recruiting candidates as self-contained HTML cards.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
stderr = Console(stderr=True, highlight=False)

InputArg = Annotated[str, typer.Argument(help="A JSON payload file, or - for stdin.")]
ThemeOpt = Annotated[
    str | None,
    typer.Option(
        "--theme",
        "-t",
        help="dark, light or a theme file (.toml). Default: the payload's theme, else dark.",
    ),
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
]


@app.callback()
def _group() -> None:
    """Render recruiting candidates as self-contained HTML cards."""


def reports_errors(command: Callable[P, None]) -> Callable[P, None]:
    """Turn a library or file error into one line on stderr and exit code 1."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            command(*args, **kwargs)
        except (CandidateCardsError, OSError) as exc:
            message = exc.message if isinstance(exc, CandidateCardsError) else str(exc)
            stderr.print(f"[bold red]error:[/] {message}", soft_wrap=True)
            raise typer.Exit(1) from None

    return run


@app.command()
@reports_errors
def render(source: InputArg, theme: ThemeOpt = None, output: OutputOpt = None) -> None:
    """Render 1 to 10 candidates as HTML cards."""
    loaded = load_candidates(read_input(source))
    chosen = theme or loaded.theme or "dark"
    resolved = Path(chosen) if chosen.endswith(".toml") else chosen
    result = render_cards(loaded.candidates, resolved)
    write_output(result.html + "\n", output)
    if output:
        stderr.print(f"Wrote {len(result.cards)} card(s), {result.theme} theme, to {output}")


def read_input(source: str) -> object:
    """Read and parse a payload from a path or stdin, refusing oversized input."""
    label = "stdin" if source == "-" else source
    try:
        if source == "-":
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            path = Path(source)
            if path.is_dir():
                raise _InputError(f"{label}: is a directory, not a JSON file")
            with path.open("rb") as handle:
                if os.fstat(handle.fileno()).st_size > MAX_INPUT_BYTES:
                    raise _too_large(label)
                data = handle.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise _InputError(f"{label}: no such file") from None
    except OSError as exc:
        raise _InputError(f"{label}: cannot be read ({exc.strerror})") from None
    if len(data) > MAX_INPUT_BYTES:
        raise _too_large(label)
    return parse_json(data, source=label)


def _too_large(label: str) -> PayloadTooLarge:
    return PayloadTooLarge(f"{label}: larger than {MAX_INPUT_BYTES // 2**20} MiB")


def write_output(text: str, output: Path | None) -> None:
    """Write to stdout, or atomically to ``output``: a failure never leaves half a file."""
    if output is None:
        sys.stdout.write(text)
        return
    output = output.expanduser()
    mode = _file_mode(output)
    descriptor, temporary = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(text)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _file_mode(output: Path) -> int:
    """The permissions ``output`` has, or a new file gets: not mkstemp's owner-only 0600."""
    try:
        return output.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


class _InputError(InvalidRenderPayload):
    """An INPUT that is not a readable file: a directory or a missing path."""


def main() -> None:
    """Console entry point."""
    app()
