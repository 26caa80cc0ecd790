"""The compiled templates write what Jinja writes, byte for byte, and step aside when they can't.

Every card, e-mail and user template the renderer compiles is rendered both ways over a
large corpus: the fixtures, the hostile strings (BLNS), generated candidates with long
words, right-to-left and control characters, in both themes, a user's theme file, and
several locales. The compiled function is called directly, so a fallback to Jinja cannot
hide a difference.
"""

from __future__ import annotations

import json
import random
import shutil

import pytest

from candidate_cards import Renderer, get_theme, render_cards, theme_to_toml
from candidate_cards.compiled import FastTemplate, compile_template
from candidate_cards.i18n import language
from candidate_cards.resources import resource_dir
from candidate_cards.templates import render_env
from candidate_cards.view import card_view
from tests.conftest import FIXTURES, load_fixture

BLNS = FIXTURES.parent / "hostile" / "blns.json"
LOCALES = ["en", "sk", "ar", "ja"]
ODD = ["\u0000", "\u200f", "\ufffe", "\U0001ffff", "<b>&amp;", "'\"", "x" * 90, "مرحبا بالعالم"]


def corpus() -> list[dict]:
    """Fixture candidates, hostile strings and generated candidates, valid all."""
    people = list(load_fixture("sourcing-completed.json")["candidates"])
    for name in ("hostile", "long", "unicode", "words", "scores", "minimal"):
        data = load_fixture(f"edge/{name}.json")
        people += data if isinstance(data, list) else data.get("candidates", data.get("profiles"))
    strings = [s for s in json.loads(BLNS.read_text("utf-8")) if s.strip() and len(s) < 400]
    rng = random.Random(15)
    pick = lambda: rng.choice(strings + ODD)  # noqa: E731
    for n in range(300):
        people.append(
            {
                "profileId": f"gen-{n}",
                "name": pick(),
                "headline": pick(),
                "location": pick() if n % 3 else None,
                "currentRole": pick(),
                "matchScore": rng.choice([None, 0, 49.95, 70, 84.96, 100, rng.uniform(0, 100)]),
                "rationale": " ".join(pick() for _ in range(rng.randint(0, 40))),
                "skills": [pick() for _ in range(rng.randint(0, 14))],
                "aiFitPoints": [pick() for _ in range(rng.randint(0, 6))],
                "aiRedFlags": [pick() for _ in range(rng.randint(0, 4))],
                "emails": [f"p{n}.{k}@example.com" for k in range(rng.randint(0, 5))],
                "linkedinUrl": rng.choice([None, "https://www.linkedin.com/in/x", pick()]),
                "detailedExperience": [
                    {"role": pick(), "company": pick(), "highlights": [pick(), pick()]}
                    for _ in range(rng.randint(0, 4))
                ],
                "aiDetailedRationale": [
                    {"title": pick(), "relevanceExplanation": pick()}
                    for _ in range(rng.randint(0, 4))
                ],
            }
        )
    return people


@pytest.fixture(scope="module")
def candidates():
    from candidate_cards.cards import validate_profiles

    people = corpus()
    valid = [c for i in range(0, len(people), 10) for c in validate_profiles(people[i : i + 10])]
    assert len(valid) > 300
    return valid


def both_ways(template: FastTemplate, **context) -> tuple[str, str]:
    assert template.fast is not None, "the compiler left this template to Jinja"
    return template.fast(context), super(FastTemplate, template).render(**context)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("theme", ["dark", "light", "file"])
