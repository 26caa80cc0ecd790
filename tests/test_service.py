"""The HTTP service against the render-html contract, through httpx's ASGI transport."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate as validate_spec
from starlette.applications import Starlette
from starlette.routing import Mount

from candidate_cards import render_cards
from candidate_cards.auth import hash_key
from candidate_cards.service import DRAIN_BYTES, create_app
from tests.conftest import FIXTURES, client_for, load_fixture

pytestmark = pytest.mark.anyio

RENDER = "/sourcing/render-html"
WRITER = "ck_test_writer_0123456789"
READER = "ck_test_reader_0123456789"
HASHED_WRITER = "ck_test_hashed_writer_9876543210"
KEYS = {
    WRITER: ["enrich:write"],
    READER: ["enrich:read"],
    hash_key(HASHED_WRITER): ["enrich:write"],
}
JSON = {"Content-Type": "application/json"}
AUTH = {**JSON, "Authorization": f"Bearer {WRITER}"}
REQUEST_ID = re.compile(r"rnd_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
ENVELOPE_KEYS = ["statusCode", "error", "message", "details"]


@pytest.fixture(scope="module")
def app() -> Starlette:
    return create_app(KEYS)


def assert_envelope(response: httpx.Response, status: int, error: str) -> dict[str, Any]:
    """The contract's error envelope, exactly, with a request id and no stack trace."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert list(body) == ENVELOPE_KEYS
    assert body["statusCode"] == status
    assert body["error"] == error
    assert body["message"]
    assert "Traceback" not in response.text
    assert REQUEST_ID.fullmatch(response.headers["x-request-id"])
    return body


def profile(profile_id: str, **fields: Any) -> dict[str, Any]:
    return {"profileId": profile_id, "name": f"Candidate {profile_id}", **fields}


def body_of(payload: Any) -> bytes:
    return json.dumps(payload).encode()


# --- success -------------------------------------------------------------------------------


async def test_render_request_fixture_renders_light_cards_in_order(client: httpx.AsyncClient):
    payload = load_fixture("render-request.json")
    response = await client.post(RENDER, content=body_of(payload), headers=AUTH)
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["success", "requestId", "theme", "count", "cards", "html"]
    expected = render_cards(payload["profiles"], "light")
    assert body["success"] is True
    assert REQUEST_ID.fullmatch(body["requestId"])
    assert response.headers["x-request-id"] == body["requestId"]
    assert body["theme"] == "light"
    assert body["count"] == 3
    assert [c["profileId"] for c in body["cards"]] == [p["profileId"] for p in payload["profiles"]]
    assert [c["html"] for c in body["cards"]] == [c.html for c in expected.cards]
    assert body["html"] == "\n".join(c["html"] for c in body["cards"])


async def test_theme_absent_or_null_means_dark(client: httpx.AsyncClient):
    payload = load_fixture("render-request-default-theme.json")
    response = await client.post(RENDER, content=body_of(payload), headers=AUTH)
    assert response.status_code == 200
    assert response.json()["theme"] == "dark"
    assert response.json()["count"] == 1
    payload["theme"] = None
    response = await client.post(RENDER, content=body_of(payload), headers=AUTH)
    assert response.json()["theme"] == "dark"


async def test_each_request_gets_its_own_request_id(client: httpx.AsyncClient):
    payload = body_of({"profiles": [profile("p1")]})
    first, second = [await client.post(RENDER, content=payload, headers=AUTH) for _ in range(2)]
    assert first.json()["requestId"] != second.json()["requestId"]


@pytest.mark.parametrize(
    "content_type", ["application/json; charset=utf-8", "Application/JSON", "application/json;"]
)
async def test_json_media_type_variants_are_accepted(client: httpx.AsyncClient, content_type):
    headers = {**AUTH, "Content-Type": content_type}
    response = await client.post(
        RENDER, content=body_of({"profiles": [profile("p")]}), headers=headers
    )
    assert response.status_code == 200


