"""Nothing of another partnership answers anything but "not found".

Attack (issue 12): an administrator of one partnership read another's jobs (`/jobs/<id>/`,
`/api/jobs/<id>/`), and importing a workbook with another partnership's slug said whose it was.

Here an administrator of Ashdown (partnership B) tries every page and API route that takes an
id or a slug, with every method, on Fernhill's (partnership A's) objects, and gets exactly what
the same route answers for an id or slug that does not exist: the same status and the same
body, naming nothing of Fernhill's. The routes are read from the URL configuration, so a route
added later is tried too (and fails here until its parameters are known). A superuser is the
platform's operator and reads no case data at all (scrutiny.permissions); the admin site and
slugs shared by two partnerships are tried in test_partnerships.py.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from audits.models import ImmediateConcern
from scrutiny import findings, services
from scrutiny.disclosure import Redactor
from scrutiny.disclosure.pseudonyms import responses_numbered
from scrutiny.evidence import response_submit
from scrutiny.instruments import instrument_current_version, instrument_save, version_compile
from scrutiny.library import TEMPLATES
from scrutiny.models import (
    Action,
    ActionUpdate,
    Agency,
    Answer,
    Brag,
    EventPack,
    Outcome,
    Partnership,
    Priority,
    Quote,
    Response,
    Scrutiny,
    Source,
    SuccessFactor,
    User,
)
from surveys.models import OpenDraft
from surveys.services.youth_sessions import youth_session_start
from tests.audits.conftest_moderation import answers, make_audits
from tests.conftest import client_for
from tests.factories import AgencyFactory, AreaFactory, PartnershipFactory, UserFactory
from tests.jobs import through_job as through_job
from tests.surveys.conftest import make_survey, survey_definition

pytestmark = pytest.mark.django_db

MISSING_ID = 987_654_321
MISSING_SLUG = "no-such-scrutiny"
MISSING_CODE = "ZZ9"
CASE_REF = "FH-CASE-0042"

# Routes with nothing of a partnership's in their address.
NOT_ADDRESSED_BY_ID = {
    "plan/delivery-plan.<str:fmt>",  # the reader's own partnership's plan, in a format
    # A partnership's public statements, for anyone (test_partnerships.py).
    "p/<slug:partnership_slug>/accessibility/",
    "p/<slug:partnership_slug>/privacy/",
}
# Links whose key is the capability (a survey link, a password reset): no account, no scoping.
PUBLIC_KEYS = ("<str:token>", "<str:public_key>", "<uidb64>")
PAGE_METHODS = ("get", "post")
API_METHODS = ("get", "post", "put", "patch", "delete")
# Persona of A who reaches a route, for the check that A's values are real.
OWNERS = ("admin", "auditor", "lead")
# Reached only with the session a personal link gives: no persona of A has one here.
SESSION_ONLY = ("invited/<int:survey_id>/",)


def _routes(patterns: list[Any] | None = None, prefix: str = "") -> Iterator[str]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and "<" in route:
            yield route


def id_addressed_routes() -> list[str]:
    return sorted(
        {
            route
            for route in _routes()
            if not route.startswith("admin/")
            and route not in NOT_ADDRESSED_BY_ID
            and not any(key in route for key in PUBLIC_KEYS)
            # A session's code is the children's key to it, as an open link's is: not an id.
            and not route.startswith("young/<str:code>")
        }
    )


@dataclass
class World:
    a: Partnership
    b: Partnership
    admin_a: User
    auditor_a: User
    lead_a: User
    admin_b: User
    scrutiny_b: Scrutiny
    values: dict[str, Any]  # parameter name to A's value
    names: list[str]  # what of A's must never be shown to B


@pytest.fixture(scope="module")
def world_built(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[World]:
    """The two partnerships, built once for a module of tests (committed, as tests.conftest's
    demo_loaded is: each test runs in its own transaction, rolled back) and removed at its end.
    Tasks run in-process while it is built, so that no worker acts on what is removed."""
    from celery import current_app as celery_app
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.test import override_settings

    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("world-media"))
    media.enable()
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        with django_db_blocker.unblock():
            built = _world_build()
    finally:
        celery_app.conf.task_always_eager = eager
    yield built
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        ContentType.objects.clear_cache()
    media.disable()


@pytest.fixture
def world(world_built, db) -> World:
    """The module's world, its people and partnerships read afresh for each test."""
    built = world_built
    users = {
        u.pk: u
        for u in User.objects.filter(
            pk__in=[built.admin_a.pk, built.auditor_a.pk, built.lead_a.pk, built.admin_b.pk]
        )
    }
    return dataclasses.replace(
        built,
        a=Partnership.objects.get(pk=built.a.pk),
        b=Partnership.objects.get(pk=built.b.pk),
        admin_a=users[built.admin_a.pk],
        auditor_a=users[built.auditor_a.pk],
        lead_a=users[built.lead_a.pk],
        admin_b=users[built.admin_b.pk],
        scrutiny_b=Scrutiny.objects.get(pk=built.scrutiny_b.pk),
        values=dict(built.values),
        names=list(built.names),
    )