def test_compiled_cards_are_byte_identical_to_jinja(theme, locale, candidates, tmp_path):
    if theme == "file":
        theme = tmp_path / "brand.toml"
        theme.write_text(theme_to_toml(get_theme("dark")).replace('"dark"', '"brand"', 1))
    renderer, lang = Renderer(), language(locale)
    resolved = renderer.theme(theme)
    templates = [renderer.card_template(resolved, locale, embedded=e) for e in (False, True)]
    for candidate in candidates:
        view = card_view(candidate, lang)
        for template in templates:
            fast, jinja = both_ways(template, card=view)
            assert fast == jinja, candidate.profile_id


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_compiled_emails_are_byte_identical_to_jinja(locale, candidates):
    from candidate_cards import render_email
    from candidate_cards.templates import DEFAULT_TEMPLATES

    people = [c.model_dump(by_alias=True, exclude_unset=True) for c in candidates[:40]]
    for start in range(0, len(people), 10):
        compiled = render_email(people[start : start + 10], "light", locale=locale).html
        email_templates = [
            t for key, t in DEFAULT_TEMPLATES._compiled.items() if key[0] == "email.html"
        ]
        assert email_templates and all(t.fast is not None for t in email_templates)
        saved = [t.fast for t in email_templates]
        try:
            for template in email_templates:
                template.fast = None
            jinja = render_email(people[start : start + 10], "light", locale=locale).html
        finally:
            for template, fast in zip(email_templates, saved, strict=True):
                template.fast = fast
        assert compiled == jinja


def test_a_users_templates_are_compiled_and_byte_identical(tmp_path, candidates):
    mine = tmp_path / "mine"
    mine.mkdir()
    for name in ("card.html", "card.css"):
        shutil.copy(resource_dir("templates") / name, mine)
    (mine / "card.html").write_text(
        (mine / "card.html").read_text("utf-8").replace("Experience", "Career"), "utf-8"
    )
    from candidate_cards.usertemplates import compile_user_inlined, template_dir
    from tests.test_user_templates import OUR_CSS_ALLOWANCES

    directory = template_dir(mine, OUR_CSS_ALLOWANCES)
    compiled = compile_user_inlined(directory, "card.html", "card.css", get_theme("light"), "sk")
    template = compiled.template
    lang = language("sk")
    for candidate in candidates[:200]:
        fast, jinja = both_ways(template, card=card_view(candidate, lang))
        assert fast == jinja
    people = load_fixture("render-request.json")["profiles"]
    assert (
        "Career" in render_cards(people, "light", templates=mine, allow_css=OUR_CSS_ALLOWANCES).html
    )


@pytest.mark.parametrize(
    "source",
    [
        "{% set x = 1 %}{{ x }}",
        "{% macro m() %}x{% endmacro %}{{ m() }}",
        "{{ card.name|upper(1) if card else '' }}",
        "{% for a, b in pairs %}{{ a }}{% endfor %}",
        "{{ loop.index }}",
        "{% for x in xs %}{{ loop.index }}{% endfor %}",
        "{{ card._private }}",
    ],
)
def test_what_the_compiler_does_not_translate_is_left_to_jinja(source):
    assert compile_template(render_env(), source) is None


def test_a_compiled_template_that_fails_renders_through_jinja_with_jinja_s_error():
    from jinja2 import UndefinedError

    template = render_env().from_string("<p>{{ card.missing }}</p>")
    assert isinstance(template, FastTemplate)
    template.fast = compile_template(render_env(), "<p>{{ card.missing }}</p>")
    assert template.fast is not None
    with pytest.raises(UndefinedError):
        template.render(card=object())
    assert template.render(card={"missing": "<b>"}) == "<p>&lt;b&gt;</p>"  # Jinja's item lookup


def test_loop_first_and_last_and_constants_match_jinja():
    source = (
        '{% for x in xs %}{% if not loop.first %}, {% endif %}{{ x ~ "\u00a0" }}'
        '{% if loop.last %}.{% endif %}{% endfor %}{{ "<&>" }}{{ 3 }}'
    )
    template = render_env().from_string(source)
    function = compile_template(render_env(), source)
    assert function is not None
    for xs in ([], ["a"], ["<a>", "b\u0000", 5]):
        assert function({"xs": xs}) == template.render(xs=xs)
