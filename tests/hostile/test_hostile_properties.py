"""Property-based: any JSON anywhere gives a result or a typed error, and the HTML is inert."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from candidate_cards import (
    CandidateCardsError,
    load_candidates,
    parse_json,
    render_cards,
    theme_names,
)
from tests.hostile.hostile_checks import (
    FULL_CANDIDATE,
    RENDERERS,
    XSS_VECTORS,
    Renderer,
    as_read,
    assert_safe,
    render_or_error,
)

#: Every place a value can sit in a candidate, as a path of keys and list indexes.
FIELD_PATHS: list[tuple[str | int, ...]] = [
    *[(key,) for key in FULL_CANDIDATE],
    *[("skills", 0), ("aiFitPoints", 0), ("aiRedFlags", 0), ("emails", 0)],
    *[("aiDetailedRationale", 0, key) for key in FULL_CANDIDATE["aiDetailedRationale"][0]],
    *[("detailedExperience", 0, key) for key in FULL_CANDIDATE["detailedExperience"][0]],
    ("detailedExperience", 0, "highlights", 0),
    ("aiDetailedRationale", 0),
    ("detailedExperience", 0),
]

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats()
    | st.text()
    | st.sampled_from(XSS_VECTORS)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
#: Text that mixes hostile fragments with arbitrary characters (no surrogates: not Unicode).
hostile_text = st.lists(st.sampled_from(XSS_VECTORS) | st.text(max_size=20), max_size=4).map(
    "".join
)


def _with(path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    """A deep copy of the full benign candidate with ``value`` at ``path``."""
    candidate = _copy(FULL_CANDIDATE)
    target = candidate
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return candidate


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


def _field_name(path: tuple[str | int, ...]) -> str:
    return "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path)[1:]


@pytest.mark.parametrize("renderer", RENDERERS, ids=lambda renderer: renderer.name)
@given(path=st.sampled_from(FIELD_PATHS), value=json_values)
def test_any_json_in_any_field(renderer: Renderer, path: tuple[str | int, ...], value: Any) -> None:
    """Any JSON value in any field: inert HTML, or a typed error naming that field."""
    result = render_or_error(renderer, [_with(path, value)])
    if isinstance(result, CandidateCardsError):
        assert result.code == "INVALID_RENDER_PAYLOAD", result
        assert any(_field_name(path) in detail.field for detail in result.details), result
    else:
        assert_safe(result, renderer)


@pytest.mark.parametrize("renderer", RENDERERS, ids=lambda renderer: renderer.name)
@given(
    fields=st.dictionaries(
        st.sampled_from([path for path in FIELD_PATHS if len(path) == 1]),
        hostile_text,
        min_size=1,
    )
)
def test_hostile_text_in_many_fields_is_shown_as_text(
    renderer: Renderer, fields: dict[tuple[str], str]
) -> None:
    """Hostile text in several fields at once renders inert, and the name survives as text."""
    candidate = _copy(FULL_CANDIDATE)
    for (key,), text in fields.items():
        candidate[key] = [text] if isinstance(candidate[key], list) else text
    result = render_or_error(renderer, [candidate])
    if isinstance(result, CandidateCardsError):
        assert result.code == "INVALID_RENDER_PAYLOAD", result
        return
    parsed = assert_safe(result, renderer)
    assert as_read(str(candidate["name"]).strip()) in parsed.text()


@given(payload=json_values, theme=st.sampled_from(theme_names()))
def test_any_json_payload_loads_or_is_refused(payload: Any, theme: str) -> None:
    """A whole payload of any shape: typed candidates and cards, or a typed error."""
    try:
        loaded = load_candidates(payload)
        html = render_cards(loaded.candidates, theme).html
    except CandidateCardsError:
        return
    assert_safe(html, RENDERERS[0])


@given(
    payload=st.fixed_dictionaries(
        {},
        optional={
            "profiles": json_values,
            "theme": json_values,
            "candidates": json_values,
            "data": json_values,
            "status": st.sampled_from(["completed", "processing", "failed"]) | json_values,
            "requestId": st.sampled_from(["req_1", "enr_1"]) | json_values,
            "profileId": json_values,
            "name": json_values,
        },
    )
)
def test_payloads_near_every_known_shape_load_or_are_refused(payload: dict[str, Any]) -> None:
    """Payloads that nearly look like each API shape: never an untyped exception."""
    try:
        load_candidates(payload)
    except CandidateCardsError as error:
        assert error.message


@given(data=st.binary(max_size=200) | json_values.map(lambda v: repr(v).encode()))
def test_any_bytes_parse_or_are_refused(data: bytes) -> None:
    """``parse_json`` on any bytes: a value, or INVALID_RENDER_PAYLOAD naming the source."""
    try:
        parse_json(data, source="in.json")
    except CandidateCardsError as error:
        assert error.code == "INVALID_RENDER_PAYLOAD"
        assert error.message.startswith("in.json: ")
