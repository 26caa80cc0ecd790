"""The HTTP service: ``POST /sourcing/render-html`` under the render-html contract.

``create_app()`` gives a Starlette ASGI app to mount anywhere; ``serve()`` runs it under
uvicorn. Every response carries ``X-Request-Id``; every error, including unknown routes and
faults of our own, is the contract's envelope ``{statusCode, error, message, details}``.
Requests are checked in this order: bearer key (401), scope (403), media type (415), size
(413, from ``Content-Length`` and again while the body streams in), the time the body takes
to arrive (408), then the body (400).
"""

from __future__ import annotations

import copy
import json
import logging
import logging.config
import os
import re
import time
import uuid
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from typing import Any

from .auth import API_KEYS_ENV, RENDER_SCOPE, ApiKeys, bearer_token
from .cards import card_template, render_cards
from .errors import (
    CandidateCardsError,
    ErrorDetail,
    InsufficientScope,
    InternalError,
    InvalidRenderPayload,
    InvalidServiceConfig,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    RequestTimeout,
    Unauthorized,
    UnsupportedMediaType,
    requires_extra,
)
from .openapi import HEALTH_PATH, OPENAPI_PATH, RENDER_PATH, openapi_document
from .payloads import json_type, parse_json
from .themes import DEFAULT_THEME, builtin_theme_names, get_theme, theme_names
from .webhooks import WEBHOOK_PATH, WebhookReceiver, WebhookSettings
from .webhooks.config import webhook_settings

with requires_extra("serve"):  # without it: one line saying what to install
    import anyio
    import orjson
    import uvicorn
    import uvicorn.config
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.middleware import Middleware
    from starlette.requests import ClientDisconnect, Request
    from starlette.responses import Response
    from starlette.routing import Route
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The contract's request size limit.
MAX_BODY_BYTES = 1024 * 1024
#: Seconds the whole request body may take to arrive: at least 35 KB/s for a full 1 MiB.
BODY_TIMEOUT_SECONDS = 30.0
#: How much of a refused (too large) body is read and dropped, so that the client, still
#: sending, can read the 413 instead of a connection reset; past either bound it closes.
DRAIN_BYTES = 16 * 1024 * 1024
DRAIN_SECONDS = 5.0
#: How long ``serve`` lets in-flight requests finish after SIGINT/SIGTERM.
GRACEFUL_SHUTDOWN_SECONDS = 10

logger = logging.getLogger("candidate_cards.service")
access_logger = logging.getLogger("candidate_cards.access")

_REQUEST_ID = "candidate_cards.request_id"
_ERROR_CODE = "candidate_cards.error"
_CLIENT_REQUEST_ID = re.compile(rb"[A-Za-z0-9._:@/+=-]{1,128}")
_JSON = "application/json"
_WORKER_CONFIG = "CANDIDATE_CARDS_SERVE_WORKER_CONFIG"


def new_request_id() -> str:
    """A fresh ``rnd_<uuid>`` request id, as the contract spells it."""
    return f"rnd_{uuid.uuid4()}"


