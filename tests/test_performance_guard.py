"""The per-call path runs the compiled templates: no inliner, compiler, parser, Jinja render or I/O.

A regression guard that cannot flake: instead of timing, it breaks every slow step after
warm-up and checks that rendering still works; and it checks that importing the package
loads none of the heavy dependencies.
"""

from __future__ import annotations

import builtins
import io
import os
import pathlib
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

import candidate_cards
from candidate_cards import compiled, get_theme, render_cards, render_email, templates
from candidate_cards.cardpool import card_bytes
from candidate_cards.cards import Renderer
from candidate_cards.i18n import language
from candidate_cards.models import Candidate
from candidate_cards.templates import render_env
from candidate_cards.themes import theme_to_toml


def forbidden(*_args, **_kwargs):
    raise AssertionError("a load-time step ran on the per-call path")


def _cards(profiles, theme):
    return render_cards(profiles, theme).html


def _email(profiles, theme):
    document = render_email(profiles, theme)
    return document.html + document.text


def _report_cards(profiles, theme):
    """What a report's helper process runs for each card: JSON in, card bytes out."""
    resolved, lang = get_theme(theme), language("sk")
    blocks = [Candidate.model_validate(p).model_dump_json().encode() for p in profiles]
    return b"".join(card_bytes(block, resolved, lang) for block in blocks)


def _no_reads(monkeypatch):
    """Break every way a file can be read: builtins/io.open (which pathlib's open and
    read_* call), os.open underneath, and pathlib's methods themselves."""
    for target, name in [
        (builtins, "open"),
        (io, "open"),
        (os, "open"),
        (pathlib.Path, "open"),
        (pathlib.Path, "read_bytes"),
        (pathlib.Path, "read_text"),
    ]:
        monkeypatch.setattr(target, name, forbidden)


@pytest.fixture(params=["dark", "light", "file"])
def theme(request, tmp_path):
    """A built-in theme by name, or a theme file given as a Path."""
    if request.param != "file":
        return request.param
    path = tmp_path / "brand.toml"
    path.write_text(theme_to_toml(get_theme("light")), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "render", [_cards, _email, _report_cards], ids=["render_cards", "render_email", "report_cards"]
)
def test_rendering_runs_no_inliner_compile_or_io_after_warm_up(
    render, theme, monkeypatch, sourcing_candidates
):
    expected = render(sourcing_candidates[:10], theme)

    class NoInliner:
        inline_fragment = inline = staticmethod(forbidden)

    monkeypatch.setattr(templates, "_inliner", lambda: NoInliner())
    monkeypatch.setattr(templates, "_premailer_document", forbidden)
    monkeypatch.setattr(templates, "themed_source", forbidden)
    monkeypatch.setattr(render_env(), "from_string", forbidden)
    monkeypatch.setattr(render_env(), "parse", forbidden)
    monkeypatch.setattr(compiled, "compile_template", forbidden)
    monkeypatch.setattr(jinja2.Template, "render", forbidden)  # the compiled functions render
    _no_reads(monkeypatch)

    assert render(sourcing_candidates[:10], theme) == expected


def test_the_guard_sees_a_read_through_pathlib(monkeypatch, tmp_path):
    path = tmp_path / "brand.toml"
    path.write_text("x", encoding="utf-8")
    _no_reads(monkeypatch)
    with pytest.raises(AssertionError, match="per-call path"):
        pathlib.Path(path).read_bytes()
    with pytest.raises(AssertionError, match="per-call path"), open(path, "rb"):
        pass


def test_each_theme_compiles_its_card_template_once(monkeypatch, sourcing_candidates):
    calls = []
    original = templates.inline_template
    renderer = Renderer()
    monkeypatch.setattr(templates, "inline_template", lambda *a: calls.append(a) or original(*a))
    for _ in range(3):
        renderer.render_cards(sourcing_candidates[:10], "dark")
        renderer.render_cards(sourcing_candidates[:10], "light")
    assert len(calls) == 2


def test_importing_render_cards_loads_no_heavy_dependency_until_the_first_call():
    heavy = ["pydantic", "jinja2", "premailer", "css_inline", "playwright", "typer", "rich"]
    code = (
        "import sys; from candidate_cards import render_cards; "
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    src = Path(candidate_cards.__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(src)}
    loaded = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    assert loaded == "[]"


def test_every_public_name_is_loaded_on_demand():
    assert set(candidate_cards._EXPORTS) | {"__version__"} == set(candidate_cards.__all__)
    for name in candidate_cards.__all__:
        assert getattr(candidate_cards, name) is not None
    with pytest.raises(AttributeError):
        candidate_cards.not_a_name  # noqa: B018