async def test_locale_field_chooses_the_cards_language(client: httpx.AsyncClient):
    payload = {"profiles": [profile("p1", matchScore=87.5, skills=[str(n) for n in range(11)])]}
    response = await client.post(
        RENDER,
        content=body_of({**payload, "locale": "sk"}),
        headers={**AUTH, "Accept-Language": "de"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-language"] == "sk"  # the body wins over the header
    assert "accept-language" in response.headers["vary"].lower()
    html = response.json()["html"]
    assert html == render_cards(payload["profiles"], "dark", locale="sk").html
    assert "87,5" in html and "+3&nbsp;ďalšie&nbsp;zručnosti" in html


@pytest.mark.parametrize(
    ("accept_language", "chosen"),
    [
        ("sk-SK,sk;q=0.9,en;q=0.8", "sk"),
        ("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", "fr"),
        ("xx, de;q=0.3, cs;q=0.6", "cs"),
        ("cs;q=0, ja", "ja"),
        ("tlh, *;q=0.1", "en"),
        ("", "en"),
    ],
)
async def test_accept_language_is_negotiated_when_the_body_names_no_locale(
    client: httpx.AsyncClient, accept_language: str, chosen: str
):
    headers = {**AUTH, "Accept-Language": accept_language}
    response = await client.post(
        RENDER, content=body_of({"profiles": [profile("p1")]}), headers=headers
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-language"] == chosen
    assert f'lang="{chosen}"' in response.json()["html"]


@pytest.mark.parametrize("locale", ["xx", "EN-GBX-", 7, ""])
async def test_an_unknown_locale_in_the_body_is_invalid_locale(client: httpx.AsyncClient, locale):
    payload = {"profiles": [profile("p1")], "locale": locale}
    response = await client.post(RENDER, content=body_of(payload), headers=AUTH)
    body = assert_envelope(response, 400, "INVALID_LOCALE")
    assert "en, de, fr, es, pt, it, nl, pl, cs, sk, ar, ja" in body["message"]
    assert body["details"][0]["field"] == "locale"


async def test_byte_order_mark_and_unknown_keys_are_accepted(client: httpx.AsyncClient):
    payload = {"profiles": [profile("p", futureField={"x": 1})], "theme": "dark", "extra": 1}
    response = await client.post(RENDER, content=b"\xef\xbb\xbf" + body_of(payload), headers=AUTH)
    assert response.status_code == 200
    assert response.json()["cards"][0]["profileId"] == "p"


# --- every fixture -------------------------------------------------------------------------

FIXTURE_OUTCOMES = {
    "render-request.json": (200, None),
    "render-request-default-theme.json": (200, None),
    "render-request-11.json": (400, "TOO_MANY_PROFILES"),
    "render-request-empty.json": (400, "INVALID_RENDER_PAYLOAD"),
    "render-request-bad-theme.json": (400, "INVALID_THEME"),
    "render-request-invalid.json": (400, "INVALID_RENDER_PAYLOAD"),
}


def test_every_render_request_fixture_has_an_expected_outcome():
    assert {path.name for path in FIXTURES.glob("render-request*.json")} == set(FIXTURE_OUTCOMES)


@pytest.mark.parametrize("name", sorted(FIXTURE_OUTCOMES))
async def test_render_request_fixture(client: httpx.AsyncClient, name: str):
    status, error = FIXTURE_OUTCOMES[name]
    content = (FIXTURES / name).read_bytes()
    response = await client.post(RENDER, content=content, headers=AUTH)
    if error is None:
        assert response.status_code == 200
        assert response.json()["count"] == len(json.loads(content)["profiles"])
    else:
        assert_envelope(response, status, error)


# --- 400 -----------------------------------------------------------------------------------


async def test_invalid_profiles_are_each_named_by_field(client: httpx.AsyncClient):
    content = (FIXTURES / "render-request-invalid.json").read_bytes()
    body = assert_envelope(
        await client.post(RENDER, content=content, headers=AUTH), 400, "INVALID_RENDER_PAYLOAD"
    )
    fields = {detail["field"] for detail in body["details"]}
    assert {"profiles[0].matchScore", "profiles[1].skills", "profiles[2].profileId"} <= fields
    assert all(list(detail) == ["field", "message"] for detail in body["details"])


async def test_eleven_profiles_are_too_many(client: httpx.AsyncClient):
    content = (FIXTURES / "render-request-11.json").read_bytes()
    body = assert_envelope(
        await client.post(RENDER, content=content, headers=AUTH), 400, "TOO_MANY_PROFILES"
    )
    assert body["message"] == "Validation failed: at most 10 profiles per request, got 11."


async def test_unknown_theme_lists_the_known_themes(client: httpx.AsyncClient):
    content = (FIXTURES / "render-request-bad-theme.json").read_bytes()
    body = assert_envelope(
        await client.post(RENDER, content=content, headers=AUTH), 400, "INVALID_THEME"
    )
    assert "sepia" in body["message"]
    assert "dark" in body["message"] and "light" in body["message"]


@pytest.mark.parametrize("theme", ["../themes/dark.toml", "/etc/passwd", "themes/light.toml"])
async def test_theme_is_a_name_never_a_path(client: httpx.AsyncClient, theme: str):
    payload = body_of({"profiles": [profile("p")], "theme": theme})
    response = await client.post(RENDER, content=payload, headers=AUTH)
    assert_envelope(response, 400, "INVALID_THEME")


async def test_empty_profiles_are_invalid(client: httpx.AsyncClient):
    response = await client.post(RENDER, content=b'{"profiles": []}', headers=AUTH)
    body = assert_envelope(response, 400, "INVALID_RENDER_PAYLOAD")
    assert body["details"] == [{"field": "profiles", "message": "must not be empty"}]


async def test_duplicate_profile_id_is_invalid(client: httpx.AsyncClient):
    payload = body_of({"profiles": [profile("same"), profile("other"), profile("same")]})
    body = assert_envelope(
        await client.post(RENDER, content=payload, headers=AUTH), 400, "INVALID_RENDER_PAYLOAD"
    )
    assert body["details"][0]["field"] == "profiles[2].profileId"


async def test_deeply_nested_json_is_refused_not_crashed(client: httpx.AsyncClient):
    content = b'{"profiles": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = await client.post(RENDER, content=content, headers=AUTH)
    assert_envelope(response, 400, "INVALID_RENDER_PAYLOAD")


# --- 401 and 403 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        f"Basic {WRITER}",
        f"Bearer {WRITER} extra",
        f"Bearer {WRITER}x",
        "Bearer ck_unknown_key",
        f"Bearer {hash_key(HASHED_WRITER)}",
        f"Bearer {HASHED_WRITER.upper()}",
    ],
)
async def test_missing_malformed_or_unknown_keys_are_unauthorized(
    client: httpx.AsyncClient, authorization: str | None
):
    headers = dict(JSON) if authorization is None else {**JSON, "Authorization": authorization}
    response = await client.post(
        RENDER, content=body_of({"profiles": [profile("p")]}), headers=headers
    )
    assert_envelope(response, 401, "UNAUTHORIZED")
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_hashed_key_is_accepted(client: httpx.AsyncClient):
    headers = {**JSON, "Authorization": f"Bearer {HASHED_WRITER}"}
    response = await client.post(
        RENDER, content=body_of({"profiles": [profile("p")]}), headers=headers
    )
    assert response.status_code == 200


async def test_bearer_scheme_is_case_insensitive(client: httpx.AsyncClient):
    headers = {**JSON, "Authorization": f"bearer {WRITER}"}
    response = await client.post(
        RENDER, content=body_of({"profiles": [profile("p")]}), headers=headers
    )
    assert response.status_code == 200


async def test_key_without_enrich_write_is_forbidden(client: httpx.AsyncClient):
    headers = {**JSON, "Authorization": f"Bearer {READER}"}
    response = await client.post(
        RENDER, content=body_of({"profiles": [profile("p")]}), headers=headers
    )
    assert_envelope(response, 403, "INSUFFICIENT_SCOPE")
    assert 'scope="enrich:write"' in response.headers["www-authenticate"]


async def test_auth_is_checked_before_the_body(client: httpx.AsyncClient):
    response = await client.post(
        RENDER, content=b"not json", headers={"Content-Type": "text/plain"}
    )
    assert_envelope(response, 401, "UNAUTHORIZED")


async def test_no_auth_mode_needs_no_key(caplog: pytest.LogCaptureFixture):
    with caplog.at_level(logging.WARNING, logger="candidate_cards.service"):
        app = create_app(no_auth=True)
    assert "local development" in caplog.text
    async with client_for(app) as client:
        content = body_of({"profiles": [profile("p")]})
        response = await client.post(RENDER, content=content, headers=JSON)
        assert response.status_code == 200
        document = (await client.get("/openapi.json")).json()
        assert "security" not in document["paths"][RENDER]["post"]


class CountingBody:
    """A streamed request body of ``chunks`` runs of ``size`` spaces; counts what was pulled."""

    def __init__(self, chunks: int, size: int) -> None:
        self.chunks, self.size, self.sent = chunks, size, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(self.chunks):
            self.sent += self.size
            yield b" " * self.size


# --- 413 -----------------------------------------------------------------------------------


async def test_declared_content_length_past_what_is_drained_is_refused_before_reading(
    client: httpx.AsyncClient,
):
    body = CountingBody(800, 65536)
    assert DRAIN_BYTES < 800 * 65536
    headers = {**AUTH, "Content-Length": str(800 * 65536)}
    response = await client.post(RENDER, content=body, headers=headers)
    assert_envelope(response, 413, "PAYLOAD_TOO_LARGE")
    assert body.sent == 0


async def test_huge_streamed_body_is_refused_without_reading_it_all(client: httpx.AsyncClient):
    """Past the limit, at most DRAIN_BYTES more are read (so the client sees the 413)."""
    chunk = 65536
    body = CountingBody(50 * 1024 * 1024 // chunk, chunk)
    response = await client.post(RENDER, content=body, headers=AUTH)
    assert "content-length" not in response.request.headers
    assert_envelope(response, 413, "PAYLOAD_TOO_LARGE")
    assert body.sent <= 1024 * 1024 + DRAIN_BYTES + 2 * chunk < 50 * 1024 * 1024


async def test_body_exactly_at_the_limit_is_read():
    """The limit is exact, and a refused body closes the connection: the rest is never read."""
    payload = body_of({"profiles": [profile("p")]})
    app = create_app(KEYS, max_body_bytes=len(payload) + 10)
    async with client_for(app) as client:
        at_limit = await client.post(RENDER, content=payload + b" " * 10, headers=AUTH)
        over = await client.post(RENDER, content=payload + b" " * 11, headers=AUTH)
    assert at_limit.status_code == 200
    assert_envelope(over, 413, "PAYLOAD_TOO_LARGE")
    assert over.headers["connection"] == "close"


# --- 415 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/jsonx",
        "text/json",
        "application/json; charset=latin-1",
    ],
)
async def test_non_json_media_types_are_unsupported(
    client: httpx.AsyncClient, content_type: str | None
):
    headers = {"Authorization": f"Bearer {WRITER}"}
    if content_type is not None:
        headers["Content-Type"] = content_type
    response = await client.post(
        RENDER, content=body_of({"profiles": [profile("p")]}), headers=headers
    )
    assert_envelope(response, 415, "UNSUPPORTED_MEDIA_TYPE")


