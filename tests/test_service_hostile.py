"""Hostile and malformed requests: the contract's status and envelope, never a 5xx or a trace."""

from __future__ import annotations

import asyncio
import inspect
import json
import re
import sys
from collections.abc import AsyncIterator

import anyio
import httpx
import pytest
from starlette.applications import Starlette

from candidate_cards import cli
from candidate_cards.errors import InvalidServiceConfig
from candidate_cards.service import BODY_TIMEOUT_SECONDS, create_app
from candidate_cards.service.openapi import NOT_BLANK_PATTERN
from tests.conftest import client_for
from tests.test_service import AUTH, KEYS, RENDER, CountingBody, assert_envelope, profile

pytestmark = pytest.mark.anyio

VALID = json.dumps({"profiles": [profile("p")]}).encode()


@pytest.fixture(scope="module")
def app() -> Starlette:
    return create_app(KEYS, access_log=False)


# --- routes and methods --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", f"{RENDER}/"),
        ("GET", "/openapi.json/"),
        ("GET", "/healthz/"),
        ("GET", "//healthz"),
        ("GET", "/%00"),
        ("GET", "/" + "a" * 10_000),
        ("POST", "/sourcing/render-html%2F"),
    ],
)
async def test_near_miss_paths_are_404s_never_redirects(
    client: httpx.AsyncClient, method: str, path: str
):
    """A trailing slash or odd path is a 404 envelope, not a redirect built from the Host header."""
    response = await client.request(
        method, path, content=VALID, headers={**AUTH, "Host": "evil.example"}
    )
    assert_envelope(response, 404, "NOT_FOUND")
    assert "location" not in response.headers


@pytest.mark.parametrize("method", ["PATCH", "DELETE", "TRACE", "CONNECT", "PROPFIND", "FOO"])
async def test_unknown_methods_are_enveloped_405s(client: httpx.AsyncClient, method: str):
    """Any method but POST on the render route, standard or invented, is a 405 envelope."""
    response = await client.request(method, RENDER, content=VALID, headers=AUTH)
    body = assert_envelope(response, 405, "METHOD_NOT_ALLOWED")
    assert method in body["message"]
    assert response.headers["allow"] == "POST"


# --- bodies that are not the contract's JSON -----------------------------------------------

PROFILE = b'{"profileId": "p", "name": "N"}'
SCORE = "profiles[0].matchScore"


