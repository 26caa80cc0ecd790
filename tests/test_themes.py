"""Themes are data: validated on load, refused under WCAG AA, usable from a user's file."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator

import pytest

from candidate_cards import InvalidTheme, contrast_ratio, get_theme, load_theme, theme_names
from candidate_cards.resources import resource_dir
from candidate_cards.themes import (
    PRINT_TEXT_PAIRS,
    TEXT_PAIRS,
    UnknownThemeTokens,
    register_theme,
    theme_from_dict,
    unregister_theme,
)


def builtin(name: str) -> dict:
    return tomllib.loads((resource_dir("themes") / f"{name}.toml").read_text())


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("name", ["dark", "light"])
def test_builtin_themes_meet_aa_on_every_pair(name):
    checks = get_theme(name).contrast()
    assert len(checks) == len(TEXT_PAIRS) + len(PRINT_TEXT_PAIRS)
    assert all(check.ratio >= 4.5 for check in checks)


def test_theme_names_lists_builtins_and_dark_is_first_class():
    assert {"dark", "light"} <= set(theme_names())
    assert get_theme("dark").color_scheme == "dark"
    assert get_theme("light").color_scheme == "light"


def test_a_missing_token_is_named():
    data = builtin("light")
    del data["colors"]["link"]
    with pytest.raises(InvalidTheme) as caught:
        theme_from_dict(data)
    assert [d.field for d in caught.value.details] == ["colors.link"]
    assert "colors.link: missing" in caught.value.message


@pytest.mark.parametrize(
    ("section", "token", "value", "words"),
    [
        ("colors", "text", "red", "#rrggbb"),
        ("colors", "text", "#12345", "#rrggbb"),
        ("font", "family", "Arial; } body { display:none", "font list"),
        ("font", "size", "15px", "whole number"),
        ("font", "line_height", 9, "1 to 3"),
        ("shape", "padding", -4, "whole number"),
    ],
)
def test_a_malformed_token_is_named(section, token, value, words):
    data = builtin("dark")
    data[section][token] = value
    with pytest.raises(InvalidTheme) as caught:
        theme_from_dict(data)
    assert caught.value.details[0].field == f"{section}.{token}"
    assert words in caught.value.details[0].message


def test_a_theme_under_aa_is_refused_with_the_failing_pair():
    data = builtin("light")
    data["colors"]["text_muted"] = "#aaaaaa"
    with pytest.raises(InvalidTheme) as caught:
        theme_from_dict(data)
    fields = [d.field for d in caught.value.details]
    assert "colors.text_muted on colors.surface" in fields
    assert "below WCAG AA 4.5:1" in caught.value.details[0].message


def test_theme_files_report_their_path_and_toml_errors(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("name = ")
    with pytest.raises(InvalidTheme, match=r"broken\.toml is not valid TOML"):
        load_theme(broken)
    with pytest.raises(InvalidTheme, match="does not exist"):
        load_theme(tmp_path / "missing.toml")


@pytest.fixture
def registered_theme() -> Iterator[None]:
    """The light theme registered as "registered" for one test, unregistered after it."""
    data = builtin("light")
    data["name"] = "registered"
    register_theme(theme_from_dict(data))
    yield
    unregister_theme("registered")


@pytest.mark.usefixtures("registered_theme")
def test_registered_themes_resolve_by_name():
    assert get_theme("registered").name == "registered"
    assert "registered" in theme_names()


def test_an_unregistered_theme_is_unknown_again():
    register_theme(theme_from_dict(builtin("light")), "passing")
    unregister_theme("passing")
    assert "passing" not in theme_names()
    with pytest.raises(InvalidTheme, match="Unknown theme 'passing'"):
        get_theme("passing")


def test_a_theme_name_is_never_read_as_a_path():
    with pytest.raises(InvalidTheme, match="Unknown theme"):
        get_theme(str(resource_dir("themes") / "dark.toml"))


def test_colours_are_read_case_insensitively():
    """ "#0B1220" and "#0b1220" are one colour: same tokens, same fingerprint."""
    data = tomllib.loads((resource_dir("themes") / "dark.toml").read_text(encoding="utf-8"))
    shouting = {**data, "colors": {k: v.upper() for k, v in data["colors"].items()}}
    assert theme_from_dict(shouting).fingerprint == get_theme("dark").fingerprint


def test_the_print_palette_is_checked_on_paper_and_tint():
    data = builtin("dark")
    data["print"] = {**data["print"], "ink_muted": "#a8b4c6"}  # the dark theme's muted text
    with pytest.raises(InvalidTheme, match=r"print\.ink_muted on print\.paper: contrast 2\.10:1"):
        theme_from_dict(data)


def test_a_theme_without_a_print_palette_prints_in_the_light_themes():
    data = builtin("dark")
    del data["print"]
    assert theme_from_dict(data).print_colors == get_theme("light").print_colors


def test_a_malformed_print_colour_is_named():
    data = builtin("light")
    data["print"] = {**data["print"], "paper": "white"}
    with pytest.raises(InvalidTheme, match=r"print\.paper: must be a #rrggbb colour"):
        theme_from_dict(data)


def test_a_theme_with_unknown_tokens_loads_with_a_warning_naming_them():
    data = builtin("light")
    data["colors"] = {**data["colors"], "accnet": "#123456"}
    data["fonts"] = {"size": 14}
    with pytest.warns(UnknownThemeTokens, match=r"unknown tokens, ignored: fonts, colors\.accnet"):
        theme = theme_from_dict(data, "brand.toml")
    assert theme.colors == get_theme("light").colors  # the known tokens, as given


def test_two_renderers_do_not_see_each_others_themes():
    from dataclasses import replace

    from candidate_cards.cards import Renderer

    first, second = Renderer(), Renderer()
    first.themes.register(replace(get_theme("light"), name="acme"))
    assert first.render_cards([{"profileId": "p", "name": "Ann"}], "acme").theme == "acme"
    with pytest.raises(InvalidTheme, match="Unknown theme 'acme'"):
        second.render_cards([{"profileId": "p", "name": "Ann"}], "acme")
    assert "acme" not in theme_names()  # nor the module-level functions'


def test_a_theme_file_is_read_again_only_when_it_changes(tmp_path):
    import os

    from candidate_cards.themes import ThemeRegistry, theme_to_toml

    path = tmp_path / "brand.toml"
    path.write_text(theme_to_toml(get_theme("light")), encoding="utf-8")
    registry = ThemeRegistry()
    first = registry.get(path)
    assert registry.get(path) is first
    path.write_text(theme_to_toml(get_theme("dark")), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    changed = registry.get(path)
    assert changed is not first and changed.colors == get_theme("dark").colors
