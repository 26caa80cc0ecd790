"""The ASGI app: ``POST /sourcing/render-html`` under the render-html contract.

``create_app()`` gives a Starlette ASGI app to mount anywhere (``run.serve()`` runs it under
uvicorn). Every response carries ``X-Request-Id``; every error, including unknown routes and
faults of our own, is the contract's envelope ``{statusCode, error, message, details}``.
Requests are checked in this order: bearer key (401), scope (403), media type (415), size
(413, from ``Content-Length`` and again while the body streams in), the time the body takes
to arrive (408), then the body (400).
"""

from __future__ import annotations

import dataclasses
import io
import os
from collections.abc import AsyncIterator, Collection, Iterable, Mapping
from contextlib import asynccontextmanager

from ..cards import DEFAULT_RENDERER, Renderer
from ..email import render_email
from ..errors import (
    CandidateCardsError,
    InvalidServiceConfig,
    MethodNotAllowed,
    NotFound,
    requires_extra,
)
from ..i18n import LOCALES, request_locale
from ..payloads import parse_json
from ..report import write_report
from ..shapes import render_request
from ..themes import DEFAULT_THEME
from ..usertemplates import SAMPLE, TemplateDir, sample_candidates, template_dir
from ..webhooks import WEBHOOK_PATH, WebhookReceiver, WebhookSettings
from .auth import API_KEYS_ENV, ApiKeys
from .middleware import JSON, REQUEST_ID, RequestContext, error_response, logger
from .openapi import HEALTH_PATH, OPENAPI_PATH, RENDER_PATH, openapi_document
from .requests import authorize, read_body, require_json

with requires_extra("serve"):  # without it: one line saying what to install
    import orjson
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.middleware import Middleware
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

#: The contract's request size limit.
MAX_BODY_BYTES = 1024 * 1024
#: Seconds the whole request body may take to arrive: at least 35 KB/s for a full 1 MiB.
BODY_TIMEOUT_SECONDS = 30.0


