"""schemathesis against the service's own ``/openapi.json``: every documented promise holds.

Positive and negative requests are generated from the document (examples, coverage and
fuzzing phases) and every response is checked: no 5xx, status codes, content types, headers
and bodies as documented, schema-valid requests accepted, schema-violating ones refused,
and the key actually enforced. ``SCHEMATHESIS_EXAMPLES`` raises the count for a longer run.
"""

from __future__ import annotations

import os
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from candidate_cards.service import create_app

KEY = "ck_test_schemathesis_0123456789"
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "100"))

#: A schema-violating body is refused with any of schemathesis's usual statuses, or with 413
#: when it is also over the size limit (generated bodies reach megabytes), as documented.
_REJECTIONS = SchemathesisConfig.from_dict({}).projects.get_default().checks
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "negative_data_rejection": {
                "expected-statuses": [*_REJECTIONS.negative_data_rejection.expected_statuses, "413"]
            }
        }
    }
)

schema = schemathesis.openapi.from_asgi(
    "/openapi.json", create_app({KEY: ["enrich:write"]}, access_log=False), config=CONFIG
)


def unique_profile_ids(body: Any) -> Any:
    """``body`` with repeated ``profileId`` strings renamed apart.

    The contract refuses a repeated ``profileId``, a rule JSON Schema cannot state; renaming
    keeps each generated body exactly as valid or invalid against the document as it was.
    """
    profiles = body.get("profiles") if isinstance(body, dict) else None
    if not isinstance(profiles, list):
        return body
    seen: set[str] = set()
    for index, profile in enumerate(profiles):
        profile_id = profile.get("profileId") if isinstance(profile, dict) else None
        if not isinstance(profile_id, str) or not profile_id:
            continue
        suffix = index
        while profile_id in seen:
            profile_id = f"dup-{suffix}"
            suffix += len(profiles)
        profile["profileId"] = profile_id
        seen.add(profile_id)
    return body


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_service_keeps_every_promise_of_its_openapi_document(case: schemathesis.Case) -> None:
    """Each generated request gets a documented, schema-valid answer and never a 5xx."""
    case.body = unique_profile_ids(case.body)
    case.call_and_validate(headers={"Authorization": f"Bearer {KEY}"})
