"""The service's OpenAPI 3.1 document, built once from the candidate model and the error classes."""

from __future__ import annotations

from typing import Any

from .._version import __version__
from ..cards import MAX_PROFILES
from ..errors import (
    CandidateCardsError,
    InsufficientScope,
    InternalError,
    InvalidLocale,
    InvalidRenderPayload,
    InvalidTheme,
    InvalidWebhookPayload,
    InvalidWebhookSignature,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    RequestTimeout,
    TooManyProfiles,
    Unauthorized,
    UnsupportedMediaType,
    WebhookQueueFull,
)
from ..i18n import DEFAULT_LOCALE, LOCALES
from ..models import Candidate
from ..themes import DEFAULT_THEME
from .auth import RENDER_SCOPE

RENDER_PATH = "/sourcing/render-html"
HEALTH_PATH = "/healthz"
OPENAPI_PATH = "/openapi.json"

#: "Holds a character that is not whitespace", whitespace as ``str.strip`` reads it: the
#: rule of ``Candidate``'s name check (ECMA-262's ``\S`` differs on U+001C-1F, 85, FEFF).
NOT_BLANK_PATTERN = (
    r"[^\t\n\u000b\f\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f"
    r"\u3000]"
)
_REQUEST_ID_PATTERN = "^rnd_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
_SCHEMAS = "#/components/schemas/"

#: The contract's rule, pinned by a fixed example: ``null`` counts as absent, for an optional
#: key and for an item of a list.
NULLS_SUMMARY = "null counts as absent: for an optional key, and for an item of a list."
NULLS_EXAMPLE: dict[str, Any] = {
    "profiles": [
        {
            "profileId": "p-1",
            "name": "Ada Lovelace",
            "headline": None,
            "matchScore": None,
            "skills": ["Go", None, "Kafka"],
            "emails": None,
            "aiFitPoints": [None],
            "detailedExperience": [None, {"role": "Engineer", "company": None, "highlights": None}],
            "aiDetailedRationale": [{"title": None, "relevanceExplanation": "Payments"}, None],
        }
    ],
    "theme": None,
}


def openapi_document(
    *, themes: tuple[str, ...], max_body_bytes: int, auth: bool = True, webhook: bool = False
) -> dict[str, Any]:
    """The OpenAPI 3.1 description of every route, body and error the service answers with
    (``webhook``: the receiver's route too, when the service mounts it)."""
    candidate = Candidate.model_json_schema(by_alias=True, ref_template=_SCHEMAS + "{model}")
    schemas: dict[str, Any] = candidate.pop("$defs", {})
    candidate["properties"]["name"]["pattern"] = NOT_BLANK_PATTERN
    schemas["Candidate"] = candidate
    for model in schemas.values():
        _null_means_absent(model)
    schemas.update(_body_schemas(themes))
    render: dict[str, Any] = {
        "operationId": "renderHtml",
        "summary": f"Render 1 to {MAX_PROFILES} candidates as self-contained HTML cards.",
        "description": (
            "Synchronous. Cards are inline-styled, table-laid-out, escaped and deterministic: "
            "ready for an ATS dashboard or an HTML e-mail. The request body is "
            f"`application/json`, at most {max_body_bytes} bytes."
        ),
        "parameters": [
            {"$ref": "#/components/parameters/XRequestId"},
            {
                "name": "Accept-Language",
                "in": "header",
                "required": False,
                "description": "The languages the reader prefers (q-values honoured; sk-SK "
                "matches sk), used when the body has no locale.",
                "schema": {"type": "string"},
            },
        ],
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"$ref": _SCHEMAS + "RenderRequest"},
                    "examples": {"nulls": {"summary": NULLS_SUMMARY, "value": NULLS_EXAMPLE}},
                }
            },
        },
        "responses": {
            "200": {
                "description": "The cards, in request order, and all of them joined.",
                "headers": {
                    **_request_id_header(),
                    "Content-Language": {
                        "description": "The locale the cards are written in.",
                        "schema": {"type": "string", "enum": list(LOCALES)},
                    },
                },
                "content": {"application/json": {"schema": {"$ref": _SCHEMAS + "RenderResponse"}}},
            },
            "400": _error_response(
                f"The body or a profile is invalid, more than {MAX_PROFILES} profiles, "
                "an unknown theme or an unknown locale.",
                InvalidRenderPayload,
                TooManyProfiles,
                InvalidTheme,
                InvalidLocale,
            ),
            "408": _error_response(
                "The body did not arrive in full within the read timeout.", RequestTimeout
            ),
            "413": _error_response("The body is over the size limit.", PayloadTooLarge),
            "415": _error_response("The body is not `application/json`.", UnsupportedMediaType),
            "500": _error_response("An unexpected fault in the service.", InternalError),
        },
    }
    if auth:
        render["security"] = [{"bearerAuth": [RENDER_SCOPE]}]
        render["responses"]["401"] = _error_response(
            "Missing, malformed or unknown bearer key.", Unauthorized
        )
        render["responses"]["403"] = _error_response(
            f"The key lacks the `{RENDER_SCOPE}` scope.", InsufficientScope
        )
    not_found = _error_response("No such route.", NotFound)
    wrong_method = _error_response("The route does not answer this method.", MethodNotAllowed)
    render["responses"]["405"] = wrong_method
    paths: dict[str, Any] = {RENDER_PATH: {"post": render}}
    if webhook:
        from ..webhooks import WEBHOOK_PATH

        schemas.update(_webhook_schemas())
        paths[WEBHOOK_PATH] = {"post": _webhook_operation(wrong_method)}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "candidate-cards",
            "version": __version__,
            "summary": "Render recruiting-candidate records as self-contained HTML cards.",
        },
        "paths": {
            **paths,
            HEALTH_PATH: {
                "get": {
                    "operationId": "health",
                    "summary": "Liveness: the process answers HTTP.",
                    "responses": {
                        "200": {
                            "description": "The service is up.",
                            "headers": _request_id_header(),
                            "content": {
                                "application/json": {"schema": {"$ref": _SCHEMAS + "Health"}}
                            },
                        },
                        "404": not_found,
                    },
                }
            },
            OPENAPI_PATH: {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document.",
                    "responses": {
                        "200": {
                            "description": "The OpenAPI 3.1 document.",
                            "headers": _request_id_header(),
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
        },
        "components": {
            "schemas": schemas,
            "parameters": {
                "XRequestId": {
                    "name": "X-Request-Id",
                    "in": "header",
                    "required": False,
                    "description": (
                        "Your own request id; if it is 1 to 128 of A-Z a-z 0-9 . _ : @ / + = - "
                        "it is echoed in the response's X-Request-Id. Otherwise (any other "
                        "value is accepted, never refused) the response carries the service's "
                        "`rnd_<uuid>`."
                    ),
                    "schema": {"type": "string"},
                }
            },
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": f"An API key carrying the `{RENDER_SCOPE}` scope.",
                }
            },
        },
    }


