"""Recognise a payload's shape and turn it into candidates plus per-profile failures.

Accepted shapes, as the sourcing API produces them:

* one candidate object, or a list of them;
* a render request ``{"profiles": [...], "theme": "light"}``;
* a sourcing-results payload (``GET /sourcing/{id}/results``);
* an enrichment-results payload (``GET /sourcing/enrich/{id}/results``).

Every validation problem is reported with its path in the payload
(``profiles[3].matchScore``), all of them at once.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from .errors import ErrorDetail, InvalidRenderPayload, RunFailed, RunInProgress
from .models import Candidate
from .shapes import PayloadShape, classify, json_type, render_request


@dataclass(frozen=True, slots=True)
class ProfileFailure:
    """A profile the API could not deliver (an enrichment entry with ``success: false``)."""

    profile_id: str
    error_code: str
    message: str


@dataclass(frozen=True, slots=True)
class RunInfo:
    """What a sourcing or enrichment payload says about its run."""

    kind: PayloadShape  # SOURCING or ENRICHMENT (LIST: a report input without a run)
    request_id: str | None
    status: str | None
    created_at: str | None = None
    completed_at: str | None = None
    found_count: int | None = None
    scored_count: int | None = None
    enriched_count: int | None = None
    failure_count: int | None = None
    error_code: str | None = None
    error_message: str | None = None
    message: str | None = None
    sourced_count: int | None = None


@dataclass(frozen=True, slots=True)
class LoadResult:
    """Candidates in payload order, the profiles that failed upstream, and run metadata."""

    candidates: tuple[Candidate, ...]
    failures: tuple[ProfileFailure, ...] = ()
    run: RunInfo | None = None
    theme: str | None = None
    shape: PayloadShape = PayloadShape.LIST


def load_candidates(payload: Any) -> LoadResult:
    """Read any payload shape the sourcing API produces; raise a typed error otherwise."""
    shape = classify(payload)
    if shape is PayloadShape.LIST:
        return _from_items(payload, "", shape=shape)
    if shape is PayloadShape.RENDER_REQUEST:
        profiles, theme = render_request(payload)
        result = _from_items(profiles, "profiles", shape=shape)
        return LoadResult(result.candidates, theme=theme, shape=shape)
    if shape is PayloadShape.ENRICHMENT:
        return _from_enrichment(payload)
    if shape is PayloadShape.SOURCING:
        return _from_sourcing(payload)
    return _from_items([payload], "", shape=shape, single=True)


def validate_candidate(item: Any, path: str) -> tuple[Candidate | None, list[ErrorDetail]]:
    """Validate one candidate object; problems are named relative to ``path``."""
    if isinstance(item, Candidate):
        return item, []
    if not isinstance(item, Mapping):
        where = path or "$"
        return None, [ErrorDetail(where, f"expected a candidate object, got {json_type(item)}")]
    try:
        return Candidate.model_validate(item), []
    except ValidationError as exc:
        return None, error_details(exc, path)


def error_details(exc: ValidationError, path: str = "") -> list[ErrorDetail]:
    """Each problem pydantic found, named by its field relative to ``path``."""
    return [
        ErrorDetail(_join_path(path, error["loc"]), _message(error))
        for error in exc.errors(include_url=False)
    ]


def parse_json(data: bytes | str, source: str = "input") -> Any:
    """Parse JSON strictly: a BOM is allowed; NaN, Infinity, duplicate keys, ``1e400`` are not."""
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise _invalid(source, f"not valid UTF-8 (byte {exc.start})") from None
    if not text.strip():
        raise _invalid(source, "empty; expected JSON")
    try:
        return STRICT_JSON.decode(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise _invalid(source, f"not valid JSON: {exc.msg} ({where})") from None
    except RefusedJSON as exc:
        raise _invalid(source, f"not valid JSON: {exc}") from None
    except RecursionError:
        raise _invalid(source, "not valid JSON: nested too deeply") from None


def _from_sourcing(payload: Mapping[str, Any]) -> LoadResult:
    run = run_info(payload, PayloadShape.SOURCING)
    _require_completed(run)
    result = _from_items(_array(payload, "candidates"), "candidates", shape=run.kind)
    return LoadResult(result.candidates, run=run, shape=run.kind)


def _from_enrichment(payload: Mapping[str, Any]) -> LoadResult:
    run = run_info(payload, PayloadShape.ENRICHMENT)
    _require_completed(run)
    candidates: list[Candidate] = []
    failures: list[ProfileFailure] = []
    problems: list[ErrorDetail] = []
    for index, entry in enumerate(_array(payload, "data")):
        candidate, failure, errors = enrichment_entry(entry, index)
        problems.extend(errors)
        if failure is not None:
            failures.append(failure)
        if candidate is not None:
            candidates.append(candidate)
    _raise_if_problems(problems)
    return LoadResult(tuple(candidates), tuple(failures), run=run, shape=run.kind)


def _array(payload: Mapping[str, Any], key: str) -> list[Any]:
    """The run's ``key`` array: absent or ``null`` is empty; any other non-array is an error."""
    items = payload.get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        raise InvalidRenderPayload(
            f"Validation failed: {key} must be an array.",
            [ErrorDetail(key, f"expected an array, got {json_type(items)}")],
        )
    return items


