"""One installation, two partnerships, each with a scrutiny of the same slug.

Fernhill (A, the `world` of test_scoping.py, with audits, surveys, the plan) and Ashdown (B, with
its own scrutiny of A's slug, agency, area, role, person and evidence). The business unit of each
is staff, not a superuser: it keeps its own partnership in the admin site and gets "not found"
for everything of the other's, in pages, the admin and the API. The superuser is the platform's
operator: partnerships and people in the admin, no case data anywhere. Commands name the
partnership when there are two; public statements have an address per partnership.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from audits.models import AuditEvent
from scrutiny.forms import PartnershipForm
from scrutiny.models import (
    Agency,
    Area,
    Partnership,
    PractitionerRole,
    Response,
    Scrutiny,
    TrailEntry,
    User,
)
from tests.audits.conftest_moderation import answers, make_audits
from tests.conftest import client_for
from tests.factories import AgencyFactory, AreaFactory, UserFactory
from tests.red_team.test_scoping import (
    MISSING_ID,
    PARAMETER,
    ROUTES,
    World,
    _answer,
    _code_kind,
    _methods,
    world,  # noqa: F401  (the fixture)
    world_built,  # noqa: F401  (the fixture it stands on)
)

pytestmark = pytest.mark.django_db

CASE_DATA = {
    "Response",
    "Answer",
    "CaseFile",
    "Assignment",
    "Sample",
    "Moderation",
    "ImmediateConcern",
    "Invitation",
    "OpenDraft",
    "Survey",
    "EvidenceNote",
    "Quote",
    "Finding",
    "EventPack",
    "Action",
    "ActionUpdate",
    "Priority",
    "Outcome",
    "Job",
}


@dataclass
class Two:
    world: World
    slug: str
    b: Partnership
    admin_b: User
    scrutiny_b: Scrutiny
    objects_b: dict[str, Any]  # admin model label to one of B's rows


@pytest.fixture
def two(world) -> Two:  # noqa: F811
    b = world.b
    slug = world.values["slug"]
    agency = AgencyFactory(partnership=b, code="ASH", name="Ashdown Council")
    area = AreaFactory(partnership=b, code="ASN", name="Ashdown North")
    role = PractitionerRole.objects.create(partnership=b, code="ASW", name="Ashdown worker")
    auditor = UserFactory(
        partnership=b, email="lee@ashdown.invalid", role=User.Role.AUDITOR, agency=agency
    )
    audits = make_audits(b, slug=slug)  # the same slug as Fernhill's scrutiny
    Scrutiny.objects.filter(pk=audits.scrutiny.pk).update(title="Ashdown review")
    case = audits.case("ASH-CASE-7", area=area)
    assignment = audits.assign(case, agency, auditor=auditor)
    audits.submit(assignment, answers(Q2="Seen at Ashdown school."))
    # A's own title, for the checks that B sees none of it ("Fernhill" is among the names).
    Scrutiny.objects.filter(partnership=world.a, slug=slug).update(title="Fernhill review")
    world.names = [name for name in world.names if name != "Learning from Practice 2025"]
    trail = TrailEntry.objects.create(partnership=b, actor="ash@ashdown.invalid", action="viewed")
    objects_b = {
        "scrutiny.Agency": agency,
        "scrutiny.Area": area,
        "scrutiny.PractitionerRole": role,
        "scrutiny.User": auditor,
        "scrutiny.Scrutiny": audits.scrutiny,
        "scrutiny.TrailEntry": trail,
        "audits.AuditEvent": AuditEvent.objects.create(
            scrutiny=audits.scrutiny, case=case, action=AuditEvent.Action.VIEWED
        ),
    }
    assert all(objects_b.values())
    return Two(world, slug, b, world.admin_b, audits.scrutiny, objects_b)


def _admin_url(row: Any, view: str) -> str:
    return reverse(f"admin:{row._meta.app_label}_{row._meta.model_name}_{view}", args=[row.pk])


# Pages and the API ---------------------------------------------------------------------------


def test_the_same_slug_is_each_partnerships_own(two):
    url = reverse("scrutiny-detail", args=[two.slug])
    page_b = client_for(two.admin_b).get(url).content.decode()
    page_a = client_for(two.world.admin_a).get(url).content.decode()
    assert "Ashdown review" in page_b and "Fernhill review" not in page_b
    assert "Fernhill review" in page_a and "Ashdown review" not in page_a
    api = client_for(two.admin_b).get(reverse("api-scrutiny-detail", args=[two.slug])).json()
    assert api["title"] == "Ashdown review"


SLUG_ROUTES = [route for route in ROUTES if "<slug:slug>" in route]


def _shared_slug_url(route: str, two: Two, *, missing: bool) -> str:
    """The route with the slug both partnerships use, and A's ids (or missing ones)."""

    def value(match: re.Match[str]) -> str:
        name = match["name"]
        if name == "slug":
            return two.slug
        if name == "code":
            return str(two.world.values[_code_kind(route)])
        if name in ("kind", "fmt", "step", "template"):
            return {"kind": "pdf", "fmt": "xlsx", "step": "0"}.get(name, "case-file-audit")
        return str(MISSING_ID if missing else two.world.values[name])

    return "/" + PARAMETER.sub(value, route)


