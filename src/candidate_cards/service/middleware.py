"""The service's middleware: a request id on every answer, faults as envelopes, an access log."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

from ..errors import (
    CandidateCardsError,
    InsufficientScope,
    InternalError,
    PayloadTooLarge,
    RequestTimeout,
    Unauthorized,
    requires_extra,
)
from .auth import RENDER_SCOPE

with requires_extra("serve"):  # without it: one line saying what to install
    import orjson
    from starlette.responses import Response
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("candidate_cards.service")
access_logger = logging.getLogger("candidate_cards.access")

#: Where a request's id and its error code are kept in the ASGI scope.
REQUEST_ID = "candidate_cards.request_id"
_ERROR_CODE = "candidate_cards.error"
_CLIENT_REQUEST_ID = re.compile(rb"[A-Za-z0-9._:@/+=-]{1,128}")
JSON = "application/json"


def new_request_id() -> str:
    """A fresh ``rnd_<uuid>`` request id, as the contract spells it."""
    return f"rnd_{uuid.uuid4()}"


def error_response(scope: Scope, error: CandidateCardsError) -> Response:
    """The contract's error envelope for ``error``, with the headers its status calls for."""
    scope[_ERROR_CODE] = error.code
    headers: dict[str, str] = {}
    if isinstance(error, InsufficientScope):
        headers["WWW-Authenticate"] = f'Bearer error="insufficient_scope", scope="{RENDER_SCOPE}"'
    elif isinstance(error, Unauthorized):
        headers["WWW-Authenticate"] = 'Bearer realm="candidate-cards"'
    elif isinstance(error, PayloadTooLarge | RequestTimeout):
        headers["Connection"] = "close"  # the rest of the body is not read: end the connection
    return Response(
        orjson.dumps(error.to_dict()),
        status_code=error.status_code,
        media_type=JSON,
        headers=headers,
    )


class RequestContext:
    """Pure ASGI middleware: request id, ``X-Request-Id``, the access log, faults as envelopes."""

    def __init__(self, app: ASGIApp, *, access_log: bool = True) -> None:
        self.app = app
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = new_request_id()
        scope[REQUEST_ID] = request_id
        client_id = _client_request_id(scope)
        header_id = (client_id or request_id).encode("ascii")
        response: dict[str, int] = {"status": 0, "bytes": 0}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                response["status"] = message["status"]
                message = {
                    **message,
                    "headers": [*message.get("headers", ()), (b"x-request-id", header_id)],
                }
            elif message["type"] == "http.response.body":
                response["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            logger.exception(
                "Unexpected fault answering %s %s (requestId %s)",
                scope["method"],
                scope["path"],
                request_id,
            )
            if not response["status"]:
                fault = InternalError(
                    f"An unexpected error occurred; quote requestId {request_id} when reporting it."
                )
                await error_response(scope, fault)(scope, receive, send_with_id)
        if self.access_log:
            _log_access(scope, request_id, client_id, response, started)


def _client_request_id(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            return value.decode("ascii") if _CLIENT_REQUEST_ID.fullmatch(value) else None
    return None


def _log_access(
    scope: Scope,
    request_id: str,
    client_id: str | None,
    response: dict[str, int],
    started: float,
) -> None:
    client = scope.get("client")
    access_logger.info(
        json.dumps(
            {
                "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "requestId": request_id,
                "clientRequestId": client_id,
                "method": scope["method"],
                "path": scope["path"],
                "status": response["status"],
                "error": scope.get(_ERROR_CODE),
                "bytes": response["bytes"],
                "durationMs": round((time.perf_counter() - started) * 1000, 3),
                "client": client[0] if client else None,
            },
            separators=(",", ":"),
        )
    )
