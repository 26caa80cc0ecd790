"""API keys for the HTTP service: load them from a JSON file, check a bearer key in constant time.

The file maps each key to its scopes; a key may be stored as its SHA-256 digest so the
plaintext need not sit on disk::

    {
      "ck_live_4f9a2c71e0b34d8a": ["enrich:write"],
      "sha256:9f86d081884c7d659a2feb15c2b7a30f4b8a4a0d0a0b7e2a1c4f6e8d0b2a4c6e": ["enrich:write"]
    }

Every key is kept only as a digest, and a lookup compares the presented key's digest with
every stored digest (no early exit), so timing says nothing about which key nearly matched.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InvalidServiceConfig

#: The environment variable naming the keys file when no file is given explicitly.
API_KEYS_ENV = "CANDIDATE_CARDS_API_KEYS_FILE"
#: The scope that gates ``POST /sourcing/render-html``.
RENDER_SCOPE = "enrich:write"

HASH_PREFIX = "sha256:"
_HEX_DIGEST = re.compile(r"[0-9a-fA-F]{64}")
#: RFC 6750's b64token: what fits after ``Bearer `` in an Authorization header.
_BEARER_TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")


def hash_key(key: str) -> str:
    """The ``sha256:<hex>`` form of a plaintext key, for storing it hashed."""
    return HASH_PREFIX + _digest(key).hex()


def _digest(key: str) -> bytes:
    """A key's SHA-256: what is stored and compared, never the key itself."""
    return hashlib.sha256(key.encode("utf-8")).digest()


@dataclass(frozen=True, slots=True)
class ApiKeys:
    """Stored key digests and their scopes."""

    entries: tuple[tuple[bytes, frozenset[str]], ...]

    @classmethod
    def from_mapping(cls, keys: Mapping[str, Iterable[str]], source: str = "API keys") -> ApiKeys:
        """Read ``{"<key or sha256:hex>": ["scope", ...]}``; raise InvalidServiceConfig if bad."""
        if not isinstance(keys, Mapping):
            raise InvalidServiceConfig(
                f"{source}: expected a JSON object mapping each key to its scopes, "
                f"got {type(keys).__name__}."
            )
        entries = [
            _entry(key, scopes, f"{source}: entry {n}")
            for n, (key, scopes) in enumerate(keys.items(), start=1)
        ]
        if not entries:
            raise InvalidServiceConfig(f"{source}: holds no keys.")
        return cls(tuple(entries))

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> ApiKeys:
        """Load a keys file; every problem names the file and the entry, never a key."""
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise InvalidServiceConfig(
                f"API keys file {os.fspath(path)!r} cannot be read: {exc.strerror or exc}."
            ) from None
        except UnicodeDecodeError:
            raise InvalidServiceConfig(
                f"API keys file {os.fspath(path)!r} is not UTF-8 text."
            ) from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidServiceConfig(
                f"API keys file {os.fspath(path)!r} is not valid JSON: {exc.msg} "
                f"(line {exc.lineno}, column {exc.colno})."
            ) from None
        return cls.from_mapping(data, f"API keys file {os.fspath(path)!r}")

    def scopes(self, presented: str) -> frozenset[str] | None:
        """The scopes of ``presented``, or None if it is no known key; constant time."""
        digest = _digest(presented)
        found: frozenset[str] | None = None
        for stored, scopes in self.entries:
            if hmac.compare_digest(stored, digest):
                found = scopes
        return found


def bearer_token(header: str | None) -> str | None:
    """The key in an ``Authorization: Bearer <key>`` header, or None if missing or malformed."""
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    token = token.strip(" ")
    if scheme.lower() != "bearer" or not _BEARER_TOKEN.fullmatch(token):
        return None
    return token


def _entry(key: Any, scopes: Any, where: str) -> tuple[bytes, frozenset[str]]:
    if not isinstance(key, str) or not key:
        raise InvalidServiceConfig(f"{where}: a key must be a non-empty string.")
    if key.startswith(HASH_PREFIX):
        hex_digest = key.removeprefix(HASH_PREFIX)
        if not _HEX_DIGEST.fullmatch(hex_digest):
            raise InvalidServiceConfig(
                f"{where}: a hashed key is 'sha256:' followed by 64 hex digits."
            )
        digest = bytes.fromhex(hex_digest)
    elif not _BEARER_TOKEN.fullmatch(key):
        raise InvalidServiceConfig(
            f"{where}: a key may hold only letters, digits and -._~+/ (then optional '='), "
            "so that it fits in an 'Authorization: Bearer' header."
        )
    else:
        digest = _digest(key)
    if not isinstance(scopes, list | tuple | set | frozenset):
        raise InvalidServiceConfig(
            f'{where}: scopes must be an array of strings, such as ["{RENDER_SCOPE}"].'
        )
    if not all(isinstance(scope, str) and scope for scope in scopes):
        raise InvalidServiceConfig(f"{where}: every scope must be a non-empty string.")
    return digest, frozenset(scopes)
