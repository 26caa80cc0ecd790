"""load_candidates: every payload shape the sourcing API produces, and every way it can be wrong."""

from __future__ import annotations

import pytest

from candidate_cards import (
    Candidate,
    InvalidRenderPayload,
    RunFailed,
    RunInProgress,
    load_candidates,
)
from tests.conftest import load_fixture


def test_sourcing_results_give_candidates_in_rank_order_with_run_info():
    result = load_candidates(load_fixture("sourcing-completed.json"))
    assert [c.match_score for c in result.candidates] == sorted(
        (c.match_score for c in result.candidates), reverse=True
    )
    assert len(result.candidates) == 14
    assert result.candidates[0].name == "Priya Raman"
    assert result.run.request_id == "req_33b81afb-1025-4167-bf76-40ca179354fa"
    assert (result.run.found_count, result.run.scored_count) == (115, 20)
    assert result.shape == "sourcing"
    assert result.failures == ()


def test_camel_case_fields_are_read_as_they_arrive():
    candidate = load_candidates(load_fixture("sourcing-completed.json")).candidates[0]
    assert candidate.profile_id == "prof_c6b70268-5555"
    assert candidate.current_company == "Ledgerline"
    assert candidate.ai_fit_points[0].startswith("Led migration")
    assert candidate.ai_detailed_rationale[0].relevance_explanation.startswith("Card authorization")
    assert candidate.detailed_experience[0].highlights[1].startswith("Cut settlement")


def test_processing_run_raises_a_typed_error_with_the_run():
    with pytest.raises(RunInProgress) as caught:
        load_candidates(load_fixture("sourcing-processing.json"))
    assert caught.value.code == "RUN_IN_PROGRESS"
    assert caught.value.request_id == "req_f97a7c5a-1539-4bb9-b6f1-d4ffbc543a36"
    assert "still processing" in caught.value.message


@pytest.mark.parametrize(
    ("fixture", "api_code"),
    [
        ("sourcing-failed.json", "PROVIDER_TEMPORARILY_UNAVAILABLE"),
        ("enrich-failed.json", "INTERNAL_ERROR"),
    ],
)
def test_failed_runs_carry_the_api_code_and_message(fixture, api_code):
    with pytest.raises(RunFailed) as caught:
        load_candidates(load_fixture(fixture))
    assert caught.value.code == "RUN_FAILED"
    assert caught.value.api_error_code == api_code
    assert api_code in caught.value.message
    assert caught.value.api_error_message


def test_processing_enrichment_is_recognised_without_data():
    payload = {"success": True, "requestId": "enr_1", "status": "processing", "message": "wait"}
    with pytest.raises(RunInProgress, match="Enrichment run enr_1"):
        load_candidates(payload)


def test_enrichment_keeps_failed_profiles_as_failures_never_dropped():
    result = load_candidates(load_fixture("enrich-partial.json"))
    assert [c.name for c in result.candidates] == ["Mateus Oliveira", "Emily Tran"]
    assert [(f.profile_id, f.error_code) for f in result.failures] == [
        ("prof_452c7160-e811", "PROFILE_NOT_FOUND"),
        ("prof_df4500b9-fbdd", "ENRICHMENT_TIMEOUT"),
    ]
    assert all(f.message for f in result.failures)
    assert result.run.kind == "enrichment"


def test_render_request_gives_profiles_and_theme():
    result = load_candidates(load_fixture("render-request.json"))
    assert len(result.candidates) == 3
    assert result.theme == "light"
    assert load_candidates(load_fixture("render-request-default-theme.json")).theme is None


def test_single_candidate_and_list():
    single = load_candidates({"profileId": "p1", "name": "Sam"})
    assert [c.profile_id for c in single.candidates] == ["p1"]
    many = load_candidates(load_fixture("edge/scores.json"))
    assert len(many.candidates) == 5


def test_unknown_keys_are_ignored_and_null_is_absent():
    candidate = load_candidates(
        {
            "profileId": "p1",
            "name": "Sam",
            "futureField": {"x": 1},
            "skills": None,
            "emails": ["a@example.com", None],
            "matchScore": None,
        }
    ).candidates[0]
    assert candidate.skills == []
    assert candidate.emails == ["a@example.com"]
    assert candidate.match_score is None


def test_every_invalid_profile_is_named_by_its_path():
    with pytest.raises(InvalidRenderPayload) as caught:
        load_candidates(load_fixture("render-request-invalid.json"))
    fields = [d.field for d in caught.value.details]
    assert fields == ["profiles[0].matchScore", "profiles[1].skills", "profiles[2].profileId"]
    assert caught.value.message.startswith("Validation failed: profiles[0].matchScore")
    assert "(and 2 more)" in caught.value.message