# --- routes, methods, faults ---------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/sourcing", "/sourcing/render-html/x", "/render-html"])
async def test_unknown_routes_are_enveloped_404s(client: httpx.AsyncClient, path: str):
    assert_envelope(await client.post(path, headers=AUTH), 404, "NOT_FOUND")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", RENDER),
        ("PUT", RENDER),
        ("OPTIONS", RENDER),
        ("POST", "/healthz"),
        ("DELETE", "/openapi.json"),
    ],
)
async def test_wrong_methods_are_enveloped_405s(client: httpx.AsyncClient, method, path):
    response = await client.request(method, path, headers=AUTH)
    assert_envelope(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"]


async def test_unexpected_fault_is_an_internal_error_envelope(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr("candidate_cards.cards.Renderer.render_cards", broken)
    with caplog.at_level(logging.ERROR, logger="candidate_cards.service"):
        response = await client.post(
            RENDER, content=body_of({"profiles": [profile("p")]}), headers=AUTH
        )
    body = assert_envelope(response, 500, "INTERNAL_ERROR")
    assert "secret" not in response.text
    assert response.headers["x-request-id"] in body["message"]
    assert "secret internal detail" in caplog.text


# --- operational ---------------------------------------------------------------------------


async def test_health(client: httpx.AsyncClient):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert REQUEST_ID.fullmatch(response.headers["x-request-id"])


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("GET", "/healthz", {}),
        ("GET", "/openapi.json", {}),
        ("GET", "/missing", {}),
        ("POST", RENDER, {}),
        ("POST", RENDER, JSON),
        ("POST", RENDER, AUTH),
    ],
)
async def test_client_request_id_is_echoed_on_every_response(
    client: httpx.AsyncClient, method: str, path: str, headers: dict[str, str]
):
    sent = {**headers, "X-Request-Id": "trace-42.abc:def/7"}
    response = await client.request(method, path, headers=sent, content=b"{}")
    assert response.headers["x-request-id"] == "trace-42.abc:def/7"


