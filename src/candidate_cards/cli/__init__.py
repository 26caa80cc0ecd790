"""The ``candidate-cards`` command line: render, report, validate, themes, fetch, serve
and preview.

Exit codes: 0 success, 1 bad input or a failed write (one line on stderr naming the file
and field), 2 usage error. Every output file is written atomically. Each command lives in
a module of its own; this one registers them, in the order ``--help`` lists them.
"""

from __future__ import annotations

from .app import app, write_text
from .cards import render, validate
from .preview import preview
from .reports import report
from .runs import fetch
from .serve import serve
from .themes import themes_app

app.command()(render)
app.command()(report)
app.command()(validate)
app.add_typer(themes_app, name="themes")
app.command()(fetch)
app.command()(serve)
app.command()(preview)


def main() -> None:
    """Console entry point."""
    app()


__all__ = ["app", "main", "serve", "write_text"]