def create_app(
    api_keys: Mapping[str, Iterable[str]] | ApiKeys | None = None,
    *,
    api_keys_file: str | os.PathLike[str] | None = None,
    no_auth: bool = False,
    max_body_bytes: int = MAX_BODY_BYTES,
    body_timeout: float = BODY_TIMEOUT_SECONDS,
    access_log: bool = True,
    webhook: WebhookSettings | None = None,
) -> Starlette:
    """The service as an ASGI app, for ``serve`` or for mounting in another ASGI app.

    Keys come from ``api_keys`` (``{"<key or sha256:hex>": ["enrich:write"]}``), else the
    JSON file ``api_keys_file``, else the file named by ``$CANDIDATE_CARDS_API_KEYS_FILE``.
    With none of them, raises :class:`InvalidServiceConfig` unless ``no_auth`` is set.
    A body that has not arrived in full ``body_timeout`` seconds after the route starts
    reading it is answered 408 and the connection closed, so a stalled client holds
    nothing for long. With ``webhook``, ``POST /webhooks/instaview`` receives run events;
    its workers stop with the app's lifespan.
    """
    keys = None if no_auth else resolve_api_keys(api_keys, api_keys_file)
    if no_auth:
        logger.warning(
            "Authentication is disabled (no_auth): anyone who can reach this server can "
            "render. Use this for local development only."
        )
    _check_limits(max_body_bytes, body_timeout)
    for name in builtin_theme_names():
        card_template(get_theme(name))
    document = openapi_document(
        themes=theme_names(), max_body_bytes=max_body_bytes, auth=keys is not None
    )
    openapi_body = orjson.dumps(document)
    health_body = orjson.dumps({"status": "ok"})

    async def render_html(request: Request) -> Response:
        try:
            if keys is not None:
                _authorize(keys, request.headers.get("authorization"))
            _require_json(request.headers.get("content-type"))
            body = await _read_body(request, max_body_bytes, body_timeout)
            profiles, theme = _render_request(parse_json(body, "Request body"))
            # On the event loop: ~1.5 ms of GIL-bound work gains no parallelism from a thread,
            # and run_in_threadpool measured ~10% more server CPU per request.
            result = render_cards(profiles, theme)
        except CandidateCardsError as exc:
            return error_response(request.scope, exc)
        payload = {"success": True, "requestId": request.scope[_REQUEST_ID], **result.to_dict()}
        return Response(orjson.dumps(payload), media_type=_JSON)

    async def health(_request: Request) -> Response:
        return Response(health_body, media_type=_JSON, headers={"Cache-Control": "no-store"})

    async def openapi(_request: Request) -> Response:
        return Response(openapi_body, media_type=_JSON)

    routes = [
        Route(RENDER_PATH, render_html, methods=["POST"]),
        Route(HEALTH_PATH, health, methods=["GET"]),
        Route(OPENAPI_PATH, openapi, methods=["GET"]),
    ]
    receiver = WebhookReceiver(webhook) if webhook is not None else None
    if receiver is not None:
        routes.append(Route(WEBHOOK_PATH, receiver.handle, methods=["POST"]))

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        if receiver is not None:
            await receiver.aclose()

    service = Starlette(
        routes=routes,
        middleware=[Middleware(RequestContext, access_log=access_log)],
        exception_handlers={HTTPException: _route_error},
        lifespan=lifespan,
    )
    # Starlette would answer "/healthz/" with a body-less 307 to a URL built from the Host
    # header; every unknown path is the contract's 404 envelope instead.
    service.router.redirect_slashes = False
    return service


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    api_keys_file: str | os.PathLike[str] | None = None,
    no_auth: bool = False,
    *,
    body_timeout: float = BODY_TIMEOUT_SECONDS,
    access_log: bool = True,
    log_level: str = "info",
    webhook: Mapping[str, Any] | None = None,
) -> None:
    """Run the service under uvicorn until SIGINT/SIGTERM, then finish in-flight requests.

    Refuses to start (:class:`InvalidServiceConfig`) without keys unless ``no_auth``; the keys
    file is read here first, so a bad file fails before any worker starts. ``webhook``
    holds :func:`~candidate_cards.webhooks.config.webhook_settings`' arguments, checked
    here too.
    """
    if workers < 1:
        raise InvalidServiceConfig(f"workers must be at least 1, got {workers}.")
    _check_limits(MAX_BODY_BYTES, body_timeout)
    keys: ApiKeys | None = None
    keys_file = None
    if not no_auth:
        keys_file = api_keys_file or os.environ.get(API_KEYS_ENV)
        keys = resolve_api_keys(None, keys_file)
        keys_file = os.path.abspath(os.fspath(keys_file))
    settings = webhook_settings(**webhook) if webhook is not None else None
    log_config = logging_config(log_level)
    logging.config.dictConfig(log_config)
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_config": log_config,
        "access_log": False,
        "server_header": False,
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_SECONDS,
    }
    if workers == 1:
        app = create_app(
            keys,
            no_auth=no_auth,
            body_timeout=body_timeout,
            access_log=access_log,
            webhook=settings,
        )
        uvicorn.run(app, **options)
        return
    os.environ[_WORKER_CONFIG] = json.dumps(
        {
            "api_keys_file": keys_file,
            "no_auth": no_auth,
            "body_timeout": body_timeout,
            "access_log": access_log,
            "webhook": dict(webhook) if webhook is not None else None,
        }
    )
    uvicorn.run(f"{__name__}:_worker_app", factory=True, workers=workers, **options)


def _check_limits(max_body_bytes: int, body_timeout: float) -> None:
    """Refuse limits that would refuse every request or none, before anything starts."""
    if max_body_bytes < 1:
        raise InvalidServiceConfig(f"max_body_bytes must be positive, got {max_body_bytes}.")
    if not 0 < body_timeout < float("inf"):
        raise InvalidServiceConfig(
            f"body_timeout must be a positive number of seconds, got {body_timeout}."
        )