@pytest.mark.parametrize("request_id", ["", "has space", "x" * 129, 'quote"', "ünïcode", "naïve"])
async def test_insane_client_request_id_is_replaced(client: httpx.AsyncClient, request_id: str):
    """The document does not restrict X-Request-Id: an odd one is replaced, never refused."""
    headers = {**AUTH, "X-Request-Id": request_id.encode("utf-8")}
    content = body_of({"profiles": [profile("p")]})
    response = await client.post(RENDER, content=content, headers=headers)
    assert response.status_code == 200
    assert response.headers["x-request-id"] == response.json()["requestId"]


async def test_echoed_request_id_leaves_the_body_request_id_alone(client: httpx.AsyncClient):
    headers = {**AUTH, "X-Request-Id": "client-1"}
    response = await client.post(
        RENDER, content=body_of({"profiles": [profile("p")]}), headers=headers
    )
    assert response.headers["x-request-id"] == "client-1"
    assert REQUEST_ID.fullmatch(response.json()["requestId"])


async def test_one_json_access_line_per_request(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
):
    with caplog.at_level(logging.INFO, logger="candidate_cards.access"):
        ok = await client.post(RENDER, content=body_of({"profiles": [profile("p")]}), headers=AUTH)
        await client.post(RENDER, content=b"{}", headers={**JSON, "X-Request-Id": "mine"})
    lines = [
        json.loads(r.getMessage()) for r in caplog.records if r.name == "candidate_cards.access"
    ]
    assert len(lines) == 2
    assert lines[0]["requestId"] == ok.json()["requestId"]
    assert (lines[0]["method"], lines[0]["path"], lines[0]["status"]) == ("POST", RENDER, 200)
    assert lines[0]["error"] is None and lines[0]["bytes"] == len(ok.content)
    assert lines[0]["durationMs"] > 0
    assert (lines[1]["status"], lines[1]["error"], lines[1]["clientRequestId"]) == (
        401,
        "UNAUTHORIZED",
        "mine",
    )


