"""The README holds up: its tables are whole, its command list is complete, its figures current."""

from __future__ import annotations

import json
import re
from pathlib import Path

import typer

from candidate_cards import render_email
from candidate_cards.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_table_row_belongs_to_a_table():
    """A row after a blank line or prose, not under a header and a |---| line, is stray."""
    stray = []
    lines = README.splitlines()
    in_table = False
    for number, line in enumerate(lines, start=1):
        if not line.startswith("|"):
            in_table = False
            continue
        starts = number < len(lines) and re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", lines[number])
        if not in_table and not starts:
            stray.append(f"{number}: {line}")
        in_table = True
    assert stray == []


def test_the_intro_names_every_command():
    intro = README.split("## Set up")[0]
    commands = {command.name for command in typer.main.get_command(app).commands.values()}
    listed = re.search(r"`candidate-cards ([a-z |]+)`", intro)
    assert listed and set(listed.group(1).replace(" ", "").split("|")) == commands


def test_the_quoted_email_size_is_todays():
    quoted = re.search(r"\*\*75 KB\*\* budget \(about ([\d.]+) KB", README)
    assert quoted, "the README quotes the 10-card e-mail's size"
    fixture = Path(__file__).parent / "fixtures" / "sourcing-completed.json"
    candidates = json.loads(fixture.read_text(encoding="utf-8"))["candidates"][:10]
    measured = max(
        render_email(candidates, theme, intro="The ten strongest.").size_bytes / 1024
        for theme in ("dark", "light")
    )
    assert abs(float(quoted.group(1)) - measured) < 1, f"{measured:.1f} KB today"


def test_how_it_works_names_every_module_of_the_package():
    """The module table is the map of src/: every module in it, none that is gone."""
    table = README.split("## How it works")[1].split("\n## ")[0]
    first_cells = [line.split("|")[1] for line in table.splitlines() if line.startswith("|")]
    listed = {name for cell in first_cells for name in re.findall(r"`([\w/]+\.py|\w+/)`", cell)}
    package = Path(__file__).resolve().parents[1] / "src" / "candidate_cards"
    modules = {
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if path.name not in ("__init__.py", "__main__.py")
    }
    named = {m for m in modules if m in listed or m.split("/")[0] + "/" in listed}
    assert named == modules, sorted(modules - named)
    assert listed <= modules | {m.split("/")[0] + "/" for m in modules}, sorted(listed)
