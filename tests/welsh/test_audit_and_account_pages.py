"""The auditor's audit pages, signing in with a second factor, the public pages and the error
pages, in Welsh (issue 18). The audit tool is bilingual (tests/surveys/test_welsh_answering.py).

These use the shipped catalogue (locale/cy), with every part merged (docs/welsh.md).
"""

from __future__ import annotations

import dataclasses

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import SuspiciousOperation
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import bad_request, server_error
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audits.models import Assignment, AuditEvent, ImmediateConcern
from scrutiny.instruments import instrument_save, version_compile
from scrutiny.mfa.selectors import secret_for_reading
from scrutiny.mfa.services import recovery_code_for_reading
from scrutiny.models import Scrutiny, SuccessFactor
from tests.audits.builders_completion import assign, make_sample, wizard_data
from tests.audits.builders_completion import eager_tasks as eager_tasks
from tests.conftest import client_for, second_factor_for, totp_code
from tests.surveys.test_welsh_answering import bilingual_definition
from tests.welsh.check import MONTHS_CY
from tests.welsh.conftest import assert_welsh, welsh

pytestmark = pytest.mark.django_db

REFS = ["CF-1042", "CF-0087"]


@pytest.fixture
def audit(partnership, council, area, auditor_council) -> Assignment:
    scrutiny = Scrutiny.objects.create(partnership=partnership, slug="neglect", title="Esgeulustod")
    SuccessFactor.objects.create(scrutiny=scrutiny, code="SF1", statement="Mae cynlluniau'n dda.")
    definition = dataclasses.replace(bilingual_definition("AUDIT"), kind="file_audit")
    tool = instrument_save(scrutiny=scrutiny, definition=definition).instrument
    cases = make_sample(scrutiny, tool, REFS, area=area)
    return assign(cases[0], council, auditor_council)


@pytest.fixture
def data(partnership, council, auditor_council, area) -> list[str]:
    return [partnership.name, council.name, auditor_council.full_name, area.name, *REFS]


def _english_of_the_tool(audit: Assignment) -> list[str]:
    """KNOWN GAP (see test_the_audit_tool_is_in_welsh): the audit wizard compiles the tool in
    English whatever the language; until it does not, its English texts are left out here."""
    compiled = version_compile(audit.case.sample.instrument.versions.get())
    texts = [section.title for section in compiled.sections]
    for question in compiled.questions.values():
        texts += [question.text, *(o.label for o in question.options.values())]
    return texts


def _stored_details() -> list[str]:
    """KNOWN GAP (see test_the_audit_trail_is_in_welsh): the audit trail's details are stored
    as English sentences."""
    return [f": {detail}" for detail in AuditEvent.objects.values_list("detail", flat=True)]


@pytest.mark.usefixtures("eager_tasks")
def test_the_audit_wizard(audit, auditor_council, partnership, data):
    partnership.safeguarding_lead_name = "Dana Lead"
    partnership.safeguarding_lead_email = "dana.lead@fernhill.invalid"
    partnership.save()
    data = [*data, "Dana Lead", *_english_of_the_tool(audit)]
    client = welsh(client_for(auditor_council))

    def fill(step: str) -> str:
        return reverse("audit-complete", args=[audit.pk, step])

    assert_welsh(client.get(reverse("audit-mine")), data)
    assert_welsh(client.get(reverse("audit-detail", args=[audit.pk])), data)
    assert_welsh(client.get(fill("0")), data)
    assert_welsh(client.post(fill("0"), wizard_data("0", {}, revision=0)), data)  # errors
    client.post(fill("0"), wizard_data("0", {"Q1": "yes", "Q2": "Cynllun"}, revision=0))
    assert_welsh(client.get(fill("1")), data)
    client.post(fill("1"), wizard_data("1", {"Q6": "3", "Q5": "2025-03-04"}, revision=1))
    assert_welsh(client.get(fill("check")), data)
    concern = reverse("audit-concern", args=[audit.pk])
    assert_welsh(client.get(concern), data)
    assert_welsh(client.post(concern, {"concern": ""}), data)  # errors
    client.post(concern, {"concern": "Anafiadau heb esboniad."})
    detail = reverse("audit-concern-detail", args=[ImmediateConcern.objects.get().pk])
    assert_welsh(client.get(detail), [*data, "Anafiadau heb esboniad."])
    assert client.post(fill("check"), {"revision": "2"}).status_code == 302
    data += _stored_details()
    page = assert_welsh(client.get(reverse("audit-detail", args=[audit.pk])), data)
    assert any(month in page for month in MONTHS_CY), "the audit's dates are not in Welsh"
    assert_welsh(client.get(reverse("audit-mine")), data)