async def test_access_log_can_be_switched_off(caplog: pytest.LogCaptureFixture):
    app = create_app(KEYS, access_log=False)
    async with client_for(app) as client:
        with caplog.at_level(logging.INFO, logger="candidate_cards.access"):
            await client.get("/healthz")
    assert not [r for r in caplog.records if r.name == "candidate_cards.access"]


async def test_hundred_concurrent_requests_are_each_answered_correctly(
    client: httpx.AsyncClient,
):
    async def one(n: int) -> None:
        ids = [f"req{n}-p{i}" for i in range(1 + n % 10)]
        payload = {"profiles": [profile(i, matchScore=n % 101) for i in ids]}
        response = await client.post(RENDER, content=body_of(payload), headers=AUTH)
        assert response.status_code == 200
        body = response.json()
        assert [card["profileId"] for card in body["cards"]] == ids
        assert all(
            f"Candidate {i}" in card["html"] for i, card in zip(ids, body["cards"], strict=True)
        )
        request_ids.append(body["requestId"])

    request_ids: list[str] = []
    await asyncio.gather(*(one(n) for n in range(100)))
    assert len(set(request_ids)) == 100


async def test_mounted_under_a_prefix(app: Starlette):
    host = Starlette(routes=[Mount("/cards", app=app)])
    transport = httpx.ASGITransport(host)
    async with httpx.AsyncClient(transport=transport, base_url="http://host.test") as client:
        content = body_of({"profiles": [profile("p")]})
        response = await client.post(f"/cards{RENDER}", content=content, headers=AUTH)
        assert response.status_code == 200
        assert (await client.get("/cards/healthz")).json() == {"status": "ok"}