def _world_build() -> World:
    a = PartnershipFactory()
    council = AgencyFactory(
        partnership=a, code="FHC", name="Fernhill Council", type=Agency.Type.LOCAL_AUTHORITY
    )
    area = AreaFactory(partnership=a, code="NTH", name="Fernhill North")
    business_unit = UserFactory(
        partnership=a, email="robin@fernhill.invalid", role=User.Role.ADMINISTRATOR, is_staff=True
    )
    auditor_council = UserFactory(
        partnership=a, email="sam@fernhill.invalid", role=User.Role.AUDITOR, agency=council
    )
    lead = UserFactory(
        partnership=a, email="kit@fernhill.invalid", role=User.Role.AGENCY_LEAD, agency=council
    )
    audits = make_audits(a)
    scrutiny = audits.scrutiny
    case = audits.case(CASE_REF, area=area)
    assignment = audits.assign(case, council, auditor=auditor_council)
    response = audits.submit(assignment, answers(Q2="Seen at Fernhill Primary."))
    concern = ImmediateConcern.objects.create(
        case=case,
        assignment=assignment,
        raised_by=auditor_council,
        concern="Fernhill child left alone overnight.",
    )
    factor = SuccessFactor.objects.get(scrutiny=scrutiny, code="SF1")
    quote = Quote.objects.create(
        scrutiny=scrutiny,
        factor=factor,
        answer=Answer.objects.get(response=response, question__code="Q2"),
        text="Seen at Fernhill Primary.",
        source=Source.FILE_AUDIT,
    )
    survey_tool = instrument_save(scrutiny=scrutiny, definition=survey_definition()).instrument
    survey = make_survey(survey_tool, title="Fernhill practitioners' views")
    response_submit(
        compiled=version_compile(instrument_current_version(survey_tool)),
        values={
            code: value
            for code, value in answers(Q2="Heard at Fernhill Primary.").items()
            if code != "G1"
        },
        channel=Response.Channel.SURVEY,
        anonymous=True,
    )
    family_tool = instrument_save(
        scrutiny=scrutiny, definition=survey_definition(Source.FAMILY_FEEDBACK, "FF")
    ).instrument
    family = make_survey(family_tool, title="Fernhill family feedback")
    young_tool = instrument_save(
        scrutiny=scrutiny, definition=survey_definition(Source.YOUNG_PEOPLE, "YP")
    ).instrument
    young = make_survey(young_tool, title="Fernhill children's survey", anonymous=True)
    # A child's answer that may mean harm (as if flagged), for the business unit to review.
    Answer.objects.filter(response=response, question__code="Q2").update(disclosure=True)
    flagged = Answer.objects.get(response=response, question__code="Q2")
    session = youth_session_start(
        survey=young, user=business_unit, setting="Fernhill Academy", consent_confirmed=True
    )
    started = client_for(lead).post(reverse("answer-start", args=[family.pk]))
    assert started.status_code == 302, started
    draft = OpenDraft.objects.get(survey=family, entered_by=lead)
    pack = EventPack.objects.create(scrutiny=scrutiny, built_by=business_unit)
    pack.pdf.save("fernhill-pack.pdf", ContentFile(b"%PDF-1.4 Fernhill"))
    job = services.job_create(kind="event pack", user=business_unit)
    pack.job = job
    pack.save()
    priority = Priority.objects.create(partnership=a, title="Fernhill hears the child")
    outcome = Outcome.objects.create(priority=priority, text="Fernhill children are heard.")
    action = Action.objects.create(
        partnership=a,
        scrutiny=scrutiny,
        factor=factor,
        outcome=outcome,
        text=f"Review {CASE_REF} with Fernhill Council.",
        responsible=council,
    )
    update = ActionUpdate.objects.create(
        action=action, status=Brag.GREEN, note="Fernhill reviewed it.", by=business_unit
    )
    update.document.save("fernhill-evidence.pdf", ContentFile(b"%PDF-1.4 Fernhill"))
    update.document_name = "fernhill-evidence.pdf"
    update.save()
    # Signed off, A's results are published to its board, with the pack's PDF.
    for finding in findings.findings_ensure(scrutiny=scrutiny):
        findings.finding_update(
            finding=finding, strengths="Fernhill plans well.", improvements="", user=business_unit
        )
    findings.findings_sign_off(scrutiny=scrutiny, user=business_unit)
    publication = scrutiny.publication
    publication.pdf.save("fernhill-published.pdf", ContentFile(b"%PDF-1.4 Fernhill"))
    # As the build records it: redacted with the terms A holds now, so it is served.
    publication.pdf_redaction = Redactor.for_scrutiny(scrutiny).digest
    publication.save(update_fields=["pdf_redaction"])

    b = PartnershipFactory(name="Ashdown Safeguarding Partnership", contact_email="")
    admin_b = UserFactory(
        partnership=b,
        email="ash@ashdown.invalid",
        role=User.Role.ADMINISTRATOR,
        is_staff=True,
    )
    scrutiny_b = Scrutiny.objects.create(partnership=b, slug="ashdown-2025", title="Ashdown")
    SuccessFactor.objects.create(scrutiny=scrutiny_b, code="SF1", statement="Ashdown plans.")
    values = {
        "agency_id": council.pk,
        "job_id": job.pk,
        "slug": scrutiny.slug,
        "instrument_id": audits.compiled.instrument_id,
        "pack_id": pack.pk,
        "quote_id": quote.pk,
        "priority_id": priority.pk,
        "action_id": action.pk,
        "update_id": update.pk,
        "assignment_id": assignment.pk,
        "concern_id": concern.pk,
        "case_id": case.pk,
        "survey_id": survey.pk,
        "draft_id": draft.pk,
        "factor_code": factor.code,
        "instrument_code": survey_tool.code,
        "family_survey_id": family.pk,
        "young_survey_id": young.pk,
        "session_id": session.pk,
        "answer_id": flagged.pk,
        # The API names a response by a pseudonym of the instrument (scrutiny.apis.responses).
        "number": responses_numbered(survey_tool).values_list("number", flat=True).first(),
    }
    names = [
        "Fernhill",
        scrutiny.title,
        CASE_REF,
        survey.title,
        priority.title,
        str(concern.concern),
    ]
    return World(a, b, business_unit, auditor_council, lead, admin_b, scrutiny_b, values, names)


