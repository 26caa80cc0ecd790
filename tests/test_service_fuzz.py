"""Whatever a client sends, the service answers 200 or a 4xx envelope: never a 500."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from candidate_cards.service import create_app
from tests.conftest import client_for

APP = create_app(no_auth=True, access_log=False)
FIELDS = [
    "profileId",
    "name",
    "headline",
    "location",
    "currentCompany",
    "currentRole",
    "rationale",
    "linkedinUrl",
    "matchScore",
    "skills",
    "aiFitPoints",
    "aiRedFlags",
    "emails",
    "aiDetailedRationale",
    "detailedExperience",
]
#: Any code point, lone surrogates included (JSON can carry them as \ud800 escapes).
TEXT = st.text(st.characters(codec=None, categories=None), max_size=40)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(TEXT | st.sampled_from(FIELDS), inner, max_size=4)
    ),
    max_leaves=12,
)
PROFILES = st.lists(
    st.fixed_dictionaries(
        {"profileId": TEXT, "name": TEXT}, optional={f: VALUES for f in FIELDS[2:]}
    ),
    max_size=12,
)
BODIES = (
    st.fixed_dictionaries(
        {"profiles": PROFILES | VALUES},
        optional={"theme": st.sampled_from(["dark", "light"]) | VALUES},
    )
    | VALUES
)


def post(body: bytes) -> httpx.Response:
    async def send() -> httpx.Response:
        async with client_for(APP) as client:
            headers = {"Content-Type": "application/json"}
            return await client.post("/sourcing/render-html", content=body, headers=headers)

    return asyncio.run(send())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BODIES)
def test_any_json_body_is_answered_200_or_400(payload: Any):
    response = post(json.dumps(payload).encode())
    assert response.status_code in {200, 400}, response.text
    body = response.json()
    if response.status_code == 400:
        assert list(body) == ["statusCode", "error", "message", "details"]
        assert body["error"] in {"INVALID_RENDER_PAYLOAD", "TOO_MANY_PROFILES", "INVALID_THEME"}
    else:
        assert body["count"] == len(payload["profiles"])


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_are_answered_200_or_400(content: bytes):
    assert post(content).status_code in {200, 400}