@pytest.mark.parametrize("route", SLUG_ROUTES)
def test_under_a_shared_slug_nothing_of_the_other_partnership_answers(two, route):
    """B's administrator, at B's own scrutiny's address (A's slug too): A's instruments, packs,
    quotes and case files in it answer as missing ones, and no answer names A's things."""
    client = client_for(two.admin_b)
    real = _shared_slug_url(route, two, missing=False)
    for method in _methods(route):
        got = _answer(client, method, real)
        for name in two.world.names:
            assert name not in got[1], f"{method.upper()} {real} names {name!r}"
        if "<int:" in route:
            expected = _answer(client, method, _shared_slug_url(route, two, missing=True))
            assert got == expected, f"{method.upper()} {real} answers unlike a missing one"


# The admin site ------------------------------------------------------------------------------


def test_the_business_unit_administers_its_own_partnership(two):
    a, admin_a = two.world.a, two.world.admin_a
    assert admin_a.is_staff and not admin_a.is_superuser
    client = client_for(admin_a)
    assert client.get(reverse("admin:index")).status_code == 200
    # An agency, an area and a role: A's, whatever partnership the form is sent.
    for model, data in (
        (Agency, {"code": "NEWAG", "name": "Fernhill Health", "type": "health"}),
        (Area, {"code": "STH", "name": "Fernhill South"}),
        (PractitionerRole, {"code": "HV", "name": "Health visitor"}),
    ):
        url = reverse(f"admin:scrutiny_{model._meta.model_name}_add")
        answer = client.post(url, {**data, "partnership": two.b.pk})
        assert answer.status_code == 302, answer.content.decode()[:2000]
        assert model.objects.get(code=data["code"]).partnership_id == a.pk
    # A code the partnership uses already is a mistake on the form, not a failure.
    again = client.post(reverse("admin:scrutiny_area_add"), {"code": "STH", "name": "Again"})
    assert again.status_code == 200
    assert Area.objects.filter(code="STH").count() == 1
    # A person of an agency of A's.
    agency = Agency.objects.get(code="NEWAG")
    person = {
        "email": "nat@fernhill.invalid",
        "full_name": "Nat Fernhill",
        "role": User.Role.AUDITOR,
        "agency": agency.pk,
        "usable_password": "false",
        "partnership": two.b.pk,
    }
    added = client.post(reverse("admin:scrutiny_user_add"), person)
    assert added.status_code == 302, added.content.decode()[:3000]
    nat = User.objects.get(email="nat@fernhill.invalid")
    assert nat.partnership_id == a.pk and nat.agency_id == agency.pk
    assert not nat.is_superuser
    # Not with an agency of B's: it is not among the choices.
    person.update(email="ola@fernhill.invalid", agency=two.objects_b["scrutiny.Agency"].pk)
    refused = client.post(reverse("admin:scrutiny_user_add"), person)
    assert refused.status_code == 200
    assert not User.objects.filter(email="ola@fernhill.invalid").exists()
    form = client.get(reverse("admin:scrutiny_user_add")).content.decode()
    assert "Ashdown" not in form
    assert "is_superuser" not in form and "user_permissions" not in form
    # Redaction terms: on the partnership's own page.
    data = {field.name: field.value() for field in PartnershipForm(instance=a)}
    data = {name: "" if value is None else value for name, value in data.items()}
    data["redaction_terms"] = "Fernhill Primary\nOak Lane"
    assert client.post(reverse("partnership-edit"), data).status_code == 302
    a.refresh_from_db()
    assert a.redaction_terms == "Fernhill Primary\nOak Lane"


