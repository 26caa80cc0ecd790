"""Typed candidate models that read the sourcing API's camelCase payloads as they are.

Unknown keys are ignored (the API adds fields over time) and ``null`` counts as absent,
both for a key and for an item of a list. Types are strict: ``"87"`` is not a score and
``true`` is not a number, because guessing would hide a broken upstream. Every string and
list has a maximum length, so one runaway field is refused by name instead of silently cut.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictStr,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

#: Maximum lengths, in characters (strings) or items (lists). Generous for real profiles:
#: the longest realistic fixture uses under half of each. ``item_text`` bounds the list
#: items and explanations a card shows in full (``long_text`` is clipped for display).
LIMITS = {
    "short_text": 500,
    "headline": 1_000,
    "item_text": 2_000,
    "long_text": 10_000,
    "url": 2_048,
    "email": 320,
    "skills": 200,
    "points": 50,
    "entries": 50,
    "highlights": 50,
    "emails": 20,
}

ShortText = Annotated[StrictStr, Field(max_length=LIMITS["short_text"])]
ItemText = Annotated[StrictStr, Field(max_length=LIMITS["item_text"])]
LongText = Annotated[StrictStr, Field(max_length=LIMITS["long_text"])]
Score = Annotated[StrictFloat, Field(ge=0, le=100)]


Email = Annotated[StrictStr, Field(max_length=LIMITS["email"])]
Skills = Annotated[list[ShortText], Field(max_length=LIMITS["skills"])]
Points = Annotated[list[ItemText], Field(max_length=LIMITS["points"])]
Highlights = Annotated[list[ItemText], Field(max_length=LIMITS["highlights"])]
Emails = Annotated[list[Email], Field(max_length=LIMITS["emails"])]


def _empty() -> Any:
    """An empty-list default made by ``list()`` (pydantic deep-copies a ``[]`` default per
    instance), documented in the JSON schema as ``[]`` all the same."""
    return Field(default_factory=list, json_schema_extra={"default": []})


class ApiModel(BaseModel):
    """Base for every payload model: camelCase aliases, unknown keys ignored, immutable."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="ignore",
        frozen=True,
        allow_inf_nan=False,
        defer_build=True,
    )

    @model_validator(mode="before")
    @classmethod
    def _null_means_absent(cls, data: Any) -> Any:
        """``data`` without ``null`` values, keys or list items; as it is when it has none."""
        if not isinstance(data, dict) or not _has_null(data):
            return data
        cleaned = {}
        for key, value in data.items():
            if value is None:
                continue
            if isinstance(value, list):
                value = [item for item in value if item is not None]
            cleaned[key] = value
        return cleaned


def _has_null(data: dict[str, Any]) -> bool:
    """Whether a value of ``data``, or an item of a list in it, may be ``null`` (``None``).

    ``in`` runs in C and finds ``None`` by identity first; a value that claims to equal
    ``None``, or whose comparison raises, only sends ``data`` down the full path.
    """
    try:
        values = data.values()
        return None in values or any(None in value for value in values if isinstance(value, list))
    except Exception:  # any comparison error: take the full path
        return True


class DetailedRationale(ApiModel):
    """One ``aiDetailedRationale`` row: why a past role makes the candidate relevant."""

    title: ShortText | None = None
    company: ShortText | None = None
    duration: ShortText | None = None
    relevance_explanation: ItemText | None = None


class Experience(ApiModel):
    """One ``detailedExperience`` entry."""

    role: ShortText | None = None
    company: ShortText | None = None
    duration: ShortText | None = None
    highlights: Highlights = _empty()


class Candidate(ApiModel):
    """A ranked candidate, as in ``candidates[]`` and ``data[].candidate`` of the API."""

    profile_id: Annotated[StrictStr, Field(min_length=1, max_length=LIMITS["short_text"])]
    name: ShortText
    headline: Annotated[StrictStr, Field(max_length=LIMITS["headline"])] | None = None
    location: ShortText | None = None
    current_company: ShortText | None = None
    current_role: ShortText | None = None
    rationale: LongText | None = None
    linkedin_url: Annotated[StrictStr, Field(max_length=LIMITS["url"])] | None = None
    match_score: Score | None = None
    skills: Skills = _empty()
    ai_fit_points: Points = _empty()
    ai_red_flags: Points = _empty()
    emails: Emails = _empty()
    ai_detailed_rationale: Annotated[
        list[DetailedRationale], Field(max_length=LIMITS["entries"])
    ] = _empty()
    detailed_experience: Annotated[list[Experience], Field(max_length=LIMITS["entries"])] = _empty()

    @field_validator("name")
    @classmethod
    def _name_is_not_blank(cls, name: str) -> str:
        if not name.strip():
            raise ValueError("must not be blank")
        return name