def _null_means_absent(model: dict[str, Any]) -> None:
    """Let ``model`` say what the models accept: ``null`` for optional keys and list items."""
    required = set(model.get("required", ()))
    for name, schema in model.get("properties", {}).items():
        if schema.get("type") == "array":
            schema["items"] = {"anyOf": [schema["items"], {"type": "null"}]}
        if name in required or "anyOf" in schema:
            continue
        notes = {key: schema.pop(key) for key in ("title", "default") if key in schema}
        model["properties"][name] = {"anyOf": [schema, {"type": "null"}], **notes}
    model["description"] = f"{model.get('description', '')} {NULLS_SUMMARY}".strip()


def _body_schemas(themes: tuple[str, ...]) -> dict[str, Any]:
    return {
        "RenderRequest": {
            "type": "object",
            "required": ["profiles"],
            "properties": {
                "profiles": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": MAX_PROFILES,
                    "description": "The candidates; `profileId` must be unique in the request.",
                    "items": {"$ref": _SCHEMAS + "Candidate"},
                },
                "theme": {
                    "type": ["string", "null"],
                    "enum": [*themes, None],
                    "default": DEFAULT_THEME,
                    "description": "A theme the service knows; null or absent means "
                    f"{DEFAULT_THEME}.",
                },
                "locale": {
                    "type": ["string", "null"],
                    "enum": [*LOCALES, None],
                    "description": "Our addition to the render-html contract: the language of "
                    "the cards' own words, numbers and plurals (candidate text is never "
                    "translated). Null or absent: the best match for Accept-Language, else "
                    f"{DEFAULT_LOCALE}. An unknown one is INVALID_LOCALE (400).",
                },
            },
        },
        "Card": {
            "type": "object",
            "required": ["profileId", "html"],
            "properties": {"profileId": {"type": "string"}, "html": {"type": "string"}},
        },
        "RenderResponse": {
            "type": "object",
            "required": ["success", "requestId", "theme", "count", "cards", "html"],
            "properties": {
                "success": {"const": True},
                "requestId": {"type": "string", "pattern": _REQUEST_ID_PATTERN},
                "theme": {"type": "string"},
                "count": {"type": "integer", "minimum": 1, "maximum": MAX_PROFILES},
                "cards": {
                    "type": "array",
                    "description": "One card per profile, in request order.",
                    "items": {"$ref": _SCHEMAS + "Card"},
                },
                "html": {"type": "string", "description": "Every card, joined in order."},
            },
        },
        "ErrorDetail": {
            "type": "object",
            "required": ["field", "message"],
            "properties": {
                "field": {"type": "string", "examples": ["profiles[3].matchScore"]},
                "message": {"type": "string"},
            },
        },
        "Error": {
            "type": "object",
            "required": ["statusCode", "error", "message", "details"],
            "properties": {
                "statusCode": {"type": "integer"},
                "error": {"type": "string"},
                "message": {"type": "string"},
                "details": {"type": "array", "items": {"$ref": _SCHEMAS + "ErrorDetail"}},
            },
        },
        "Health": {
            "type": "object",
            "required": ["status"],
            "properties": {"status": {"const": "ok"}},
        },
    }


