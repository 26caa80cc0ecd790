"""Limits: every string and list has a maximum, and breaking one is an error naming the field."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest

from candidate_cards import Candidate, InvalidRenderPayload, TooManyProfiles, render_cards

README = Path(__file__).parents[2] / "README.md"


def _limits(schema: dict[str, Any], node: dict[str, Any], path: str) -> list[tuple[str, str, Any]]:
    """(field path, "chars" or "items", maximum) for every string and array under ``node``."""
    if "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    options = node.get("anyOf", [node])
    found: list[tuple[str, str, Any]] = []
    for option in options:
        if "$ref" in option:
            found += _limits(schema, option, path)
        elif option.get("type") == "string":
            found.append((path, "chars", option.get("maxLength")))
        elif option.get("type") == "array":
            found.append((path, "items", option.get("maxItems")))
            found += _limits(schema, option["items"], f"{path}[0]")
        elif option.get("type") == "object":
            for key, child in option.get("properties", {}).items():
                found += _limits(schema, child, f"{path}.{key}" if path else key)
    return found


SCHEMA = Candidate.model_json_schema(by_alias=True)
LIMITED = _limits(SCHEMA, SCHEMA, "")


def test_every_string_and_list_has_a_maximum() -> None:
    """No candidate string or list is unbounded, nested ones included."""
    assert len(LIMITED) >= 25
    assert [(path, kind) for path, kind, limit in LIMITED if not limit] == []


def _candidate_with(path: str, value: Any) -> dict[str, Any]:
    """A valid candidate with ``value`` at ``path`` (``a[0].b`` creates the list and object)."""
    candidate: dict[str, Any] = {"profileId": "p1", "name": "Ann Lee"}
    steps = re.findall(r"[^.\[\]]+|\[0\]", path)
    target: Any = candidate
    for step, following in zip(steps, [*steps[1:], None], strict=True):
        key = 0 if step == "[0]" else step
        child: Any = value if following is None else [] if following == "[0]" else {}
        if isinstance(target, list):
            target.append(child)
        else:
            target[key] = child
        target = child
    return candidate


def _value(kind: str, size: int) -> Any:
    """A string of ``size`` characters, or a list of ``size`` short strings."""
    return "x" * size if kind == "chars" else [f"v{n}" for n in range(size)]


@pytest.mark.parametrize(("path", "kind", "limit"), [row for row in LIMITED if row[0] != "$"])
def test_a_value_at_the_limit_renders_and_one_over_is_refused(
    path: str, kind: str, limit: int
) -> None:
    """At the maximum a field renders; one over is INVALID_RENDER_PAYLOAD naming that field."""
    at_limit = _value(kind, limit)
    if path.endswith(("aiDetailedRationale", "detailedExperience")):
        at_limit = [{} for _ in range(limit)]
    render_cards([_candidate_with(path, at_limit)])
    over = [*at_limit, at_limit[0]] if kind == "items" else at_limit + "x"
    with pytest.raises(InvalidRenderPayload) as caught:
        render_cards([_candidate_with(path, over)])
    fields = [detail.field for detail in caught.value.details]
    assert fields == [f"profiles[0].{path}"]
    what = "characters" if kind == "chars" else "items"
    assert f"at most {limit} {what}" in caught.value.details[0].message
    assert f"profiles[0].{path}" in caught.value.message


@pytest.mark.parametrize(
    ("score", "problem"),
    [
        (math.nan, "finite number"),
        (math.inf, "finite number"),
        (-math.inf, "finite number"),
        (-0.01, "greater than or equal to 0"),
        (-1, "greater than or equal to 0"),
        (100.001, "less than or equal to 100"),
        (101, "less than or equal to 100"),
        (10**400, "expected a number from 0 to 100, got a number (1000"),
        ("87", "expected a number from 0 to 100, got a string"),
        ("", "expected a number from 0 to 100, got a string"),
        (True, "expected a number from 0 to 100, got a boolean"),
        (False, "expected a number from 0 to 100, got a boolean"),
        ([87], "expected a number from 0 to 100, got an array"),
        ({"value": 87}, "expected a number from 0 to 100, got an object"),
    ],
    ids=repr,
)
def test_bad_scores_are_refused_by_name(score: Any, problem: str) -> None:
    """NaN, infinities, out-of-range, strings and booleans are not scores."""
    with pytest.raises(InvalidRenderPayload) as caught:
        render_cards([{"profileId": "p1", "name": "Ann", "matchScore": score}])
    [detail] = caught.value.details
    assert detail.field == "profiles[0].matchScore"
    assert problem in detail.message
    assert len(caught.value.message) < 200


@pytest.mark.parametrize("score", [0, 0.0, 49.5, 87.5, 100, 100.0])
def test_scores_on_and_inside_the_range_render(score: float) -> None:
    """Integers and decimals from 0 to 100 inclusive are scores."""
    html = render_cards([{"profileId": "p1", "name": "Ann", "matchScore": score}]).html
    assert f"{score:g}" in html


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("name", 5, "expected a string, got a number (5)"),
        ("name", True, "expected a string, got a boolean"),
        ("name", "   ", "must not be blank"),
        ("profileId", "", "at least 1 character"),
        ("profileId", 123, "expected a string, got a number (123)"),
        ("headline", ["a"], "expected a string, got an array"),
        ("skills", "Go, Kafka", "expected an array, got a string"),
        ("skills", {"0": "Go"}, "expected an array, got an object"),
        ("skills[0]", 1, "expected a string, got a number (1)"),
        ("emails[0]", False, "expected a string, got a boolean"),
        ("aiDetailedRationale[0]", "row", "expected an object, got a string"),
        ("detailedExperience[0].highlights", "x", "expected an array, got a string"),
        ("detailedExperience[0].highlights[0]", [["deep"]], "expected a string, got an array"),
        ("name", "Ann\ud800", "unpaired surrogate"),
    ],
)
def test_wrong_types_are_refused_by_name(field: str, value: Any, problem: str) -> None:
    """Numbers as strings, strings as lists, booleans as anything: refused, naming the field."""
    with pytest.raises(InvalidRenderPayload) as caught:
        render_cards([_candidate_with(field, value)])
    [detail] = caught.value.details
    assert detail.field == f"profiles[0].{field}"
    assert problem in detail.message


def test_more_than_ten_profiles_is_its_own_error() -> None:
    """Eleven profiles: TOO_MANY_PROFILES, before any profile is validated."""
    with pytest.raises(TooManyProfiles):
        render_cards([{"bad": n} for n in range(11)])


def test_readme_lists_the_limits_the_models_enforce() -> None:
    """The README's Security section states each maximum the models actually apply."""
    section = README.read_text(encoding="utf-8").split("## Security", 1)[1]
    stated: set[tuple[str, int]] = set()
    for fields, limit in re.findall(r"^\| (`.+?) \| ([\d,]+) \|$", section, re.M):
        parent = ""
        for field, items in re.findall(r"`([^`]+)`( \(items\))?", fields):
            field = parent + field if field.startswith(".") else field
            parent = field.rsplit(".", 1)[0]
            stated.add((field + items, int(limit.replace(",", ""))))
    enforced = {
        (path.replace("[0]", "[]") + ("" if kind == "chars" else " (items)"), limit)
        for path, kind, limit in LIMITED
    }
    assert stated == enforced
