"""API keys for the service: the keys file, hashed entries, scopes and refusing to start."""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path

import pytest

from candidate_cards.auth import ApiKeys, bearer_token, hash_key
from candidate_cards.errors import InvalidServiceConfig
from candidate_cards.service import create_app, serve
from tests.conftest import client_for


def write_keys(tmp_path: Path, content: object) -> Path:
    path = tmp_path / "keys.json"
    text = content if isinstance(content, str) else json.dumps(content)
    path.write_text(text, encoding="utf-8")
    return path


def test_hash_key_is_sha256_hex():
    assert hash_key("abc") == "sha256:" + hashlib.sha256(b"abc").hexdigest()


def test_plain_and_hashed_keys_from_a_file(tmp_path: Path):
    path = write_keys(
        tmp_path,
        {
            "plain-key-1": ["enrich:write"],
            "sha256:" + hash_key("hashed-key-2")[7:].upper(): ["a", "b"],
        },
    )
    keys = ApiKeys.from_file(path)
    assert keys.scopes("plain-key-1") == {"enrich:write"}
    assert keys.scopes("hashed-key-2") == {"a", "b"}
    assert keys.scopes("plain-key-2") is None
    assert keys.scopes(hash_key("hashed-key-2")) is None


def test_an_empty_scope_list_is_a_known_key_with_no_scopes():
    keys = ApiKeys.from_mapping({"k": []})
    assert keys.scopes("k") == frozenset()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "is not valid JSON"),
        ('["k"]', "expected a JSON object"),
        ("{}", "holds no keys"),
        ({"": ["enrich:write"]}, "non-empty string"),
        ({"sha256:abc": ["enrich:write"]}, "64 hex digits"),
        ({"has space": ["enrich:write"]}, "Authorization: Bearer"),
        ({"k": "enrich:write"}, "array of strings"),
        ({"k": ["enrich:write", 3]}, "non-empty string"),
    ],
)
def test_a_bad_keys_file_names_the_file_and_the_problem(tmp_path: Path, content, problem):
    path = write_keys(tmp_path, content)
    with pytest.raises(InvalidServiceConfig) as raised:
        ApiKeys.from_file(path)
    assert problem in raised.value.message
    assert str(path) in raised.value.message


def test_a_bad_entry_is_named_by_position_never_by_its_key(tmp_path: Path):
    path = write_keys(tmp_path, {"good-key": ["enrich:write"], "secret-key-value": "enrich:write"})
    with pytest.raises(InvalidServiceConfig, match="entry 2") as raised:
        ApiKeys.from_file(path)
    assert "secret-key-value" not in raised.value.message


def test_a_missing_keys_file_is_named(tmp_path: Path):
    with pytest.raises(InvalidServiceConfig, match="cannot be read"):
        ApiKeys.from_file(tmp_path / "absent.json")


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Bearer abc", "abc"),
        ("bearer abc==", "abc=="),
        ("BEARER a-b.c_d~e+f/g", "a-b.c_d~e+f/g"),
        (None, None),
        ("", None),
        ("Bearer", None),
        ("Bearer a b", None),
        ("Token abc", None),
        ("Bearer =abc", None),
    ],
)
def test_bearer_token(header: str | None, token: str | None):
    assert bearer_token(header) == token


def test_keys_come_from_the_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = write_keys(tmp_path, {"env-key": ["enrich:write"]})
    monkeypatch.setenv("CANDIDATE_CARDS_API_KEYS_FILE", str(path))
    app = create_app()
    request = {"profiles": [{"profileId": "p", "name": "N"}]}

    async def status(key: str) -> int:
        async with client_for(app) as client:
            headers = {"Authorization": f"Bearer {key}"}
            response = await client.post("/sourcing/render-html", json=request, headers=headers)
            return response.status_code

    assert asyncio.run(status("env-key")) == 200
    assert asyncio.run(status("other-key")) == 401


def test_no_keys_refuses_to_create_the_app(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("CANDIDATE_CARDS_API_KEYS_FILE", raising=False)
    with pytest.raises(InvalidServiceConfig, match=r"no_auth=True.*local development") as refused:
        create_app()
    assert "api_keys=" in refused.value.message and "api_keys_file=" in refused.value.message
    assert "--" not in refused.value.message  # its own parameters, not the CLI's flags


def test_serve_refuses_to_start_without_keys(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("CANDIDATE_CARDS_API_KEYS_FILE", raising=False)
    monkeypatch.setattr("uvicorn.run", pytest.fail)
    with pytest.raises(InvalidServiceConfig, match="No API keys configured"):
        serve(port=1)


def test_serve_refuses_a_bad_keys_file_before_starting(tmp_path: Path, monkeypatch):
    monkeypatch.setattr("uvicorn.run", pytest.fail)
    with pytest.raises(InvalidServiceConfig, match="holds no keys"):
        serve(port=1, api_keys_file=write_keys(tmp_path, {}))


def test_serve_refuses_zero_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("uvicorn.run", pytest.fail)
    with pytest.raises(InvalidServiceConfig, match="workers"):
        serve(workers=0, no_auth=True)