@pytest.mark.parametrize(
    ("content", "field"),
    [
        # not an object with a list of profiles
        (b"[]", "$"),
        (b'"profiles"', "$"),
        (b"42", "$"),
        (b"null", "$"),
        (b"{}", "profiles"),
        (b'{"profiles": null}', "profiles"),
        (b'{"profiles": {"profileId": "p", "name": "N"}}', "profiles"),
        (b'{"profiles": "p"}', "profiles"),
        (b'{"profiles": [{"profileId": "p", "name": "N"}], "theme": 7}', "theme"),
        (b'{"profiles": [{"profileId": "p", "name": "N"}], "theme": ["light"]}', "theme"),
        (b'{"profiles": [{"profileId": "p", "name": "N", "matchScore": NaN}]}', "$"),
        (b'{"profiles": [], "profiles": []}', "$"),
        (b'{"profiles": [', "$"),
        (b"", "$"),
        (b"\xff\xfe{}", "$"),
        (b'{"profiles": ["p"]}', "profiles[0]"),
        # wrong types at the top and for profiles and theme
        (b"true", "$"),
        (b"3.5", "$"),
        (b'{"profiles": 7}', "profiles"),
        (b'{"profiles": true}', "profiles"),
        (b'{"profiles": {}}', "profiles"),
        (b'{"profiles": [' + PROFILE + b'], "theme": 1}', "theme"),
        (b'{"profiles": [' + PROFILE + b'], "theme": {"name": "dark"}}', "theme"),
        (b'{"profiles": [' + PROFILE + b'], "theme": false}', "theme"),
        (b'{"profiles": [7]}', "profiles[0]"),
        (b'{"profiles": [null]}', "profiles[0]"),
        (b'{"profiles": [[]]}', "profiles[0]"),
        (b'{"profiles": [{"profileId": 7, "name": "N"}]}', "profiles[0].profileId"),
        (b'{"profiles": [{"profileId": "p", "name": "N", "matchScore": "87"}]}', SCORE),
        (b'{"profiles": [{"profileId": "p", "name": "N", "matchScore": true}]}', SCORE),
        (b'{"profiles": [{"profileId": "p", "name": "N", "skills": "Go"}]}', "profiles[0].skills"),
        # duplicate keys at any depth
        (b'{"profiles": [{"profileId": "p", "profileId": "q", "name": "N"}]}', "$"),
        (b'{"profiles": [' + PROFILE + b'], "theme": "dark", "theme": "light"}', "$"),
        (
            b'{"profiles": [{"profileId": "p", "name": "N", '
            b'"detailedExperience": [{"role": "a", "role": "b"}]}]}',
            "$",
        ),
        # numbers JSON does not have, or no float can hold
        (b'{"profiles": [{"profileId": "p", "name": "N", "matchScore": Infinity}]}', "$"),
        (b'{"profiles": [{"profileId": "p", "name": "N", "matchScore": -Infinity}]}', "$"),
        (b'{"profiles": [{"profileId": "p", "name": "N", "matchScore": 1e400}]}', "$"),
        (
            b'{"profiles": [{"profileId": "p", "name": "N", "matchScore": ' + b"9" * 5000 + b"}]}",
            "$",
        ),
        (b'{"profiles": [{"profileId": "p", "name": "N", "matchScore": -1}]}', SCORE),
        (b'{"profiles": [{"profileId": "p", "name": "N", "matchScore": 100.5}]}', SCORE),
        # bytes that are not UTF-8, or not text at all
        (b'{"profiles": [{"profileId": "p", "name": "\xc0\xaf"}]}', "$"),
        (b'{"profiles": [{"profileId": "p", "name": "\xed\xa0\x80"}]}', "$"),
        (b'{"profiles": [{"profileId": "p", "name": "\xe2\x82"}]}', "$"),
        (b"\xef\xbb\xbf\xef\xbb\xbf" + b'{"profiles": [' + PROFILE + b"]}", "$"),
        (b"\xef\xbb\xbf", "$"),
        ('{"profiles": []}'.encode("utf-16"), "$"),
        (b"\x00", "$"),
        (b" \r\n\t ", "$"),
        # JSON that does not end where it should
        (b'{"profiles": [' + PROFILE + b"]} {}", "$"),
        (b'{"profiles": [' + PROFILE + b"]}\x00", "$"),
        (b'{"profiles": [' + PROFILE + b",]}", "$"),
        (b"{'profiles': []}", "$"),
        # strings that are valid JSON but not Unicode text
        (b'{"profiles": [{"profileId": "p", "name": "\\ud800"}]}', "profiles[0].name"),
    ],
)
async def test_malformed_bodies_are_named_400s(
    client: httpx.AsyncClient, content: bytes, field: str
):
    """Each malformed body is INVALID_RENDER_PAYLOAD whose details name where it went wrong."""
    response = await client.post(RENDER, content=content, headers=AUTH)
    body = assert_envelope(response, 400, "INVALID_RENDER_PAYLOAD")
    assert body["details"][0]["field"] == field, body


@pytest.mark.parametrize(
    "content_type",
    [
        "",
        ";",
        "application/json; charset=utf-16",
        "multipart/form-data; boundary=x",
        "application/json-patch+json",
        "application/problem+json",
        "*/*",
        "application/*",
    ],
)
async def test_wrong_content_types_are_415s(client: httpx.AsyncClient, content_type: str):
    """Anything but application/json in UTF-8 is refused before the body is parsed."""
    headers = {**AUTH, "Content-Type": content_type}
    response = await client.post(RENDER, content=VALID, headers=headers)
    assert_envelope(response, 415, "UNSUPPORTED_MEDIA_TYPE")


# --- sizes ---------------------------------------------------------------------------------


async def test_a_body_that_lies_about_its_size_is_still_cut_off():
    """A small Content-Length with a long chunked body cannot slip past the limit."""
    app = create_app(KEYS, max_body_bytes=1000, access_log=False)
    body = CountingBody(1000, 100)
    async with client_for(app) as client:
        response = await client.post(RENDER, content=body, headers={**AUTH, "Content-Length": "10"})
    assert_envelope(response, 413, "PAYLOAD_TOO_LARGE")  # the rest is drained, not rendered