def _worker_app() -> Starlette:
    """The app in one of ``serve``'s worker processes, configured by the parent."""
    config = json.loads(os.environ[_WORKER_CONFIG])
    return create_app(
        api_keys_file=config["api_keys_file"],
        no_auth=config["no_auth"],
        body_timeout=config["body_timeout"],
        access_log=config["access_log"],
        webhook=webhook_settings(**config["webhook"]) if config["webhook"] else None,
    )


def logging_config(level: str = "info") -> dict[str, Any]:
    """uvicorn's logging, plus ours: warnings to stderr, one JSON access line per request."""
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["formatters"]["message"] = {"format": "%(message)s"}
    config["handlers"]["access_json"] = {
        "class": "logging.StreamHandler",
        "formatter": "message",
        "stream": "ext://sys.stdout",
    }
    config["loggers"]["candidate_cards"] = {
        "handlers": ["default"],
        "level": level.upper(),
        "propagate": False,
    }
    config["loggers"]["candidate_cards.access"] = {
        "handlers": ["access_json"],
        "level": "INFO",
        "propagate": False,
    }
    return config


def resolve_api_keys(
    api_keys: Mapping[str, Iterable[str]] | ApiKeys | None,
    api_keys_file: str | os.PathLike[str] | None,
) -> ApiKeys:
    """The keys to enforce: given ones, else the file, else ``$CANDIDATE_CARDS_API_KEYS_FILE``."""
    if isinstance(api_keys, ApiKeys):
        return api_keys
    if api_keys is not None:
        return ApiKeys.from_mapping(api_keys)
    path = api_keys_file or os.environ.get(API_KEYS_ENV)
    if not path:
        raise InvalidServiceConfig(
            "No API keys configured: pass api_keys={'<key>': ['enrich:write']} or "
            f"api_keys_file='keys.json', or set {API_KEYS_ENV} to such a JSON file; "
            "no_auth=True runs without keys, for local development only."
        )
    return ApiKeys.from_file(path)


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
        media_type=_JSON,
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
        scope[_REQUEST_ID] = request_id
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


async def _route_error(request: Request, exc: HTTPException) -> Response:
    """Starlette's 404 and 405 as the contract's envelope."""
    if exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        error: CandidateCardsError = MethodNotAllowed(
            f"{request.method} is not allowed on {request.url.path}; allowed: {allowed}."
        )
    else:
        error = NotFound(f"No route {request.url.path}; the service answers POST {RENDER_PATH}.")
    response = error_response(request.scope, error)
    response.headers.update(exc.headers or {})
    return response


def _authorize(keys: ApiKeys, authorization: str | None) -> None:
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


def _require_json(content_type: str | None) -> None:
    media_type, _, parameters = (content_type or "").partition(";")
    charset = ""
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    if media_type.strip().lower() != _JSON or charset not in {"", "utf-8", "utf8"}:
        got = f"Unsupported media type {content_type!r}" if content_type else "No Content-Type"
        raise UnsupportedMediaType(f"{got}: send the body as application/json (UTF-8).")


async def _read_body(request: Request, limit: int, timeout: float) -> bytes:
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


def _render_request(payload: Any) -> tuple[list[Any], str]:
    """Check the request's own shape; ``render_cards`` checks the profiles."""
    if not isinstance(payload, dict):
        raise InvalidRenderPayload(
            f"Validation failed: the request body must be a JSON object, got {json_type(payload)}.",
            [ErrorDetail("$", "expected an object with profiles and an optional theme")],
        )
    profiles = payload.get("profiles")
    if profiles is None:
        raise InvalidRenderPayload(
            "Validation failed: profiles is required.", [ErrorDetail("profiles", "required")]
        )
    if not isinstance(profiles, list):
        raise InvalidRenderPayload(
            "Validation failed: profiles must be an array of candidate objects.",
            [ErrorDetail("profiles", "expected an array of candidate objects")],
        )
    theme = payload.get("theme")
    if theme is None:
        theme = DEFAULT_THEME
    elif not isinstance(theme, str):
        raise InvalidRenderPayload(
            "Validation failed: theme must be a string.",
            [ErrorDetail("theme", "expected a string such as dark or light")],
        )
    return profiles, theme


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
