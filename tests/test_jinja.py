"""Cards inside a user's own Jinja environment: trusted HTML, escaped data, typed errors."""

from __future__ import annotations

import pytest
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from candidate_cards import (
    InvalidRenderPayload,
    InvalidTheme,
    RunInProgress,
    TooManyProfiles,
    load_candidates,
    render_cards,
)
from candidate_cards.jinja import install
from tests.conftest import load_fixture

PEOPLE = [
    {"profileId": "p1", "name": "Jane Doe", "matchScore": 96},
    {"profileId": "p2", "name": "Ola Nordmann", "matchScore": 71},
]


@pytest.fixture(params=[True, False], ids=["autoescape", "no-autoescape"])
def env(request) -> Environment:
    return install(Environment(autoescape=request.param))


def test_the_filter_inserts_exactly_the_cards_render_cards_makes(env):
    html = env.from_string('<td>{{ people | cards(theme="light") }}</td>').render(people=PEOPLE)
    assert html == f"<td>{render_cards(PEOPLE, 'light').html}</td>"


def test_the_global_reads_any_payload_and_its_theme(env):
    payload = load_fixture("render-request.json")  # asks for the light theme
    html = env.from_string("{{ cards(payload) }}").render(payload=payload)
    assert html == render_cards(payload["profiles"], "light").html
    sourcing = load_fixture("sourcing-completed.json")
    sourcing["candidates"] = sourcing["candidates"][:4]
    html = env.from_string("{{ run | cards }}").render(run=sourcing)
    assert html.count("data-profile-id=") == 4


def test_models_are_accepted_one_or_many(env):
    models = load_candidates(PEOPLE).candidates
    template = env.from_string("{{ one | cards }}|{{ many | cards }}")
    one, many = template.render(one=models[0], many=models).split("|")
    assert one == render_cards(models[:1]).html
    assert many == render_cards(models).html


def test_candidate_data_is_escaped_in_either_environment(env):
    hostile = load_fixture("edge/hostile.json")
    html = env.from_string("{{ people | cards }}").render(people=hostile)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html
    assert 'href="javascript:' not in html


def test_the_value_is_markup_so_the_users_own_escaping_still_applies():
    env = install(Environment(autoescape=True))
    html = env.from_string("{{ note }}{{ people | cards }}").render(note="<b>", people=PEOPLE)
    assert html.startswith("&lt;b&gt;<table")
    assert isinstance(env.filters["cards"](PEOPLE), Markup)


def test_a_users_file_templates_with_select_autoescape(tmp_path):
    (tmp_path / "shortlist.html").write_text(
        "<h1>{{ title }}</h1>\n{{ cards(people, theme='dark') }}\n", encoding="utf-8"
    )
    env = install(Environment(loader=FileSystemLoader(tmp_path), autoescape=select_autoescape()))
    html = env.get_template("shortlist.html").render(title="Jane & co", people=PEOPLE)
    assert html.startswith('<h1>Jane &amp; co</h1>\n<table role="presentation"')
    assert html.count("data-profile-id=") == 2


def test_a_users_card_templates_can_be_used(env, tmp_path):
    (tmp_path / "card.html").write_text(
        '<table role="presentation"><tr><td>{{ card.name }}</td></tr></table>', encoding="utf-8"
    )
    html = env.from_string("{{ p | cards(templates=dir) }}").render(p=PEOPLE[:1], dir=tmp_path)
    assert html == '<table role="presentation"><tr><td>Jane Doe</td></tr></table>'


def test_a_custom_name_can_avoid_a_clash():
    env = install(Environment(), name="candidate_cards")
    assert "data-profile-id" in env.from_string("{{ p | candidate_cards }}").render(p=PEOPLE)
    assert "cards" not in env.filters


@pytest.mark.parametrize(
    ("people", "theme", "error"),
    [
        ([{"profileId": "p1", "name": "Jane", "matchScore": "high"}], None, InvalidRenderPayload),
        ([], None, InvalidRenderPayload),
        ([{"profileId": f"p{i}", "name": "Jane"} for i in range(11)], None, TooManyProfiles),
        (PEOPLE, "neon", InvalidTheme),
        (load_fixture("sourcing-processing.json"), None, RunInProgress),
    ],
)
def test_errors_are_the_librarys_typed_errors(env, people, theme, error):
    template = env.from_string("{{ people | cards(theme=theme) }}")
    with pytest.raises(error):
        template.render(people=people, theme=theme)
