"""The public statements, the partnership page, health, the admin and the API schema."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from scrutiny.models import Job
from tests.conftest import client_for, second_factor_for, totp_code


@pytest.mark.django_db
def test_statements_are_public_and_editable_by_the_business_unit(
    client, business_unit, partnership
):
    page = client.get(reverse("accessibility"))
    assert page.status_code == 200
    assert "has not yet published its accessibility statement" in page.content.decode()

    response = client_for(business_unit).post(
        reverse("partnership-edit"),
        {
            "name": partnership.name,
            "contact_email": "unit@fernhill.invalid",
            "safeguarding_lead_name": "Sam Okafor",
            "safeguarding_lead_email": "lead@fernhill.invalid",
            "accessibility_statement": "We aim for WCAG 2.2 AA.\n\nTell us of problems.",
            "privacy_notice": "We keep survey data for 24 months.",
            "brag_blue": "Closed and evidenced",
            "brag_green": "On track",
            "brag_amber": "Some slippage",
            "brag_red": "Off track",
        },
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.safeguarding_lead_email == "lead@fernhill.invalid"
    # The delivery plan's colour key is the partnership's own words.
    plan = client_for(business_unit).get(reverse("plan")).content.decode()
    assert '<span class="brag brag--blue">Blue</span> Closed and evidenced' in plan
    assert '<span class="brag brag--amber">Amber</span> Some slippage' in plan
    body = client.get(reverse("accessibility")).content.decode()
    assert "<p>We aim for WCAG 2.2 AA.</p>" in body
    assert "unit@fernhill.invalid" in body
    assert "24 months" in client.get(reverse("privacy")).content.decode()


@pytest.mark.django_db
def test_bad_partnership_input_changes_nothing(business_unit, partnership):
    response = client_for(business_unit).post(
        reverse("partnership-edit"),
        {
            "name": "",
            "contact_email": "not an address",
            "accessibility_statement": "",
            "privacy_notice": "",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'href="#id_contact_email"' in body
    partnership.refresh_from_db()
    assert partnership.name == "Fernhill Safeguarding Children Partnership"


@pytest.mark.django_db
def test_only_the_business_unit_edits_the_partnership(scrutineer, auditor_council):
    for user in (scrutineer, auditor_council):
        assert client_for(user).get(reverse("partnership-edit")).status_code == 403


@pytest.mark.django_db
def test_health_checks_the_database(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


# What the admin holds: the partnership's people and lists, and its trails to read. Case data
# (evidence, audits, surveys, findings, packs, the plan) is on the platform's pages only.
ADMIN_MODELS = {
    "scrutiny.Partnership",
    "scrutiny.User",
    "scrutiny.Agency",
    "scrutiny.Area",
    "scrutiny.PractitionerRole",
    "scrutiny.Scrutiny",
    "scrutiny.TrailEntry",
    "audits.AuditEvent",
}


@pytest.mark.django_db
def test_the_business_unit_keeps_its_partnership_in_the_admin_with_search(business_unit):
    """Staff, not a superuser: every list of its own opens, with a search."""
    assert business_unit.is_staff and not business_unit.is_superuser
    client = client_for(business_unit)
    ours = {
        f"{m._meta.app_label}.{m.__name__}": m
        for m in admin.site._registry
        if m._meta.app_label in {"scrutiny", "audits", "surveys"}
    }
    assert set(ours) == ADMIN_MODELS
    for label, model in ours.items():
        assert admin.site._registry[model].search_fields, f"{label} has no search in the admin"
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        expected = 403 if label == "scrutiny.Partnership" else 200  # the operator's
        assert client.get(url, {"q": "fernhill"}).status_code == expected, url


@pytest.mark.django_db
def test_api_root_schema_and_docs(client, auditor_council):
    client = client_for(auditor_council)
    assert "agencies" in client.get(reverse("api-root")).json()
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/agencies/{agency_id}/" in schema.json()["paths"]
    assert client.get(reverse("api-docs")).status_code == 200


@pytest.mark.django_db
def test_token_authentication(client, auditor_council, password):
    otp = totp_code(second_factor_for(auditor_council))  # an auditor needs a second factor
    token = client.post(
        reverse("api-token"),
        {"username": "sam@fernhill.invalid", "password": password, "otp": otp},
    ).json()["token"]
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(reverse("api-me")).json()["email"] == "sam@fernhill.invalid"


@pytest.mark.django_db(transaction=True)
def test_background_selfcheck_reports_progress(business_unit):
    from tests.jobs import wait_for_job

    client = client_for(business_unit)
    response = client.post(reverse("selfcheck-start"))
    job = Job.objects.get()
    assert response["Location"] == reverse("job-detail", args=[job.pk])
    job = wait_for_job(job)
    assert job.status == Job.Status.DONE
    assert job.progress == 100
    assert "hostname" in job.result
    assert client.get(reverse("api-job-detail", args=[job.pk])).json()["status"] == "done"


@pytest.mark.django_db
def test_someone_elses_job_is_not_found(business_unit, auditor_council):
    job = Job.objects.create(
        kind="selfcheck", created_by=business_unit, partnership=business_unit.partnership
    )
    assert client_for(auditor_council).get(reverse("job-detail", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_scrutinies_link_is_offered_only_to_those_who_may_read_them(
    board_member, scrutineer, auditor_council
):
    link = f'<a href="{reverse("scrutiny-list")}">Scrutinies</a>'
    for person, offered in ((board_member, True), (scrutineer, True), (auditor_council, False)):
        page = client_for(person).get(reverse("home")).content.decode()
        assert (link in page) is offered, person.role


@pytest.mark.django_db
def test_every_page_title_names_the_page_and_the_service(client):
    page = client.get(reverse("login")).content.decode()
    assert "<title>Sign in \N{EN DASH} Safeguarding scrutiny</title>" in page


@pytest.mark.django_db
def test_api_documentation_pages_declare_their_language(auditor_council):
    client = client_for(auditor_council)
    for name in ("api-docs", "api-redoc"):
        assert '<html lang="en-GB">' in client.get(reverse(name)).content.decode(), name
    assert "scrutinies" in client.get(reverse("api-root")).json()