# --- OpenAPI -------------------------------------------------------------------------------


@pytest.fixture
async def openapi(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    return response.json()


def schema_validator(document: dict[str, Any], name: str) -> OAS31Validator:
    """A validator for one component schema, resolving refs inside the document."""
    return OAS31Validator({**document, "$ref": f"#/components/schemas/{name}"})


async def test_openapi_document_is_valid_3_1(openapi: dict[str, Any]):
    assert openapi["openapi"].startswith("3.1")
    validate_spec(openapi)


async def test_openapi_documents_every_status(openapi: dict[str, Any]):
    responses = openapi["paths"][RENDER]["post"]["responses"]
    assert set(responses) == {"200", "400", "401", "403", "405", "408", "413", "415", "500"}
    codes = {
        code
        for response in responses.values()
        for code in response["content"]["application/json"].get("examples", {})
    }
    assert {
        "INVALID_RENDER_PAYLOAD",
        "TOO_MANY_PROFILES",
        "INVALID_THEME",
        "UNAUTHORIZED",
        "INSUFFICIENT_SCOPE",
        "PAYLOAD_TOO_LARGE",
        "REQUEST_TIMEOUT",
        "UNSUPPORTED_MEDIA_TYPE",
        "INTERNAL_ERROR",
    } <= codes


async def test_real_bodies_match_the_openapi_schemas(
    client: httpx.AsyncClient, openapi: dict[str, Any]
):
    payload = load_fixture("render-request.json")
    ok = await client.post(RENDER, content=body_of(payload), headers=AUTH)
    schema_validator(openapi, "RenderResponse").validate(ok.json())
    schema_validator(openapi, "RenderRequest").validate(payload)
    for profile_payload in load_fixture("sourcing-completed.json")["candidates"]:
        schema_validator(openapi, "Candidate").validate(profile_payload)
    bad = await client.post(
        RENDER, content=(FIXTURES / "render-request-invalid.json").read_bytes(), headers=AUTH
    )
    schema_validator(openapi, "Error").validate(bad.json())
    request_schema = schema_validator(openapi, "RenderRequest")
    assert not request_schema.is_valid({"profiles": []})
    assert not request_schema.is_valid({"profiles": [profile("p")], "theme": "sepia"})


async def test_null_counts_as_absent_in_the_schema_as_in_the_service(
    client: httpx.AsyncClient, openapi: dict[str, Any]
):
    """The contract's rule, in the published schema too: null keys and null list items."""
    nulls = {
        "profiles": [
            {
                "profileId": "p",
                "name": "Ann Lee",
                "location": None,
                "skills": [None, "Go"],
                "emails": None,
                "detailedExperience": [None, {"role": "Engineer", "highlights": None}],
            }
        ],
        "theme": None,
    }
    schema_validator(openapi, "RenderRequest").validate(nulls)
    response = await client.post(RENDER, content=body_of(nulls), headers=AUTH)
    assert response.status_code == 200 and response.json()["count"] == 1
    assert not schema_validator(openapi, "RenderRequest").is_valid({"profiles": [None]})
    refused = await client.post(RENDER, content=body_of({"profiles": [None]}), headers=AUTH)
    assert refused.status_code == 400


async def test_the_documented_request_example_is_accepted(
    client: httpx.AsyncClient, openapi: dict[str, Any]
):
    """Every example in the document is valid against its schema and rendered by the service."""
    content = openapi["paths"][RENDER]["post"]["requestBody"]["content"]["application/json"]
    assert content["examples"], "the request body has fixed examples (schemathesis runs them)"
    for example in content["examples"].values():
        schema_validator(openapi, "RenderRequest").validate(example["value"])
        response = await client.post(RENDER, content=body_of(example["value"]), headers=AUTH)
        assert response.status_code == 200, response.text


async def test_head_health_has_headers_and_no_body(client: httpx.AsyncClient):
    response = await client.head("/healthz")
    assert response.status_code == 200
    assert response.content == b""
    assert REQUEST_ID.fullmatch(response.headers["x-request-id"])
