"""Hostile and malformed requests: the contract's status and envelope, never a 5xx or a trace."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from candidate_cards.service import create_app
from tests.test_service import AUTH, KEYS, RENDER, assert_envelope, profile

pytestmark = pytest.mark.anyio

VALID = json.dumps({"profiles": [profile("p")]}).encode()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def app() -> Starlette:
    return create_app(KEYS, access_log=False)


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app)
    async with httpx.AsyncClient(transport=transport, base_url="http://cards.test") as client:
        yield client


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