def test_the_business_unit_resets_a_lost_phone_of_its_own_people_only(two):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.conftest import second_factor_for

    own = UserFactory(
        partnership=two.world.a, role=User.Role.SCRUTINEER, email="kai@fernhill.invalid"
    )
    other = two.objects_b["scrutiny.User"]
    second_factor_for(own)
    second_factor_for(other)
    client = client_for(two.world.admin_a)
    url = reverse("admin:scrutiny_user_changelist")
    action = {"action": "second_factor_reset", "_selected_action": [own.pk, other.pk]}
    answer = client.post(url, action, follow=True)
    assert "Two-factor authentication reset for 1 person" in answer.content.decode()
    assert not TOTPDevice.objects.filter(user=own).exists()
    assert TOTPDevice.objects.filter(user=other).exists()
    entry = TrailEntry.objects.get(action="second factor reset")
    assert (entry.user, entry.object_id) == (two.world.admin_a, str(own.pk))


def test_everything_of_the_other_partnership_is_not_found_in_the_admin(two):
    client = client_for(two.world.admin_a)
    for label, row in two.objects_b.items():
        for view in ("change", "delete", "history"):
            url = _admin_url(row, view)
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"post": "yes"}).status_code == 404, url
        lists = reverse(f"admin:{row._meta.app_label}_{row._meta.model_name}_changelist")
        shown = client.get(lists).content.decode()
        assert "Ashdown" not in shown and "ashdown.invalid" not in shown, label
    assert client.get(_admin_url(two.b, "change")).status_code == 403  # the operator's
    assert Agency.objects.filter(partnership=two.b).count() == 1
    # Nor a superuser's account, though it belongs to no partnership.
    operator = User.objects.create_superuser("ops@platform.invalid", "x-long-password-1")
    assert client.get(_admin_url(operator, "change")).status_code == 404
    password = reverse("admin:auth_user_password_change", args=[operator.pk])
    assert client.get(password).status_code == 404


def test_nobody_adds_changes_or_deletes_a_trail_entry_in_the_admin(two):
    own = TrailEntry.objects.create(partnership=two.world.a, actor="robin", action="viewed")
    operator = User.objects.create_superuser("ops@platform.invalid", "x-long-password-1")
    for model in (TrailEntry, AuditEvent):
        model_admin = admin.site._registry[model]
        for user in (two.world.admin_a, operator):
            request = type("Request", (), {"user": user})()
            assert not model_admin.has_add_permission(request)
            assert not model_admin.has_change_permission(request, None)
            assert not model_admin.has_delete_permission(request, None)
    client = client_for(two.world.admin_a)
    assert client.get(_admin_url(own, "change")).status_code == 200  # to read
    assert client.post(_admin_url(own, "delete"), {"post": "yes"}).status_code == 403
    assert TrailEntry.objects.filter(pk=own.pk).exists()


# The operator --------------------------------------------------------------------------------


