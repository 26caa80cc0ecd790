"""What a webhook says: which event, about which run. A notification only, never the data.

The seeds name each event two ways (``SOURCING_COMPLETED`` / ``sourcing.completed``) and
do not fix where the name and the run id sit, so both spellings are read, from ``event``
or ``type``, and ``requestId`` from the top level or from ``data``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..client import run_kind
from ..errors import CandidateCardsError, ErrorDetail, InvalidWebhookPayload
from ..payloads import parse_json
from ..shapes import json_type

#: Each event acted on, by its dotted spelling, and the kind of run it is about.
EVENTS = {
    "sourcing.completed": "sourcing",
    "sourcing.failed": "sourcing",
    "enrich.completed": "enrichment",
    "enrich.failed": "enrichment",
}


@dataclass(frozen=True, slots=True)
class Event:
    """One delivery: its event name as sent, the dotted name if known, and the run id."""

    name: str
    known: str | None
    request_id: str | None


def canonical(name: str) -> str | None:
    """``sourcing.completed`` for either spelling of a known event; ``None`` otherwise."""
    dotted = name.strip().lower().replace("_", ".")
    return dotted if dotted in EVENTS else None


def parse_event(body: bytes) -> Event:
    """The event in a signed body; :class:`InvalidWebhookPayload` naming the field if none.

    An unknown event name is returned (``known`` is ``None``) for the caller to log and
    ignore; a known one must name a run of its kind.
    """
    try:
        payload = parse_json(body, "Webhook body")
    except CandidateCardsError as exc:
        raise InvalidWebhookPayload(
            exc.message, [ErrorDetail("$", "expected a JSON object")]
        ) from None
    if not isinstance(payload, Mapping):
        raise _invalid("$", f"expected a JSON object, got {json_type(payload)}")
    name = _first_string(payload, "event", "type")
    if name is None:
        raise _invalid("event", "required: the event name, in event or type")
    known = canonical(name)
    data = payload.get("data")
    request_id = _first_string(payload, "requestId")
    if request_id is None and isinstance(data, Mapping):
        request_id = _first_string(data, "requestId")
    if known is None:
        return Event(name, None, request_id)
    if request_id is None:
        raise _invalid("requestId", "required: the run's id, at the top level or under data")
    try:
        kind = run_kind(request_id)
    except CandidateCardsError:
        raise _invalid(
            "requestId", "a run id is req_ or enr_ then letters, digits, - or _"
        ) from None
    if kind != EVENTS[known]:
        raise _invalid("requestId", f"{name} is about a {EVENTS[known]} run, not {request_id}")
    return Event(name, known, request_id)


def _first_string(payload: Mapping[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = payload.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _invalid(field: str, problem: str) -> InvalidWebhookPayload:
    return InvalidWebhookPayload(
        f"Invalid webhook payload: {field} {problem}.", [ErrorDetail(field, problem)]
    )