def enrichment_entry(
    entry: Any, index: int
) -> tuple[Candidate | None, ProfileFailure | None, list[ErrorDetail]]:
    """One ``data[index]`` entry of enrichment results: its candidate, or its failure."""
    path = f"data[{index}]"
    if not isinstance(entry, Mapping):
        return None, None, [ErrorDetail(path, f"expected an object, got {json_type(entry)}")]
    if entry.get("success") is False or "candidate" not in entry:
        failure = ProfileFailure(
            profile_id=str(entry.get("profileId") or f"(entry {index})"),
            error_code=str(entry.get("errorCode") or "UNKNOWN_ERROR"),
            message=str(entry.get("errorMessage") or "The API returned no candidate."),
        )
        return None, failure, []
    candidate, errors = validate_candidate(entry["candidate"], f"{path}.candidate")
    return candidate, None, errors


def _from_items(
    items: Iterable[Any], prefix: str, *, shape: PayloadShape, single: bool = False
) -> LoadResult:
    candidates: list[Candidate] = []
    problems: list[ErrorDetail] = []
    for index, item in enumerate(items):
        candidate, errors = validate_candidate(item, prefix if single else f"{prefix}[{index}]")
        problems.extend(errors)
        if candidate is not None:
            candidates.append(candidate)
    _raise_if_problems(problems)
    return LoadResult(tuple(candidates), shape=shape)


def run_info(payload: Mapping[str, Any], kind: PayloadShape) -> RunInfo:
    """What a ``kind`` (sourcing or enrichment) results payload says about its run."""

    def text(key: str) -> str | None:
        value = payload.get(key)
        return value if isinstance(value, str) else None

    def count(key: str) -> int | None:
        value = payload.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    return RunInfo(
        kind=kind,
        request_id=text("requestId"),
        status=text("status"),
        created_at=text("createdAt"),
        completed_at=text("completedAt"),
        found_count=count("foundCount"),
        scored_count=count("scoredCount"),
        enriched_count=count("enrichedCount"),
        failure_count=count("failureCount"),
        error_code=text("errorCode"),
        error_message=text("errorMessage"),
        message=text("message"),
        sourced_count=count("candidatesSourcedCount"),
    )


def _require_completed(run: RunInfo) -> None:
    label = f"{run.kind.capitalize()} run {run.request_id or '(no requestId)'}"
    if run.status == "processing":
        raise RunInProgress(
            f"{label} is still processing; poll its results again later.",
            request_id=run.request_id,
            status="processing",
            api_error_message=run.message,
            run=run,
        )
    if run.status == "failed":
        raise RunFailed(
            f"{label} failed: {run.error_code or 'UNKNOWN_ERROR'}: "
            f"{run.error_message or 'no message'}",
            request_id=run.request_id,
            status="failed",
            api_error_code=run.error_code,
            api_error_message=run.error_message,
            run=run,
        )


def _raise_if_problems(problems: list[ErrorDetail]) -> None:
    if not problems:
        return
    raise invalid_payload(problems)


def invalid_payload(problems: list[ErrorDetail], total: int | None = None) -> InvalidRenderPayload:
    """One error for ``problems`` (the first ``total``, when more were found than kept).

    Its message names the first and counts the rest.
    """
    count = len(problems) if total is None else total
    first = problems[0]
    more = f" (and {count - 1} more)" if count > 1 else ""
    return InvalidRenderPayload(
        f"Validation failed: {first.field}: {first.message}{more}.", problems
    )


def _join_path(prefix: str, loc: tuple[int | str, ...]) -> str:
    path = prefix
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "$"


def _message(error: Mapping[str, Any]) -> str:
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "missing":
        return "required"
    if error["type"] == "string_unicode":
        return "not valid Unicode text (an unpaired surrogate)"
    if error["type"] == "float_type":
        return f"expected a number from 0 to 100, got {json_type(error.get('input'))}"
    if error["type"] in {"string_type", "list_type", "model_type", "dict_type"}:
        expected = {"string_type": "a string", "list_type": "an array"}.get(
            error["type"], "an object"
        )
        return f"expected {expected}, got {json_type(error.get('input'))}"
    return message[:1].lower() + message[1:]


class RefusedJSON(ValueError):
    """Well-formed JSON that :data:`STRICT_JSON` refuses; the message says why."""


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise RefusedJSON(f"duplicate key {key!r}")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise RefusedJSON(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    """A JSON decimal as a float, refusing one that overflows to infinity (``1e400``)."""
    value = float(text)
    if not math.isfinite(value):
        raise RefusedJSON(f"the number {text[:20]}{'…' if len(text) > 20 else ''} is out of range")
    return value


def _bounded_int(text: str) -> int:
    """A JSON integer as an int, refusing one longer than Python converts (4,300 digits)."""
    try:
        return int(text)
    except ValueError:
        raise RefusedJSON(f"a number with {len(text.lstrip('-'))} digits is out of range") from None


#: The decoder every input goes through, whole or streamed: no duplicate keys, no NaN or
#: Infinity, no number that no float or int can hold. Raises :class:`RefusedJSON`.
STRICT_JSON = json.JSONDecoder(
    object_pairs_hook=_no_duplicate_keys,
    parse_constant=_no_constant,
    parse_float=_finite_float,
    parse_int=_bounded_int,
)


def _invalid(source: str, problem: str) -> InvalidRenderPayload:
    return InvalidRenderPayload(f"{source}: {problem}.", [ErrorDetail("$", problem)])
