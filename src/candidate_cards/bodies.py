"""The sourcing API's request bodies, checked against the documented limits before sending.

* ``POST /sourcing``: ``title`` (≤ 200), ``jobDescription`` (≤ 10,000), ``location``
  (≤ 200), optional ``query`` (≤ 500), ``limit`` 1–100 (default 20), ``webhookId`` (a UUID);
* ``PATCH /sourcing/{id}``: ``query`` (≤ 500) and/or ``limit`` 1–50, at least one of them;
* ``POST /sourcing/enrich``: 1 to 10 ``profileIds`` and an optional ``webhookId``. The seeds
  give this body's limit (10 profiles) but not its field names: ``profileIds`` is assumed.

A refused body raises :class:`~candidate_cards.errors.InvalidApiRequest` naming each field.
"""

from __future__ import annotations

from typing import Annotated, Any, Self
from uuid import UUID

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)
from pydantic.alias_generators import to_camel

from .errors import InvalidApiRequest
from .payloads import error_details

MAX_ENRICH_PROFILES = 10

Query = Annotated[StrictStr, Field(min_length=1, max_length=500)]


class Body(BaseModel):
    """Base of every request body: camelCase on the wire, no unknown field, immutable."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True
    )

    @classmethod
    def check(cls, **fields: Any) -> Self:
        """The body built from ``fields``, or :class:`InvalidApiRequest` naming each problem."""
        try:
            return cls.model_validate(fields)
        except ValidationError as exc:
            details = error_details(exc)
            first = details[0]
            more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
            raise InvalidApiRequest(
                f"Invalid request: {first.field}: {first.message}{more}.", details
            ) from None

    def to_json(self) -> dict[str, Any]:
        """The body as sent: camelCase keys, fields left unset omitted."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class SourcingRequest(Body):
    """``POST /sourcing``: start a sourcing run for a job."""

    title: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    job_description: Annotated[StrictStr, Field(min_length=1, max_length=10_000)]
    location: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    query: Query | None = None
    limit: Annotated[StrictInt, Field(ge=1, le=100)] | None = None
    webhook_id: UUID | None = None


class PatchRequest(Body):
    """``PATCH /sourcing/{id}``: refine a finished run and/or ask for more candidates."""

    query: Query | None = None
    limit: Annotated[StrictInt, Field(ge=1, le=50)] | None = None

    @model_validator(mode="after")
    def _query_or_limit(self) -> Self:
        if self.query is None and self.limit is None:
            raise ValueError("give at least one of query or limit")
        return self


class EnrichRequest(Body):
    """``POST /sourcing/enrich``: enrich up to 10 sourced profiles."""

    profile_ids: Annotated[
        list[Annotated[StrictStr, Field(min_length=1)]],
        Field(min_length=1, max_length=MAX_ENRICH_PROFILES),
    ]
    webhook_id: UUID | None = None