def test_the_operator_reads_no_case_data(two):
    operator = User.objects.create_superuser("ops@platform.invalid", "x-long-password-1")
    client = client_for(operator)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    shown: set[str] = set()
    for app in index.context["app_list"]:
        shown |= {model["object_name"] for model in app["models"]}
    assert {"Partnership", "User"} <= shown
    assert not shown & (CASE_DATA | {"TrailEntry", "AuditEvent", "Scrutiny", "Agency"})
    # Nobody reads a second factor's secret or recovery codes in the admin.
    assert not shown & {"TOTPDevice", "StaticDevice"}
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    values = two.world.values
    for name, args in (
        ("scrutiny-list", []),
        ("scrutiny-detail", [two.slug]),
        ("workspace", [two.slug]),
        ("plan", []),
        ("job-detail", [values["job_id"]]),
        ("audit-detail", [values["assignment_id"]]),
        ("audit-concern-detail", [values["concern_id"]]),
        ("api-scrutiny-detail", [two.slug]),
        ("api-job-detail", [values["job_id"]]),
        ("agency-detail", [values["agency_id"]]),
    ):
        assert client.get(reverse(name, args=args)).status_code in (403, 404), name
    body = client.get(reverse("home")).content.decode()
    assert "Fernhill" not in body and "Ashdown" not in body
    # Partnerships and people, to add a partnership and its first administrator.
    assert client.get(reverse("admin:scrutiny_partnership_changelist")).status_code == 200
    people = client.get(reverse("admin:scrutiny_user_changelist")).content.decode()
    assert "ash@ashdown.invalid" in people and "robin@fernhill.invalid" in people
    assert Response.objects.exists()


# Commands ------------------------------------------------------------------------------------


def test_commands_say_which_partnership_when_there_are_two(two, capsys):
    with pytest.raises(CommandError, match="--partnership SLUG") as ambiguous:
        call_command("scores", two.slug)
    assert two.b.slug in str(ambiguous.value)
    with pytest.raises(CommandError, match=r"no partnership 'nowhere' \(--partnership\)"):
        call_command("scores", two.slug, "--partnership", "nowhere")
    call_command("scores", two.slug, "--json", "--partnership", two.b.slug)
    assert '"scrutiny": "' + two.slug in capsys.readouterr().out
    call_command("scores", two.slug, "--partnership", two.b.slug)
    assert "Ashdown review" in capsys.readouterr().out
    call_command("scores", two.slug, "--partnership", two.world.a.slug)
    assert "Fernhill review" in capsys.readouterr().out
    for command in ("import_instrument", "event_pack", "response_rates", "sample", "invite"):
        with pytest.raises(CommandError, match="--partnership"):
            call_command(command, *_arguments(command, two.slug))


def _arguments(command: str, slug: str) -> list[str]:
    return {
        "import_instrument": [slug, "tool.xlsx"],
        "event_pack": [slug, "--pdf", "pack.pdf"],
        "response_rates": [slug, "PS"],
        "sample": [slug, "cases.csv", "--by", "area", "--per", "1", "--seed", "1"],
        "invite": [slug, "PS", "people.csv"],
    }[command]


# Public statements ---------------------------------------------------------------------------


def test_public_statements_have_an_address_per_partnership(two, client):
    Partnership.objects.filter(pk=two.world.a.pk).update(privacy_notice="Fernhill keeps data.")
    Partnership.objects.filter(pk=two.b.pk).update(privacy_notice="Ashdown keeps data.")
    a_page = client.get(reverse("partnership-privacy", args=[two.world.a.slug])).content
    b_page = client.get(reverse("partnership-privacy", args=[two.b.slug])).content
    assert b"Fernhill keeps data." in a_page and b"Ashdown" not in a_page
    assert b"Ashdown keeps data." in b_page and b"Fernhill" not in b_page
    assert f"/p/{two.b.slug}/accessibility/".encode() in b_page  # its footer: its own
    assert client.get(reverse("partnership-privacy", args=["nowhere"])).status_code == 404
    # The old addresses: one's own when signed in; never a choice between two.
    assert client.get(reverse("privacy")).status_code == 404
    assert client.get(reverse("accessibility")).status_code == 404
    mine = client_for(two.admin_b).get(reverse("privacy")).content
    assert b"Ashdown keeps data." in mine and b"Fernhill" not in mine
    assert b"Fernhill" not in client.get(reverse("home")).content


def test_a_survey_page_links_to_its_partnerships_statements(two, client):
    from surveys.models import Survey

    survey = Survey.objects.get(pk=two.world.values["survey_id"])
    survey.open_link_enabled = True
    survey.save()
    page = client.get(reverse("survey-open", args=[survey.public_key])).content.decode()
    slug = two.world.a.slug
    assert f'href="/p/{slug}/accessibility/"' in page
    assert f'href="/p/{slug}/privacy/"' in page
