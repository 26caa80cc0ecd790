"""What kind of payload a JSON value is, and the messages that say when it is none.

One classifier for every reader: ``payloads.load_candidates`` (a value in memory),
``jsonstream``/``inputs`` (a file streamed item by item) and the service (a request body).
The shapes, as the sourcing API produces them:

==================  ===========================================  ===============
shape               recognised by                                items under
==================  ===========================================  ===============
``candidate``       an object with ``profileId`` or ``name``     (itself)
``list``            a top-level array                            (the array)
``render-request``  an object with ``profiles``                  ``profiles``
``enrichment``      ``data``, ``enrichedCount`` or an ``enr_`` id  ``data``
``sourcing``        ``candidates``, or ``requestId`` + ``status``  ``candidates``
==================  ===========================================  ===============
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from .errors import ErrorDetail, InvalidRenderPayload


class PayloadShape(StrEnum):
    """A payload's shape; its value is the name reports and the CLI show."""

    CANDIDATE = "candidate"
    LIST = "list"
    RENDER_REQUEST = "render-request"
    SOURCING = "sourcing"
    ENRICHMENT = "enrichment"


#: The top-level array that holds each object shape's items (what a stream reads lazily).
ITEMS_KEY = {
    PayloadShape.SOURCING: "candidates",
    PayloadShape.ENRICHMENT: "data",
    PayloadShape.RENDER_REQUEST: "profiles",
}
#: The shape each streamed array implies.
SHAPE_OF_ITEMS_KEY = {key: shape for shape, key in ITEMS_KEY.items()}


def classify(payload: Any) -> PayloadShape:
    """The shape of a parsed JSON value; :class:`InvalidRenderPayload` when it has none."""
    if isinstance(payload, list):
        return PayloadShape.LIST
    if not isinstance(payload, Mapping):
        raise InvalidRenderPayload(
            f"Validation failed: expected a JSON object or array, got {json_type(payload)}.",
            [ErrorDetail("$", f"expected an object or array, got {json_type(payload)}")],
        )
    if "profiles" in payload:
        return PayloadShape.RENDER_REQUEST
    if _is_enrichment(payload):
        return PayloadShape.ENRICHMENT
    if "candidates" in payload or ("requestId" in payload and "status" in payload):
        return PayloadShape.SOURCING
    if "profileId" in payload or "name" in payload:
        return PayloadShape.CANDIDATE
    raise InvalidRenderPayload(
        "Validation failed: unrecognised payload; expected a candidate, a list of candidates, "
        "a render request {profiles, theme}, or sourcing or enrichment results.",
        [ErrorDetail("$", "unrecognised payload shape")],
    )


def render_request(payload: Any) -> tuple[list[Any], str | None]:
    """A render request's ``profiles`` array and ``theme`` (``None`` when absent), checked.

    Only the request's own shape; the profiles are the candidate validator's to check.
    """
    if not isinstance(payload, Mapping):
        raise InvalidRenderPayload(
            f"Validation failed: a render request must be a JSON object, got {json_type(payload)}.",
            [ErrorDetail("$", "expected an object with profiles and an optional theme")],
        )
    if "profiles" not in payload:
        raise InvalidRenderPayload(
            "Validation failed: profiles is required.", [ErrorDetail("profiles", "required")]
        )
    profiles = payload["profiles"]
    if not isinstance(profiles, list):
        raise InvalidRenderPayload(
            "Validation failed: profiles must be an array of candidate objects.",
            [ErrorDetail("profiles", f"expected an array, got {json_type(profiles)}")],
        )
    theme = payload.get("theme")
    if theme is not None and not isinstance(theme, str):
        raise InvalidRenderPayload(
            "Validation failed: theme must be a string.",
            [ErrorDetail("theme", f"expected a string, got {json_type(theme)}")],
        )
    return profiles, theme


def json_type(value: Any) -> str:
    """How an error message names a JSON value's type: "a string", "a number (7)", "null"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        shown = repr(value) if len(repr(value)) <= 24 else f"{repr(value)[:20]}…"
        return f"a number ({shown})"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def _is_enrichment(payload: Mapping[str, Any]) -> bool:
    request_id = payload.get("requestId")
    return (
        "data" in payload
        or "enrichedCount" in payload
        or (isinstance(request_id, str) and request_id.startswith("enr_"))
    )
