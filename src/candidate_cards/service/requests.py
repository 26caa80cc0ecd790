"""Checks on a request before its body is read: the key, the media type, the size and time."""

from __future__ import annotations

from ..errors import (
    ErrorDetail,
    InsufficientScope,
    InvalidRenderPayload,
    PayloadTooLarge,
    RequestTimeout,
    Unauthorized,
    UnsupportedMediaType,
    requires_extra,
)
from .auth import RENDER_SCOPE, ApiKeys, bearer_token
from .middleware import JSON

with requires_extra("serve"):  # without it: one line saying what to install
    import anyio
    from starlette.requests import ClientDisconnect, Request

#: How much of a refused (too large) body is read and dropped, so that the client, still
#: sending, can read the 413 instead of a connection reset; past either bound it closes.
DRAIN_BYTES = 16 * 1024 * 1024
DRAIN_SECONDS = 5.0


def authorize(keys: ApiKeys, authorization: str | None) -> None:
    """401 without a known bearer key, 403 when the key lacks the render scope."""
    token = bearer_token(authorization)
    if token is None:
        raise Unauthorized(
            "Missing or malformed Authorization header; send 'Authorization: Bearer <api key>'."
        )
    scopes = keys.scopes(token)
    if scopes is None:
        raise Unauthorized("Unknown API key.")
    if RENDER_SCOPE not in scopes:
        raise InsufficientScope(f"This API key lacks the {RENDER_SCOPE} scope.")


def require_json(content_type: str | None) -> None:
    """415 unless the body is declared ``application/json`` in UTF-8."""
    media_type, _, parameters = (content_type or "").partition(";")
    charset = ""
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    if media_type.strip().lower() != JSON or charset not in {"", "utf-8", "utf8"}:
        got = f"Unsupported media type {content_type!r}" if content_type else "No Content-Type"
        raise UnsupportedMediaType(f"{got}: send the body as application/json (UTF-8).")


async def read_body(request: Request, limit: int, timeout: float) -> bytes:
    """The body: 413 once it is known to exceed ``limit`` bytes, 408 if not in by ``timeout`` s."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        # Drain what can be drained; nothing is sent when the client awaits 100 Continue.
        expects_continue = request.headers.get("expect", "").lower() == "100-continue"
        if int(declared) <= DRAIN_BYTES and not expects_continue:
            await _drain(request)
        raise _too_large(limit)
    body = bytearray()
    try:
        with anyio.fail_after(timeout):
            async for chunk in request.stream():
                body += chunk
                if len(body) > limit:
                    await _drain(request)
                    raise _too_large(limit)
    except TimeoutError:
        raise RequestTimeout(
            f"Request timeout: the body did not arrive within {timeout:g} s "
            f"({len(body)} bytes received)."
        ) from None
    except ClientDisconnect:
        raise InvalidRenderPayload(
            "Request body incomplete: the client disconnected.",
            [ErrorDetail("$", "the body ended early")],
        ) from None
    return bytes(body)


async def _drain(request: Request) -> None:
    """Read and drop the rest of a refused body, within :data:`DRAIN_BYTES` and
    :data:`DRAIN_SECONDS`.

    Clients such as urllib and requests send the whole body before they read a response:
    closing while they still send resets the connection and they never see the 413.
    Reading the rest first (nginx's lingering close does the same) lets them read it.
    """
    drained = 0
    with anyio.move_on_after(DRAIN_SECONDS):
        while drained <= DRAIN_BYTES:
            message = await request.receive()
            if message["type"] != "http.request":
                return
            drained += len(message.get("body", b""))
            if not message.get("more_body", False):
                return


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"Payload too large: the request body is over {limit} bytes.")