@pytest.mark.parametrize("declared", ["-1", "1e3", "0x10", " 5", "99999999999999999999999"])
async def test_odd_content_length_values_are_never_a_fault(
    client: httpx.AsyncClient, declared: str
):
    """A Content-Length the server lets through unparsed is never trusted, never a 5xx."""
    response = await client.post(
        RENDER, content=VALID, headers={**AUTH, "Content-Length": declared}
    )
    assert response.status_code in {200, 413}, response.text
    if response.status_code == 413:
        assert_envelope(response, 413, "PAYLOAD_TOO_LARGE")


# --- slow bodies (in-process; tests/test_serve.py has them over the wire) -------------------


async def test_a_stalled_body_is_a_408_that_closes_the_connection():
    """A client that stops mid-body gets REQUEST_TIMEOUT once the body timeout passes."""
    app = create_app(KEYS, body_timeout=0.2, access_log=False)

    async def stall() -> AsyncIterator[bytes]:
        yield VALID[:10]
        await asyncio.sleep(30)
        yield VALID[10:]

    async with client_for(app) as client:
        with anyio.fail_after(10):
            response = await client.post(RENDER, content=stall(), headers=AUTH)
        body = assert_envelope(response, 408, "REQUEST_TIMEOUT")
        assert "10 bytes received" in body["message"]
        assert response.headers["connection"] == "close"
        assert (await client.post(RENDER, content=VALID, headers=AUTH)).status_code == 200


async def test_a_body_that_arrives_in_time_in_pieces_is_read():
    """Slow but steady within the timeout is fine: the timeout is not a per-chunk guess."""
    app = create_app(KEYS, body_timeout=5, access_log=False)

    async def trickle() -> AsyncIterator[bytes]:
        for start in range(0, len(VALID), 8):
            await asyncio.sleep(0.005)
            yield VALID[start : start + 8]

    async with client_for(app) as client:
        response = await client.post(RENDER, content=trickle(), headers=AUTH)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("timeout", [0, -1, float("nan"), float("inf")])
def test_a_body_timeout_that_is_not_a_positive_number_is_refused(timeout: float):
    """A zero, negative, NaN or infinite timeout would refuse every body or bound none."""
    with pytest.raises(InvalidServiceConfig, match="body_timeout"):
        create_app(KEYS, body_timeout=timeout)


def test_the_cli_default_body_timeout_is_the_service_default():
    """``candidate-cards serve`` and ``create_app`` agree on the default timeout."""
    parameter = inspect.signature(cli.serve).parameters["body_timeout"]
    assert parameter.default == BODY_TIMEOUT_SECONDS
    assert 10 <= BODY_TIMEOUT_SECONDS <= 30


# --- the OpenAPI document says what the service does ---------------------------------------


def test_the_documented_name_pattern_is_the_blank_check_of_the_model():
    """The schema's "not blank" pattern agrees with ``str.strip`` on every code point."""
    pattern = re.compile(NOT_BLANK_PATTERN)
    disagree = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if bool(pattern.search(chr(code))) != bool(chr(code).strip())
    ]
    assert disagree == []
    assert re.search(NOT_BLANK_PATTERN, " \t\u3000x")
    assert not re.search(NOT_BLANK_PATTERN, " \t\u3000\x1c")


async def test_a_blank_name_is_refused_and_documented_as_such(client: httpx.AsyncClient):
    """A name the document's pattern rejects is one the service refuses, naming the field."""
    document = (await client.get("/openapi.json")).json()
    name = document["components"]["schemas"]["Candidate"]["properties"]["name"]
    assert name["pattern"] == NOT_BLANK_PATTERN
    content = json.dumps({"profiles": [{"profileId": "p", "name": " \x1c\u2028"}]}).encode()
    body = assert_envelope(
        await client.post(RENDER, content=content, headers=AUTH), 400, "INVALID_RENDER_PAYLOAD"
    )
    assert body["details"][0]["field"] == "profiles[0].name"