# Parameters that pick a view's variant, not an object: the same whatever the partnership.
FIXED = {"kind": "pdf", "fmt": "xlsx", "step": "0", "template": TEMPLATES[0].slug}
PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _code_kind(route: str) -> str:
    """`code` is an instrument's in an instrument's address and in response rates, else a
    success factor's."""
    return (
        "instrument_code" if re.search(r"(instruments|rates)/<str:code>", route) else "factor_code"
    )


def url_for(route: str, values: dict[str, Any], *, missing: bool, cross_slug: str = "") -> str:
    """The route's address for A's objects, or with every id, slug and code one that does not
    exist. `cross_slug` puts B's own scrutiny in the address, with A's (or no) objects in it."""

    def value(match: re.Match[str]) -> str:
        name = match["name"]
        if name in FIXED:
            return str(FIXED[name])
        if name == "slug":
            return cross_slug or (MISSING_SLUG if missing else values["slug"])
        if name == "code":
            return MISSING_CODE if missing else values[_code_kind(route)]
        if name == "survey_id" and route.startswith("answer/"):
            name = "family_survey_id"
        if name == "survey_id" and route.startswith("sessions/"):
            name = "young_survey_id"
        if name not in values:
            raise AssertionError(f"{route}: say here what {name!r} of partnership A's is")
        return str(MISSING_ID if missing else values[name])

    return "/" + PARAMETER.sub(value, route)


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
# The language switch of every page returns to the page asked for (its own address).
LANGUAGE_NEXT = re.compile(r'name="next" value="[^"]*"')


def _answer(client: Client, method: str, url: str) -> tuple[int, str]:
    kwargs: dict[str, Any] = {}
    if method in ("put", "patch"):
        kwargs = {"data": "{}", "content_type": "application/json"}
    response = getattr(client, method)(url, **kwargs)
    body = b"".join(response) if response.streaming else response.content  # type: ignore[attr-defined]
    text = CSRF.sub("csrf", body.decode(errors="replace"))
    return response.status_code, LANGUAGE_NEXT.sub("next", text)


def _methods(route: str) -> tuple[str, ...]:
    return API_METHODS if route.startswith("api/") else PAGE_METHODS


