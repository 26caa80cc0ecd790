"""Malformed payloads: each refused with a typed error that names the field or the file."""

from __future__ import annotations

import pytest

from candidate_cards import InvalidRenderPayload, parse_json, render_cards


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty"),
        (b" \n\t", "empty"),
        (b"\xef\xbb\xbf", "empty"),
        (b'{"name": "\xff"}', "not valid UTF-8 (byte 10)"),
        (b"\xfe\xff\x00{", "not valid UTF-8"),
        (b"\xff\xfe{}", "not valid UTF-8"),
        (b'{"a": NaN}', "NaN is not a JSON number"),
        (b'{"a": -Infinity}', "-Infinity is not a JSON number"),
        (b'{"x": Infinity}', "Infinity is not a JSON number"),
        (b'{"a": 1, "a": 2}', "duplicate key 'a'"),
        (b'{"a": 1e400}', "the number 1e400 is out of range"),
        (b'{"a": -' + b"9" * 5000 + b"}", "a number with 5000 digits is out of range"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"a": 1', "not valid JSON"),
        (b"{nope", "not valid JSON"),
        (b"{'a': 1}", "not valid JSON"),
    ],
)
def test_bad_json_is_refused_naming_the_source(data: bytes, problem: str) -> None:
    """Every malformed input is one typed error naming the source and the problem."""
    with pytest.raises(InvalidRenderPayload) as caught:
        parse_json(data, source="cards.json")
    assert caught.value.code == "INVALID_RENDER_PAYLOAD"
    assert caught.value.message.startswith("cards.json: ")
    assert problem in caught.value.message
    assert len(caught.value.message) < 200


def test_a_utf8_bom_is_accepted() -> None:
    """A BOM, which Windows editors write, is not an error."""
    assert parse_json(b'\xef\xbb\xbf{"profileId": "p"}') == {"profileId": "p"}
    assert parse_json('\ufeff[1.5, 2, "x"]') == [1.5, 2, "x"]


def test_every_problem_of_every_profile_is_named_at_once() -> None:
    """Several broken profiles: one error, every problem listed by its path."""
    profiles = [
        {"profileId": "a", "name": "A", "matchScore": "high"},
        {"profileId": "b", "name": "B"},
        {"name": "C", "skills": "x"},
        {"profileId": "a", "name": "D"},
    ]
    with pytest.raises(InvalidRenderPayload) as caught:
        render_cards(profiles)
    assert [detail.field for detail in caught.value.details] == [
        "profiles[0].matchScore",
        "profiles[2].profileId",
        "profiles[2].skills",
        "profiles[3].profileId",
    ]
    assert caught.value.message.endswith("(and 3 more).")