def test_the_audit_tool_is_in_welsh(audit, auditor_council):
    client = welsh(client_for(auditor_council))
    page = client.get(reverse("audit-complete", args=[audit.pk, "0"])).content.decode()
    assert "Am yr achos" in page and "Oedd yna gynllun?" in page


def test_the_audit_trail_is_in_welsh(audit, auditor_council, data):
    client = welsh(client_for(auditor_council))
    fill = reverse("audit-complete", args=[audit.pk, "0"])
    client.post(fill, wizard_data("0", {"Q1": "no"}, revision=0, action="later"))
    assert_welsh(client.get(reverse("audit-detail", args=[audit.pk])), data)


def test_signing_in_and_the_second_factor(auditor_council, password, data):
    client = welsh()
    login = reverse("login")
    assert_welsh(client.get(login), data)
    assert_welsh(client.post(login, {"username": auditor_council.email, "password": "x"}), data)
    device = second_factor_for(auditor_council)
    signed = client.post(login, {"username": auditor_council.email, "password": password})
    assert signed.status_code == 302
    verify = reverse("two-factor-verify")
    assert_welsh(client.get(verify), data)
    assert_welsh(client.post(verify, {"code": "000000"}), data)  # a wrong code
    device.refresh_from_db()
    device.throttle_reset()
    assert client.post(verify, {"code": totp_code(device)}).status_code == 302
    assert_welsh(client.get(reverse("two-factor")), data)
    # The recovery codes shown are random letters and digits, not words: "to3w-kl77" once read
    # as English ("to"). They are the person's own data on the page.
    assert_welsh(client.get(reverse("two-factor-recovery-codes"), follow=True), data)
    page = client.post(reverse("two-factor-recovery-codes"), follow=True)
    tokens = StaticToken.objects.filter(device__user=auditor_council).values_list(
        "token", flat=True
    )
    codes = [recovery_code_for_reading(token) for token in tokens]
    assert codes and all(code in page.content.decode() for code in codes)
    assert_welsh(page, [*data, *codes])
    assert_welsh(client.get(reverse("password_change_done")), data)
    assert_welsh(client.post(reverse("logout"), follow=True), data)


def test_changing_a_password(auditor_council, data):
    client = welsh(client_for(auditor_council))
    assert_welsh(client.get(reverse("password_change")), data)
    assert_welsh(client.post(reverse("password_change"), {}), data)


def test_setting_up_a_second_factor(board_member, data):
    client = welsh(client_for(board_member))
    set_up = reverse("two-factor-set-up")
    page = client.get(set_up)
    # The app's secret is random base32 in groups of four ("AN3Q" would read as English "an"):
    # the person's own data on the page, like their address.
    secrets = [
        secret_for_reading(device)
        for device in TOTPDevice.objects.filter(user=board_member, confirmed=False)
    ]
    assert secrets and all(secret in page.content.decode() for secret in secrets)
    assert_welsh(page, [*data, board_member.email, *secrets])
    again = client.post(set_up, {"code": "000000"})
    secrets += [
        secret_for_reading(device)
        for device in TOTPDevice.objects.filter(user=board_member, confirmed=False)
    ]
    assert_welsh(again, [*data, board_member.email, *secrets])
    remove = client.get(reverse("two-factor-remove"), follow=True)
    assert_welsh(remove, data)


