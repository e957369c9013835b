"""What the API's schema tests stand on: the demo partnership, the schema as `/api/schema/`
serves it (read by schemathesis, in-process through config.wsgi), an API token for a person, and
real values of the demo for every path parameter, so that generated requests reach real things
and their 200 bodies are checked against the schema too."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.apps import apps
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, models
from knox.models import get_token_model
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.schemas import OpenApiSchema

from config.wsgi import application
from scrutiny.models import User

# The apps whose tables hold what the API addresses.
PROJECT_APPS = ("scrutiny", "audits", "surveys")
# Enough real values of one parameter to reach several things, few enough to stay quick.
VALUES_PER_MODEL = 12


@pytest.fixture(autouse=True)
def _connections_kept_between_requests() -> Iterator[None]:
    """Requests go straight to the WSGI application, not through Django's test client: as the
    client does, keep the test's database connection (and its transaction) open across them,
    where a real request's start and end would close it (PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def demo(demo_loaded, db) -> str:
    """The demo, loaded once for the module (tests.conftest.demo_loaded)."""
    return demo_loaded


@pytest.fixture
def api_schema(demo) -> OpenApiSchema:
    """The schema exactly as `/api/schema/` serves it. Credentials are the harness's to give
    (a real token, so that schemathesis also tries each operation without it and with a wrong
    one), not generated; runs are deterministic."""
    config = schemathesis.Config.from_dict(
        {
            "generation": {"with-security-parameters": False, "deterministic": True},
            # A request the schema allows may still name what does not exist or break a rule of
            # the moment (an agency code that is not the partnership's, findings not yet
            # signed off, a case file already moderated): the schema cannot say which, so such
            # a request may be refused with a 400 that says why. The 400 must still be
            # documented and shaped as documented (the other checks).
            "checks": {
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", "3xx", 400, 401, 403, 404, 409, 429]
                }
            },
        }
    )
    return schemathesis.openapi.from_wsgi("/api/schema/", application, config=config)


@pytest.fixture
def token_for(demo) -> Callable[[str], str]:
    """A new API token of the demo login with this email, as `POST /api/token/` gives it."""

    def make(email: str) -> str:
        user = User.objects.get(email=email)
        return str(get_token_model().objects.create(user=user)[1])

    return make


def _values_of(name: str) -> list[Any]:
    """Real values for a path parameter, found by its name alone so that new endpoints are
    covered without a list here: `<thing>_id` is the key of every table whose model's name
    holds `thing` (`pack_id`: EventPack; `case_id`: CaseFile), any other name the values of
    every field so named (`slug`, `code`, `public_key`)."""
    found: list[Any] = []
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            found.extend(_model_values(model, name))
    return sorted(set(found), key=str)


def _model_values(model: type[models.Model], name: str) -> list[Any]:
    if name.endswith("_id"):
        if name.removesuffix("_id") not in model.__name__.lower():
            return []
        field = "pk"
    else:
        names = {f.name for f in model._meta.get_fields() if isinstance(f, models.Field)}
        if name not in names or model._meta.get_field(name).is_relation:
            return []
        field = name
    rows = model._default_manager.order_by("pk").values_list(field, flat=True)
    return [value for value in rows[:VALUES_PER_MODEL] if value not in (None, "")]


@pytest.fixture
def path_values(demo, api_schema) -> dict[str, list[Any]]:
    """For each path parameter of the schema, the demo's real values it may take."""
    names = {
        parameter.name
        for result in api_schema.get_all_operations()
        if isinstance(result, Ok)
        for parameter in result.ok().path_parameters
    }
    return {name: values for name in sorted(names) if (values := _values_of(name))}
