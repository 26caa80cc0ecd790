"""Where the sourcing API is and which key to use: from the environment or a key file.

The key comes from ``INSTAVIEW_API_KEY`` or a key file (surrounding whitespace stripped),
never from a command-line argument, where other users could read it in the process list.
It is kept out of every ``repr`` and message.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from .errors import InvalidApiConfig

DEFAULT_API_URL = "https://api.instaview.sk"
KEY_VARIABLE = "INSTAVIEW_API_KEY"
URL_VARIABLE = "INSTAVIEW_API_URL"


@dataclass(frozen=True, slots=True)
class ApiConfig:
    """The API's base URL and the bearer key (never shown by ``repr``)."""

    base_url: str
    api_key: str = field(repr=False)


def api_config(
    *,
    key_file: Path | None = None,
    api_url: str | None = None,
    environ: Mapping[str, str] = os.environ,
) -> ApiConfig:
    """The key from ``key_file`` or the env; the URL from ``api_url``, the env or the default."""
    key = read_key_file(key_file) if key_file is not None else environ.get(KEY_VARIABLE, "")
    source = str(key_file) if key_file is not None else f"${KEY_VARIABLE}"
    key = key.strip()
    if not key:
        raise InvalidApiConfig(
            f"no API key: set {KEY_VARIABLE} or pass --api-key-file"
            if key_file is None and KEY_VARIABLE not in environ
            else f"no API key: {source} is empty"
        )
    if not key.isascii() or not key.isprintable() or any(char.isspace() for char in key):
        raise InvalidApiConfig(
            f"the API key in {source} has spaces, control or non-ASCII characters"
        )
    return ApiConfig(
        base_url=check_url(api_url or environ.get(URL_VARIABLE) or DEFAULT_API_URL), api_key=key
    )


def read_key_file(path: Path) -> str:
    """A key file's text; errors name the file, never its content."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidApiConfig(f"{path}: no such key file") from None
    except (OSError, UnicodeDecodeError) as exc:
        problem = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise InvalidApiConfig(f"{path}: cannot be read ({problem})") from None


def check_url(url: str) -> str:
    """``url`` without a trailing slash, when it is an http(s) URL with a host."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        parsed = None
    if parsed is None or parsed.scheme not in {"http", "https"} or not parsed.host:
        raise InvalidApiConfig(f"API URL {url!r} is not an http:// or https:// URL")
    return url.rstrip("/")