def _assert_same_as_missing(client: Client, route: str, real: str, missing: str, names) -> None:
    found_any = False
    for method in _methods(route):
        got = _answer(client, method, real)
        expected = _answer(client, method, missing)
        found_any |= expected[0] == 404
        assert got == expected, f"{method.upper()} {real} answers unlike a missing one"
        for name in names:
            assert name not in got[1], f"{method.upper()} {real} names {name!r}"
    if not route.startswith(SESSION_ONLY):  # these say the link has expired, whatever the id
        assert found_any, f"{route}: no method answers 'not found' for a missing object"


ROUTES = id_addressed_routes()
# Their POST names a sub-object in its body; their page (the instrument's) is tried already.
NEEDS_A_BODY = ("/questions/remove/", "/lists/remove/")


def _reached_by_partnership_a(world: World, route: str, url: str) -> bool:
    people = {"admin": world.admin_a, "auditor": world.auditor_a, "lead": world.lead_a}
    for owner in OWNERS:
        client = client_for(people[owner])
        if any(_answer(client, m, url)[0] != 404 for m in _methods(route)):
            return True
    return False


@pytest.mark.parametrize("route", ROUTES)
def test_another_partnerships_object_answers_as_a_missing_one(world, route):
    """B's administrator, on A's objects: the answer for a missing one. Where the address holds
    a scrutiny and an id, also with B's own scrutiny and A's instrument, pack, quote or case
    file after it. And A's own people do reach the address, so the answer is not vacuous."""
    client = client_for(world.admin_b)
    real = url_for(route, world.values, missing=False)
    missing = url_for(route, world.values, missing=True)
    _assert_same_as_missing(client, route, real, missing, world.names)
    if "<slug:slug>" in route and "<int:" in route:
        slug = world.scrutiny_b.slug
        cross = url_for(route, world.values, missing=False, cross_slug=slug)
        cross_missing = url_for(route, world.values, missing=True, cross_slug=slug)
        _assert_same_as_missing(client, route, cross, cross_missing, world.names)
    if not route.startswith(SESSION_ONLY) and not route.endswith(NEEDS_A_BODY):
        assert _reached_by_partnership_a(world, route, real), f"no one of A reaches {real}"


def test_every_id_addressed_route_is_tried():
    """The jobs of the attack, and the routes of each app, are among those tried."""
    for route in ("jobs/<int:job_id>/", "api/jobs/<int:job_id>/", "agencies/<int:agency_id>/"):
        assert route in ROUTES
    assert any(r.startswith("audits/") for r in ROUTES)
    assert any("/surveys/" in r for r in ROUTES)
    assert any(r.startswith("api/actions/") for r in ROUTES)


def test_a_job_is_its_own_partnerships(world):
    """The attack itself: B's administrator and the API see a 404, A's see the job."""
    job_id = world.values["job_id"]
    for name in ("job-detail", "api-job-detail"):
        url = reverse(name, args=[job_id])
        assert client_for(world.admin_b).get(url).status_code == 404
        assert client_for(world.admin_a).get(url).status_code == 200
    answer = client_for(world.admin_b).get(reverse("api-job-detail", args=[job_id])).json()
    assert (
        answer == client_for(world.admin_b).get(reverse("api-job-detail", args=[MISSING_ID])).json()
    )


def test_partnership_details_are_ones_own(world):
    """`/partnership/` edits the administrator's own partnership, never the installation's
    first."""
    body = client_for(world.admin_b).get(reverse("partnership-edit")).content.decode()
    assert "Ashdown Safeguarding Partnership" in body
    assert "Fernhill" not in body
    assert "Fernhill" not in client_for(world.admin_b).get(reverse("home")).content.decode()


def _scrutiny_workbook(slug: str) -> bytes:
    from io import BytesIO

    from scrutiny.workbooks import scrutiny_to_workbook

    scrutiny = Scrutiny.objects.get(slug=slug)
    buffer = BytesIO()
    scrutiny_to_workbook(scrutiny).save(buffer)
    return buffer.getvalue()


