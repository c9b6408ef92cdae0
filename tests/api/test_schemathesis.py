"""The whole API schema, fuzzed in-process by schemathesis as anonymous and as every role.

Every response must conform to the schema (status, content type, body) and never be a 5xx; a request
that violates the schema must get a 4xx; a request the schema calls valid may be refused with a 400
only for a reason the schema cannot express (see `refused_only_for_data_dependent_reasons`).

Two passes, seeded and derandomized so every run sends the same requests:
- fuzzing: random valid and invalid requests (10 of each per operation) as every role, most of them
  aimed at real rows, public and hidden;
- coverage: schemathesis' deterministic edge cases of every parameter (missing, wrong type, bounds,
  other methods), which do not depend on the role: as anonymous, a company and ministry staff.
"""

import zlib

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.core.failures import Failure
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import negative_data_rejection

from tests.api import ROLES, ApiWorld

COVERAGE_ROLES = ["anonymous", "company_a", "staff_x"]


def _config(phase: str):
    return schemathesis.Config.from_dict(
        {
            "seed": 20260427,
            "generation": {"mode": "all", "max-examples": 10, "deterministic": True, "database": "none"},
            "phases": {
                "examples": {"enabled": False},  # the schema has no examples
                "fuzzing": {"enabled": phase == "fuzzing"},
                "coverage": {"enabled": phase == "coverage"},
                "stateful": {"enabled": False},  # no links between operations to follow
            },
            "checks": {
                # A schema-valid request can be refused with a 400 for reasons a schema cannot state (a
                # region slug that names no region, a stage move the workflow forbids): those 400s are
                # judged one by one in refused_only_for_data_dependent_reasons.
                "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404"]},
            },
        }
    )


fuzzed = schemathesis.openapi.from_wsgi("/api/v1/schema/", WSGIHandler(), config=_config("fuzzing"))
covered = schemathesis.openapi.from_wsgi("/api/v1/schema/", WSGIHandler(), config=_config("coverage"))

# Query parameters of each operation, by name: their schema in the API schema.
QUERY = {
    (method.upper(), path): {p["name"]: p.get("schema", {}) for p in op.get("parameters", []) if p["in"] == "query"}
    for path, operations in fuzzed.raw_schema["paths"].items()
    for method, op in operations.items()
}


def refused_only_for_data_dependent_reasons(ctx, response, case):
    """A schema-valid request refused with 400: every error must be one the schema cannot foresee."""
    if case.meta is None or not case.meta.generation.mode.is_positive or response.status_code != 400:
        return None
    if case.method.upper() != case.operation.method.upper():
        return None  # another method sent to this path on purpose (unsupported_method checks those)
    documented = QUERY.get((case.operation.method.upper(), case.operation.path), {})
    unexplained = []
    for error in response.json()["errors"]:
        field, code = error["field"], error["code"]
        if code == "null_characters_not_allowed":
            continue  # Django refuses a NUL character in any text it takes (PostgreSQL cannot store one)
        if field in documented and field not in ("page", "page_size") and code == "invalid_choice":
            if "enum" not in documented[field]:
                continue  # a slug (region, sector) or year that no row has: depends on the rows
        elif case.operation.method.upper() == "POST" and field is None:
            continue  # project_record_progress refused the update (a stage move from the current stage,
            # a due date without a step, nothing new): it depends on the project; the body's shape is
            # checked by the serializer, whose errors always name a field
        unexplained.append(error)
    if unexplained:
        raise Failure(
            operation=case.operation.label,
            title="Schema-valid request refused for a reason the schema could state",
            message=f"Errors: {unexplained}",
        )
    return None


def _empty_typed_query_value(case) -> bool:
    """An empty value for a date or date-time filter: django-filter treats `?starts_before=` as no
    filter at all (as the HTML pages do), although the schema's `format` makes "" schema-invalid."""
    documented = QUERY.get((case.operation.method.upper(), case.operation.path), {})
    return any(
        value == "" and documented.get(name, {}).get("format") in ("date", "date-time")
        for name, value in (case.query or {}).items()
    )


def _path_values(world: ApiWorld, path: str) -> list:
    """Real slugs and ids for a path's parameter, public and hidden, so that generated requests also
    reach rows (and hidden ones) rather than only 404s."""
    rows = {
        "/api/v1/regions/{slug}/": [world.region_x.slug, world.region_y.slug],
        "/api/v1/sectors/{slug}/": ["machinery"],
        "/api/v1/organizations/{slug}/": [o.slug for o in world.orgs.values()],
        "/api/v1/people/{id}/": [p.pk for p in world.people.values()],
        "/api/v1/missions/{slug}/": list(world.missions),
        "/api/v1/meetings/{id}/": [m.pk for m in world.meetings.values()],
        "/api/v1/agreements/{slug}/": list(world.agreements),
        "/api/v1/projects/{slug}/": list(world.projects),
        "/api/v1/projects/{slug}/updates/": list(world.projects),
    }
    return rows.get(path, [])


def aim_at_real_rows(case, world: ApiWorld) -> None:
    """Most schema-valid cases are sent to a real row instead of a random slug (chosen from the
    generated value, so the run stays deterministic)."""
    if case.meta is None or not case.path_parameters:
        return
    component = case.meta.components.get(ParameterLocation.PATH)
    if component is None or not component.mode.is_positive:
        return
    candidates = _path_values(world, case.operation.path)
    for name, generated in case.path_parameters.items():
        index = zlib.crc32(repr(generated).encode()) % (len(candidates) + 1)
        if index < len(candidates):
            case.path_parameters[name] = candidates[index]


@pytest.fixture
def same_connection():
    """Django's WSGI handler closes "old" connections when a request starts and ends; in a test
    transaction that would drop the connection holding the world. The test client does the same."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _call_and_validate(case, role: str, world: ApiWorld) -> None:
    aim_at_real_rows(case, world)
    case.call_and_validate(
        headers=world.headers(role),
        additional_checks=[refused_only_for_data_dependent_reasons],
        excluded_checks=[negative_data_rejection] if _empty_typed_query_value(case) else [],
    )


# The world is function-scoped: Hypothesis runs every example of one operation in it, which is fine,
# as the only write (a project update) leaves a world the next examples may equally be run in.
ONE_WORLD_PER_OPERATION = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("role", ROLES)
@fuzzed.parametrize()
@ONE_WORLD_PER_OPERATION
def test_fuzzing(case, role, api_world, same_connection):
    _call_and_validate(case, role, api_world)


@pytest.mark.parametrize("role", COVERAGE_ROLES)
@covered.parametrize()
@ONE_WORLD_PER_OPERATION
def test_coverage(case, role, api_world, same_connection):
    _call_and_validate(case, role, api_world)