def _webhook_operation(wrong_method: dict[str, Any]) -> dict[str, Any]:
    """``POST /webhooks/instaview``: the sourcing API's run events, signed, answered at once."""
    from ..webhooks import SIGNATURE_HEADER
    from ..webhooks.receiver import MAX_WEBHOOK_BYTES

    return {
        "operationId": "receiveWebhook",
        "summary": "Receive a run event from the sourcing API; report and e-mail after.",
        "description": (
            "For a completed or failed run the service fetches the run with its own API key "
            "and writes its report (and, for a completed sourcing run, the shortlist e-mail) "
            "after answering 202. A run already queued, running or done is not queued again; "
            "an unknown event is acknowledged and ignored. Not bearer-authenticated: the body "
            f"must be signed in `{SIGNATURE_HEADER}`. At most {MAX_WEBHOOK_BYTES} bytes."
        ),
        "parameters": [
            {"$ref": "#/components/parameters/XRequestId"},
            {
                "name": SIGNATURE_HEADER,
                "in": "header",
                "required": True,
                "description": "`sha256=` and the hex HMAC-SHA256 of the raw body, keyed with "
                "the shared webhook secret.",
                "schema": {"type": "string", "pattern": "^sha256=[0-9a-fA-F]{64}$"},
            },
        ],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": _SCHEMAS + "WebhookEvent"}}},
        },
        "responses": {
            "202": {
                "description": "Accepted: the run's job is queued, already queued or done, "
                "or the event is not one the service acts on.",
                "headers": _request_id_header(),
                "content": {"application/json": {"schema": {"$ref": _SCHEMAS + "WebhookAccepted"}}},
            },
            "400": _error_response(
                "Signed, but not an event: not JSON, or no usable requestId.",
                InvalidWebhookPayload,
            ),
            "401": _error_response(
                f"`{SIGNATURE_HEADER}` is missing or does not match the body.",
                InvalidWebhookSignature,
            ),
            "405": wrong_method,
            "413": _error_response("The body is over the size limit.", PayloadTooLarge),
            "429": {
                **_error_response(
                    "The job queue is full, or the service is shutting down: deliver again "
                    "after `Retry-After` seconds.",
                    WebhookQueueFull,
                ),
                "headers": {
                    **_request_id_header(),
                    "Retry-After": {
                        "description": "Seconds to wait before delivering again.",
                        "schema": {"type": "string"},
                    },
                },
            },
        },
    }


def _webhook_schemas() -> dict[str, Any]:
    """The webhook's request body and its 202 answer."""
    from ..webhooks.events import EVENTS

    run_id = {"type": "string", "description": "The run: `req_…` (sourcing) or `enr_…`."}
    return {
        "WebhookEvent": {
            "type": "object",
            "description": (
                "A run event, in either spelling the API uses: the name in `event` or `type` "
                f"({', '.join(f'`{name}`' for name in EVENTS)}, or upper case with underscores: "
                "`SOURCING_COMPLETED`), the run id in `requestId` or `data.requestId`. "
                "Other keys are ignored."
            ),
            "properties": {
                "event": {"type": "string"},
                "type": {"type": "string"},
                "requestId": run_id,
                "data": {"type": "object", "properties": {"requestId": run_id}},
            },
            "anyOf": [{"required": ["event"]}, {"required": ["type"]}],
        },
        "WebhookAccepted": {
            "type": "object",
            "required": ["success", "status"],
            "properties": {
                "success": {"const": True},
                "status": {
                    "enum": ["queued", "done", "ignored"],
                    "description": "`queued` (now or already), `done` (the run's outputs "
                    "exist), `ignored` (an event the service does not act on).",
                },
                "requestId": {"type": "string"},
                "event": {"type": "string", "description": "The ignored event's name."},
            },
        },
    }


def _request_id_header() -> dict[str, Any]:
    return {
        "X-Request-Id": {
            "description": "The client's X-Request-Id if it sent a well-formed one, "
            "else this response's `rnd_<uuid>`.",
            "schema": {"type": "string"},
        }
    }


def _error_response(description: str, *errors: type[CandidateCardsError]) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "allOf": [
            {"$ref": _SCHEMAS + "Error"},
            {
                "properties": {
                    "statusCode": {"const": errors[0].status_code},
                    "error": {"enum": [error.code for error in errors]},
                }
            },
        ]
    }
    examples = {error.code: {"value": error(f"{error.__doc__}").to_dict()} for error in errors}
    return {
        "description": description,
        "headers": _request_id_header(),
        "content": {"application/json": {"schema": schema, "examples": examples}},
    }
