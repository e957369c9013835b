"""The API keeps to its own OpenAPI schema (issue 17: "schemathesis against /api/schema/ as two
roles with every check on: no 5xx, no schema violation").

Every operation of the schema `/api/schema/` serves is called in-process (config.wsgi), on the
demo, as the business unit, the Independent Scrutineer and an auditor, with an API token. For
each, schemathesis generates valid requests (their path parameters mostly filled with the demo's
real ids, slugs and codes, so that 200 bodies are checked, not only 404s) and invalid ones, and
runs every check it has: no server error; status codes, content types, headers and bodies as
documented; valid data accepted, invalid data refused; without the token or with a wrong one,
refused. Hypothesis runs derandomized, without shrinking (a failure is reported as found).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode
from schemathesis.checks import CheckFunction
from schemathesis.core.result import Ok
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.schemas import OpenApiSchema

ROLES = {
    "business unit": "admin@demo.invalid",
    "Independent Scrutineer": "scrutineer@demo.invalid",
    "auditor": "auditor.nbc@demo.invalid",
}
# Examples an operation and mode: enough to reach each operation's branches on the demo,
# few enough for the three roles to run in about a minute.
EXAMPLES = {GenerationMode.POSITIVE: 3, GenerationMode.NEGATIVE: 2}
TOKEN_REVOKE = "POST /api/token/revoke/"
# Checks turned off for one operation, each with its reason. None at present: the one
# allowance, a 400 for a request that names what does not exist, is in conftest.api_schema.
EXCLUDED_CHECKS: dict[str, list[CheckFunction]] = {}


@st.composite
def _cases(
    draw: st.DrawFn,
    operation: APIOperation,
    mode: GenerationMode,
    path_values: dict[str, list[Any]],
) -> Case:
    """A generated request; a valid one's path parameters are, three times in four, the demo's
    real values. Hypothesis starts from the smallest draws, so the first examples are the real
    ones."""
    case = draw(operation.as_strategy(generation_mode=mode))
    for name in list(case.path_parameters or {}):
        values = path_values.get(name)
        if values and draw(st.integers(min_value=0, max_value=3)) < 3:
            case.path_parameters[name] = draw(st.sampled_from(values))
    return case


def _invalid_cases(
    operation: APIOperation, path_values: dict[str, list[Any]]
) -> st.SearchStrategy[Case] | None:
    """Invalid requests to a real thing: the path names one of the demo's (an invalid path is
    the red team's: every id-addressed route answers a missing or foreign id with a 404,
    tests/red_team/test_partnerships.py), and the query or the body is invalid. None when the
    operation takes neither, so that nothing of it can be invalid."""
    if not len(operation.query) and not len(operation.body):
        return None
    fixed = {
        parameter.name: path_values[parameter.name][0]
        for parameter in operation.path_parameters
        if parameter.name in path_values
    }
    return operation.as_strategy(generation_mode=GenerationMode.NEGATIVE, path_parameters=fixed)


def _check_operation(
    operation: APIOperation,
    *,
    mode: GenerationMode,
    path_values: dict[str, list[Any]],
    token: Callable[[], str],
) -> None:
    excluded = EXCLUDED_CHECKS.get(operation.label, [])
    if mode is GenerationMode.POSITIVE:
        strategy: st.SearchStrategy[Case] | None = _cases(operation, mode, path_values)
    else:
        strategy = _invalid_cases(operation, path_values)
    if strategy is None:
        return

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Case) -> None:
        case.call_and_validate(
            headers={"Authorization": f"Token {token()}"}, excluded_checks=excluded
        )

    try:
        run()
    except Unsatisfiable:
        # Nothing about the request can be invalid (no parameters, no body): no negative case.
        if mode is not GenerationMode.NEGATIVE:
            raise


def _failures(
    schema: OpenApiSchema, *, path_values: dict[str, list[Any]], token_of: Callable[[], str]
) -> list[str]:
    failures = []
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):  # an operation schemathesis cannot read fails too
            failures.append(f"{result.err()}")
            continue
        operation = result.ok()
        # Revoking signs the token out: that operation is given a token of its own each time.
        token = token_of if operation.label == TOKEN_REVOKE else _once(token_of)
        for mode in EXAMPLES:
            try:
                _check_operation(operation, mode=mode, path_values=path_values, token=token)
            except (Exception, BaseExceptionGroup) as failure:  # all reported together
                failures.append(f"{operation.label} ({mode.value}):\n{failure}")
    return failures


def _once(make: Callable[[], str]) -> Callable[[], str]:
    token = make()
    return lambda: token


@pytest.mark.parametrize("role", list(ROLES))
def test_every_operation_keeps_to_the_schema(api_schema, path_values, token_for, role):
    failures = _failures(
        api_schema, path_values=path_values, token_of=lambda: token_for(ROLES[role])
    )
    assert not failures, "\n\n".join(failures)


def test_the_demo_gives_real_values_for_the_path_parameters(path_values):
    """The harness reaches real things: the scrutiny's slug and the ids of what it holds."""
    assert {"slug", "code", "action_id", "assignment_id", "case_id"} <= set(path_values)


def test_the_schema_is_valid_without_warnings(tmp_path):
    """`manage.py spectacular --validate --fail-on-warn`, as CI runs it."""
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )
