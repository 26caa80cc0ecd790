"""Who sent a webhook: an HMAC-SHA256 of the raw body with the shared secret.

InstaView's documentation does not describe a signature, so this is the common scheme
(GitHub's, among others): ``X-Signature-256: sha256=<hex digest>``. To adapt it to another
scheme, replace :func:`verify_signature` (and :data:`SIGNATURE_HEADER`); nothing else reads
the header.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from ..apiconfig import read_key_file
from ..errors import InvalidApiConfig, InvalidServiceConfig

SIGNATURE_HEADER = "X-Signature-256"
_PREFIX = "sha256="


def sign(secret: bytes, body: bytes) -> str:
    """The header value a sender puts on ``body``: ``sha256=`` and the hex HMAC-SHA256."""
    return _PREFIX + hmac.new(secret, body, hashlib.sha256).hexdigest()


def verify_signature(secret: bytes, body: bytes, header: str | None) -> bool:
    """Whether ``header`` is the signature of exactly these bytes, compared in constant time."""
    if header is None or not header.startswith(_PREFIX):
        return False
    given = header.strip().encode("ascii", "replace")
    return hmac.compare_digest(sign(secret, body).encode("ascii"), given)


def read_secret(path: Path) -> bytes:
    """The shared secret from ``path``, surrounding whitespace stripped; never empty."""
    try:
        secret = read_key_file(path).strip()
    except InvalidApiConfig as exc:  # names the file, never its content
        raise InvalidServiceConfig(f"webhook secret: {exc.message}") from None
    if not secret:
        raise InvalidServiceConfig(f"webhook secret: {path} is empty")
    return secret.encode("utf-8")
