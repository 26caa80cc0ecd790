"""The ``candidate-cards`` Typer app, its consoles, and what every command shares: one
line on stderr for an error, themes by name or file, atomic output."""

from __future__ import annotations

import contextlib
import functools
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, ParamSpec

import typer
from rich.console import Console
from rich.markup import escape

from ..atomic import atomic_text
from ..errors import CandidateCardsError
from ..inputs import naming
from ..themes import Theme, get_theme

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


def theme_option(name: str | None) -> Theme | None:
    """The theme ``--theme`` names (errors blame --theme, not the input), or ``None``."""
    if name is None:
        return None
    with naming(f"--theme {name}"):
        return resolve_theme(name)


def resolve_theme(name: str) -> Theme:
    """A theme by name, or from a file when ``name`` ends in ``.toml``."""
    return get_theme(Path(name) if name.endswith(".toml") else name)


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
