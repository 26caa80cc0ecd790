"""``themes``: list the built-in themes, check a theme file, make one from a brand colour."""

from __future__ import annotations

import enum
import io
import itertools
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from typer.core import TyperGroup

from ..cards import render_cards
from ..email import render_email
from ..i18n import LOCALES
from ..report import write_report
from ..themes import Theme, get_theme, load_theme, theme_names, theme_to_toml
from .app import reports_errors, stderr, stdout, write_text
from .options import AllowCssOpt, OutputOpt


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
    from ..usertemplates import SAMPLE, sample_candidates, template_dir

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
    from ..brand import brand_theme, parse_color

    parse_color(brand, field="--brand")
    theme = brand_theme(brand, base.value, font=font, name=name)
    made_by = f"Made by: candidate-cards themes new --brand '{brand}' --base {base.value}"
    write_text(theme_to_toml(theme, made_by), output)
    if output:
        stderr.print(f"Wrote {escape(theme_summary(theme))} to {escape(str(output))}")


def theme_summary(theme: Theme) -> str:
    """One line on a valid theme."""
    return (
        f"theme {theme.name!r} ({theme.color_scheme}); every text colour meets WCAG AA, "
        f"the lowest at {min_contrast(theme):.2f}:1"
    )


def min_contrast(theme: Theme) -> float:
    """The lowest contrast among the theme's text/background pairs."""
    return min(check.ratio for check in theme.contrast())