@pytest.mark.parametrize(
    ("candidate", "field", "words"),
    [
        ({"profileId": "p", "name": "   "}, "name", "blank"),
        ({"profileId": "", "name": "A"}, "profileId", "at least 1"),
        ({"name": "A"}, "profileId", "required"),
        ({"profileId": "p", "name": "A", "matchScore": 100.5}, "matchScore", "100"),
        ({"profileId": "p", "name": "A", "matchScore": -1}, "matchScore", "0"),
        ({"profileId": "p", "name": "A", "matchScore": True}, "matchScore", "boolean"),
        ({"profileId": "p", "name": "A", "matchScore": "87"}, "matchScore", "string"),
        ({"profileId": "p", "name": 7}, "name", "number"),
        ({"profileId": "p", "name": "A", "skills": "Go"}, "skills", "array"),
        ({"profileId": "p", "name": "A", "skills": ["Go", 3]}, "skills[1]", "string"),
        (
            {"profileId": "p", "name": "A", "detailedExperience": [{"highlights": [1]}]},
            "detailedExperience[0].highlights[0]",
            "string",
        ),
        (
            {"profileId": "p", "name": "A", "aiDetailedRationale": ["x"]},
            "aiDetailedRationale[0]",
            "",
        ),
        ({"profileId": "p", "name": "A", "skills": ["x"] * 201}, "skills", "200"),
        ({"profileId": "p", "name": "A" * 501}, "name", "500"),
    ],
)
def test_field_problems_name_the_field(candidate, field, words):
    with pytest.raises(InvalidRenderPayload) as caught:
        load_candidates({"profiles": [candidate]})
    detail = caught.value.details[0]
    assert detail.field == f"profiles[0].{field}"
    assert words in detail.message


def test_both_integer_and_decimal_scores_are_accepted():
    result = load_candidates(load_fixture("edge/scores.json"))
    assert [c.match_score for c in result.candidates] == [0, 100, 49.5, 87.25, None]


@pytest.mark.parametrize("payload", [42, "text", None, {"hello": "world"}])
def test_unrecognised_payloads_are_refused(payload):
    with pytest.raises(InvalidRenderPayload) as caught:
        load_candidates(payload)
    assert caught.value.code == "INVALID_RENDER_PAYLOAD"


def test_profiles_that_is_not_an_array_is_refused():
    with pytest.raises(InvalidRenderPayload, match="profiles must be an array"):
        load_candidates({"profiles": {"profileId": "p"}})


@pytest.mark.parametrize("key", ["candidates", "data"])
@pytest.mark.parametrize("value", [{}, "", 0, False, {"profileId": "p"}])
def test_a_run_array_that_is_not_an_array_is_refused_alike(key, value):
    """Sourcing and enrichment results read their arrays by one rule: null is empty."""
    run = {"requestId": "run_1", "status": "completed", key: value}
    with pytest.raises(InvalidRenderPayload, match=f"{key} must be an array") as caught:
        load_candidates(run)
    assert caught.value.details[0].field == key
    assert load_candidates({**run, key: None}).candidates == ()


def test_non_object_profile_is_named():
    with pytest.raises(InvalidRenderPayload) as caught:
        load_candidates([{"profileId": "p", "name": "A"}, "oops"])
    assert caught.value.details[0].field == "[1]"


def test_candidate_models_pass_through_unchanged():
    model = Candidate(profile_id="p", name="A")
    assert load_candidates([model]).candidates == (model,)


@pytest.mark.parametrize(
    ("name", "shape"),
    [
        ("render-request.json", "render-request"),
        ("sourcing-completed.json", "sourcing"),
        ("enrich-completed.json", "enrichment"),
        ("enrich-partial.json", "enrichment"),
    ],
)
def test_a_streamed_file_and_a_parsed_value_are_the_same_shape(name, shape):
    import io
    import json

    from candidate_cards.inputs import PayloadReader

    payload = load_fixture(name)
    reader = PayloadReader(io.BytesIO(json.dumps(payload).encode()), name)
    streamed = list(reader.candidates())
    loaded = load_candidates(payload)
    assert reader.shape == loaded.shape == shape
    assert [c.profile_id for c in streamed] == [c.profile_id for c in loaded.candidates]


def test_a_render_request_is_checked_with_the_same_messages_by_the_loader_and_the_service():
    from candidate_cards.shapes import render_request

    bad = {"profiles": [], "theme": 7}
    with pytest.raises(InvalidRenderPayload) as loaded:
        load_candidates(bad)
    with pytest.raises(InvalidRenderPayload) as checked:
        render_request(bad)
    assert loaded.value.to_dict() == checked.value.to_dict()
    assert loaded.value.details[0].field == "theme"