def test_resetting_a_password(auditor_council, data):
    client = welsh()
    reset = reverse("password_reset")
    assert_welsh(client.get(reset), data)
    done = client.post(reset, {"email": auditor_council.email})
    assert done["Location"] == reverse("password_reset_done")
    assert_welsh(client.get(done["Location"]), data)
    confirm = reverse("password_reset_confirm", args=["MQ", "not-a-token"])
    assert_welsh(client.get(confirm), data)
    assert_welsh(client.get(reverse("password_reset_complete")), data)


@pytest.mark.parametrize("reason", ["no_account", "inactive", "unverified", "no_email", ""])
def test_a_failed_sign_in_through_the_provider(settings, data, reason):
    settings.OIDC_RP_CLIENT_ID = "scrutiny"
    settings.OIDC_PROVIDER_NAME = "Fernhill Council"
    client = welsh()
    session = client.session
    session["oidc_sign_in_failure"] = {"reason": reason, "email": "ash@fernhill.invalid"}
    session.save()
    page = client.get(reverse("oidc_sign_in_failed"))
    assert_welsh(page, [*data, "ash@fernhill.invalid"])


def test_the_public_pages(partnership, data):
    client = welsh()
    for url in (
        reverse("home"),
        reverse("accessibility"),
        reverse("privacy"),
        reverse("partnership-accessibility", args=[partnership.slug]),
        reverse("partnership-privacy", args=[partnership.slug]),
    ):
        assert_welsh(client.get(url, follow=True), data, url=url)


def test_the_error_pages(board_member, data):
    client = welsh(client_for(board_member))
    assert_welsh(client.get("/no-such-page/"), data, status=404)
    assert_welsh(client.get(reverse("young-home")), data, status=403)
    csrf = welsh(Client(enforce_csrf_checks=True))
    assert_welsh(csrf.post(reverse("login"), {}), data, status=403, url="CSRF failure")


def test_the_bad_request_and_server_error_pages(data):
    """Django's handlers, as a request in Welsh reaches them (the test client cannot send a
    request the server refuses before its middleware runs)."""
    request = RequestFactory().get("/")
    request.user = AnonymousUser()  # as the middleware leaves it
    with translation.override("cy"):
        bad = bad_request(request, SuspiciousOperation())
        failed = server_error(request)
    assert_welsh(bad, data, status=400, url="400")
    assert_welsh(failed, data, status=500, url="500")


def test_a_disallowed_host_gets_the_bad_request_page():
    """Django refuses a Host header not in ALLOWED_HOSTS (DisallowedHost): the 400 page, in
    English, must not ask the request for its host again (that would make it a 500)."""
    page = Client().get("/", HTTP_HOST="attacker.invalid")
    assert page.status_code == 400
    text = page.content.decode()
    assert '<html lang="en' in text and "attacker.invalid" not in text


def test_the_case_files_trail_names_the_tools_page_in_the_readers_language(
    audit, auditor_council, business_unit
):
    """The business unit's trail of a case file: "resumes at page 1" names the page by the
    bilingual tool's title in the reader's language, whichever language the auditor wrote in
    (the event stores the sentence with the auditor's title)."""
    client = welsh(client_for(auditor_council))
    fill = reverse("audit-complete", args=[audit.pk, "0"])
    client.post(fill, wizard_data("0", {"Q1": "no"}, revision=0, action="later"))
    english = version_compile(audit.case.sample.instrument.versions.get()).sections[0].title
    assert "“Am yr achos”" in AuditEvent.objects.get(action="changed").detail  # as written
    url = reverse("audit-trail", args=[audit.case.sample.scrutiny.slug, audit.case_id])
    page = welsh(client_for(business_unit)).get(url).content.decode()
    assert "“Am yr achos”" in page and english not in page
    page = client_for(business_unit).get(url).content.decode()
    assert f"resumes at page 1, “{english}”" in page and "Am yr achos" not in page