def test_importing_another_partnerships_slug_makes_ones_own(world, through_job):
    """The workbook of A's scrutiny, uploaded by B's administrator: a slug names a scrutiny
    within its partnership, so B gets a scrutiny of its own of that slug, and nothing of A's
    changes or shows."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    slug = world.values["slug"]
    workbook = _scrutiny_workbook(slug)
    before = Scrutiny.objects.get(partnership=world.a, slug=slug).updated_at
    upload = SimpleUploadedFile("scrutiny.xlsx", workbook)
    through_job(client_for(world.admin_b), reverse("scrutiny-import"), {"file": upload})
    ours = Scrutiny.objects.get(partnership=world.b, slug=slug)
    theirs = Scrutiny.objects.get(partnership=world.a, slug=slug)
    assert ours.pk != theirs.pk
    assert theirs.updated_at == before
    page = client_for(world.admin_b).get(reverse("scrutiny-detail", args=[slug]))
    assert page.status_code == 200
    assert "Fernhill child" not in page.content.decode()


def test_the_import_service_keeps_to_the_partnership(world, tmp_path):
    """What the page, the command and any other way in share: B's import makes B's own
    scrutiny and leaves A's as it was."""
    from scrutiny.workbooks import scrutiny_import

    slug = world.values["slug"]
    path = tmp_path / "scrutiny.xlsx"
    path.write_bytes(_scrutiny_workbook(slug))
    before = Scrutiny.objects.get(partnership=world.a, slug=slug).updated_at
    result = scrutiny_import(partnership=world.b, file=str(path))
    assert result.created
    assert result.scrutiny.partnership_id == world.b.pk
    assert Scrutiny.objects.get(partnership=world.a, slug=slug).updated_at == before


# A young scrutineer of A (issue 16) --------------------------------------------------------------

UNPUBLISHED_SLUG = "fernhill-not-yet-published"
UNPUBLISHED_TITLE = "Fernhill review not yet published"
# Where a young scrutineer reads, all from a publication's snapshot.
YOUNG_READS = ("published/", "young-scrutineers/")
REFUSED = (403, 404, 405)


def _every_route(patterns: list[Any] | None = None, prefix: str = "") -> Iterator[str]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _every_route(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def _values_known(route: str, values: dict[str, Any]) -> bool:
    """Whether this module knows what each of the route's parameters is of partnership A's."""
    known = {*values, *FIXED, "slug", "code"}
    return all(match["name"] in known for match in PARAMETER.finditer(route))


def _as_for_anyone(client: Client, method: str, url: str) -> bool:
    """Whether the answer is what anyone signed out gets (a public link, the page saying a
    personal link has expired): the same status, and the same place where it redirects."""
    kwargs: dict[str, Any] = {}
    if method in ("put", "patch"):
        kwargs = {"data": "{}", "content_type": "application/json"}
    signed_in = getattr(client, method)(url, **kwargs)
    anyone = getattr(Client(), method)(url, **kwargs)
    return (signed_in.status_code, signed_in.get("Location")) == (
        anyone.status_code,
        anyone.get("Location"),
    )


@pytest.fixture
def young_a(world) -> User:
    unpublished = Scrutiny.objects.create(
        partnership=world.a, slug=UNPUBLISHED_SLUG, title=UNPUBLISHED_TITLE
    )
    SuccessFactor.objects.create(scrutiny=unpublished, code="SF1", statement="Not yet published.")
    return UserFactory(
        partnership=world.a, email="riley@fernhill.invalid", role=User.Role.YOUNG_SCRUTINEER
    )


def test_a_young_scrutineer_reaches_no_case_reference_and_no_unpublished_scrutiny(world, young_a):
    """Every route, every method, with A's own objects in the address: a young scrutineer of A
    never reads a case reference, a concern or a scrutiny not yet published, and every route but
    the published results and their own pages answers 403, 404 or 405. With the unpublished
    scrutiny's slug in the address, every route refuses. The pages without an address of
    anything are read too (GET: a POST there could sign them out)."""
    client = client_for(young_a)
    secrets = (CASE_REF, "Fernhill child left alone overnight.", UNPUBLISHED_TITLE)
    reached = []
    for route in ROUTES:
        if not _values_known(route, world.values):
            continue  # test_another_partnerships_object_answers_as_a_missing_one asks for them
        real = url_for(route, world.values, missing=False)
        for method in _methods(route):
            status, body = _answer(client, method, real)
            assert not any(secret in body for secret in secrets), f"{method.upper()} {real}"
            if status not in REFUSED and not _as_for_anyone(client, method, real):
                reached.append(f"{method.upper()} {route}: {status}")
        if "<slug:slug>" in route:
            unpublished = url_for(route, world.values, missing=False, cross_slug=UNPUBLISHED_SLUG)
            for method in _methods(route):
                status, body = _answer(client, method, unpublished)
                assert status in REFUSED, f"{method.upper()} {unpublished} answers {status}"
                assert UNPUBLISHED_TITLE not in body
    assert reached, "a young scrutineer reads their partnership's published results"
    beyond = [answer for answer in reached if not answer.split(" ")[1].startswith(YOUNG_READS)]
    assert not beyond, f"a young scrutineer reaches {beyond}"
    for route in _every_route():
        if "<" in route or route.startswith("admin/"):
            continue
        status, body = _answer(client, "get", "/" + route)
        assert not any(secret in body for secret in secrets), f"GET /{route}"