def create_app(
    api_keys: Mapping[str, Iterable[str]] | ApiKeys | None = None,
    *,
    api_keys_file: str | os.PathLike[str] | None = None,
    no_auth: bool = False,
    max_body_bytes: int = MAX_BODY_BYTES,
    body_timeout: float = BODY_TIMEOUT_SECONDS,
    access_log: bool = True,
    renderer: Renderer | None = None,
    webhook: WebhookSettings | None = None,
    templates: str | os.PathLike[str] | None = None,
    allow_css: Collection[str] = (),
) -> Starlette:
    """The service as an ASGI app, for ``serve`` or for mounting in another ASGI app.

    Keys come from ``api_keys`` (``{"<key or sha256:hex>": ["enrich:write"]}``), else the
    JSON file ``api_keys_file``, else the file named by ``$CANDIDATE_CARDS_API_KEYS_FILE``.
    With none of them, raises :class:`InvalidServiceConfig` unless ``no_auth`` is set.
    A body that has not arrived in full ``body_timeout`` seconds after the route starts
    reading it is answered 408 and the connection closed, so a stalled client holds
    nothing for long. ``renderer`` holds the themes it serves (the default one when omitted).
    With ``webhook``, ``POST /webhooks/instaview`` receives run events; its workers stop
    with the app's lifespan. ``templates`` is a directory of your own templates for the
    cards (and the receiver's report and e-mail), checked before the app is returned (see
    :func:`checked_templates`); ``allow_css`` as for :func:`render_cards`. The card
    template served (ours, or yours) is compiled here for every theme and locale, so no
    request compiles one.
    """
    keys = None if no_auth else resolve_api_keys(api_keys, api_keys_file)
    if no_auth:
        logger.warning(
            "Authentication is disabled (no_auth): anyone who can reach this server can "
            "render. Use this for local development only."
        )
    check_limits(max_body_bytes, body_timeout)
    renderer = renderer or DEFAULT_RENDERER
    overrides = None
    if templates is None:
        precompile(renderer)
    else:  # then every request renders with the user's templates, which this compiles
        overrides = checked_templates(templates, allow_css, renderer, webhook=webhook is not None)
        if webhook is not None:
            webhook = dataclasses.replace(webhook, templates=overrides)
    document = openapi_document(
        themes=renderer.themes.names(),
        max_body_bytes=max_body_bytes,
        auth=keys is not None,
        webhook=webhook is not None,
    )
    openapi_body = orjson.dumps(document)
    health_body = orjson.dumps({"status": "ok"})

    async def render_html(request: Request) -> Response:
        try:
            if keys is not None:
                authorize(keys, request.headers.get("authorization"))
            require_json(request.headers.get("content-type"))
            body = await read_body(request, max_body_bytes, body_timeout)
            parsed = parse_json(body, "Request body")
            profiles, theme = render_request(parsed)
            # Our addition to the contract: a "locale" field, else Accept-Language.
            asked = parsed.get("locale")
            locale = request_locale(asked, request.headers.get("accept-language"))
            # On the event loop: ~1.5 ms of GIL-bound work gains no parallelism from a thread,
            # and run_in_threadpool measured ~10% more server CPU per request.
            result = renderer.render_cards(
                profiles, theme or DEFAULT_THEME, templates=overrides, locale=locale
            )
        except CandidateCardsError as exc:
            return error_response(request.scope, exc)
        payload = {"success": True, "requestId": request.scope[REQUEST_ID], **result.to_dict()}
        headers = {"Content-Language": locale, "Vary": "Accept-Language"}
        return Response(orjson.dumps(payload), media_type=JSON, headers=headers)

    async def health(_request: Request) -> Response:
        return Response(health_body, media_type=JSON, headers={"Cache-Control": "no-store"})

    async def openapi(_request: Request) -> Response:
        return Response(openapi_body, media_type=JSON)

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


def check_limits(max_body_bytes: int, body_timeout: float) -> None:
    """Refuse limits that would refuse every request or none, before anything starts."""
    if max_body_bytes < 1:
        raise InvalidServiceConfig(f"max_body_bytes must be positive, got {max_body_bytes}.")
    if not 0 < body_timeout < float("inf"):
        raise InvalidServiceConfig(
            f"body_timeout must be a positive number of seconds, got {body_timeout}."
        )


def precompile(renderer: Renderer) -> None:
    """Compile our card template for every theme served, in every locale: a request in
    any language renders at once."""
    for locale in LOCALES:
        for name in renderer.themes.names():
            renderer.card_template(renderer.theme(name), locale)


def checked_templates(
    templates: str | os.PathLike[str],
    allow_css: Collection[str],
    renderer: Renderer = DEFAULT_RENDERER,
    *,
    webhook: bool = False,
) -> TemplateDir:
    """A user's template directory, linted, then compiled and rendered with the sample
    candidates in every theme served and every locale (words are filled in when a template
    is compiled, and a branch on ``lang`` may fail in one locale only); with ``webhook``,
    the receiver's report and e-mail too. :class:`InvalidTemplate` names the file, line,
    theme and locale at start-up, not on a request; what it compiled, requests reuse."""
    overrides = template_dir(templates, allow_css)
    sample = sample_candidates()
    for locale in LOCALES:
        for name in renderer.themes.names():
            renderer.render_cards(sample, name, templates=overrides, locale=locale)
    if webhook:
        render_email(sample, DEFAULT_THEME, templates=overrides)
        write_report([str(SAMPLE)], io.StringIO(), theme=DEFAULT_THEME, templates=overrides)
    return overrides


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


async def _route_error(request: Request, exc: Exception) -> Response:
    """Starlette's 404 and 405 as the contract's envelope."""
    if not isinstance(exc, HTTPException):  # registered for HTTPException only
        raise exc
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
