"""The public statements, the business unit's edits to them, the background work check and the
API documentation, in a real browser."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext
from playwright.sync_api import Page, expect

from config import celery_app
from scrutiny import services
from tests.e2e.conftest import check_accessibility, follow, submit, visit

pytestmark = pytest.mark.e2e


def test_the_statements_are_public(page: Page, partnership):
    visit(page, "/")
    footer = page.get_by_role("contentinfo")
    follow(page, footer.get_by_role("link", name="Accessibility statement"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    expect(page.get_by_text("has not yet published its accessibility statement")).to_be_visible()
    follow(page, footer.get_by_role("link", name="Privacy notice"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")
    expect(page.get_by_role("link", name=partnership.contact_email)).to_be_visible()


def test_the_business_unit_publishes_the_accessibility_statement(page: Page, log_in, business_unit):
    log_in(business_unit)
    visit(page, "/")
    nav = page.get_by_role("navigation", name="Main")
    follow(page, nav.get_by_role("link", name="Partnership"))

    # A mistake first: the summary lists it and links to the field.
    page.get_by_label("Contact email").fill("not an address")
    submit(page, "Save")
    expect(page).to_have_title(re.compile(r"^Error: Partnership details"))
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name=re.compile(r"^Contact email")).click()
    expect(page.get_by_label("Contact email")).to_be_focused()

    page.get_by_label("Contact email").fill("unit@fernhill.invalid")
    page.get_by_label("Accessibility statement (optional)", exact=True).fill(
        "We aim to meet WCAG 2.2 AA.\n\nTell the business unit about any problem."
    )
    submit(page, "Save")
    expect(page.get_by_role("status")).to_have_text("The partnership's details are saved.")

    follow(page, page.get_by_role("button", name=re.compile("^Sign out")))
    follow(page, page.get_by_role("link", name="Accessibility statement"))
    main = page.get_by_role("main")
    expect(main.get_by_text("We aim to meet WCAG 2.2 AA.", exact=True)).to_be_visible()
    expect(main.get_by_text("Tell the business unit about any problem.")).to_be_visible()
    expect(main.get_by_role("link", name="unit@fernhill.invalid")).to_be_visible()


def test_the_background_work_check_finishes(page: Page, log_in, business_unit, monkeypatch):
    # With no broker, tasks run eagerly in the request; force that here even where CI configures
    # a broker for the worker tests, so that this test needs no worker.
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    log_in(business_unit)
    visit(page, "/")
    submit(page, "Check background work")
    expect(page.get_by_role("heading", level=1)).to_have_text("Background work check")
    expect(page.locator("[data-job-status]")).to_have_text("Finished")
    expect(page.get_by_role("status")).to_have_text("Background work is running.")
    expect(page.get_by_label("Progress")).to_have_attribute("value", "100")


def test_the_job_page_follows_a_job_as_it_runs(page: Page, log_in, business_unit):
    """job.js polls the API and updates the status, the progress bar and the message."""
    job = services.job_create(kind="selfcheck", user=business_unit)
    log_in(business_unit)
    visit(page, f"/jobs/{job.pk}/")
    expect(page.locator("[data-job-status]")).to_have_text("Waiting to start")

    services.job_progress(job_id=job.pk, progress=40, message="Halfway there.")
    expect(page.locator("[data-job-status]")).to_have_text("In progress")
    expect(page.get_by_role("status")).to_have_text("Halfway there.")
    expect(page.get_by_label("Progress")).to_have_js_property("value", 40)
    check_accessibility(page)

    services.job_finish(job_id=job.pk, result={}, message="All done.")
    expect(page.locator("[data-job-status]")).to_have_text("Finished")
    expect(page.get_by_role("status")).to_have_text("All done.")
    expect(page.get_by_label("Progress")).to_have_js_property("value", 100)
    check_accessibility(page)


def test_the_api_documentation_loads(page: Page, log_in, scrutineer):
    log_in(scrutineer)
    visit(page, "/")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    # Swagger UI's own widget (#swagger-ui) fails colour contrast, nested-interactive,
    # target-size, heading-order and region: third-party code we do not change, so it is left
    # out of the check. The page around it is ours (templates/drf_spectacular/swagger_ui.html,
    # which sets the page's language) and is checked in full.
    third_party = {"exclude": ["#swagger-ui"]}
    link = page.get_by_role("navigation", name="Main").get_by_role("link", name="API")
    # Checked once Swagger UI has drawn the documentation (its heading and main landmark come
    # with it), not as soon as the page loads.
    with page.expect_navigation() as navigation:
        link.click()
    assert navigation.value is not None and navigation.value.status == 200
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Safeguarding scrutiny API")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    check_accessibility(page, **third_party)
    # Swagger UI comes from drf-spectacular-sidecar, served by the platform itself.
    assert any("drf_spectacular_sidecar/swagger-ui-dist/" in url for url in requests)
    outside = [url for url in requests if not url.startswith(page.url.split("/api/")[0])]
    assert outside == []


REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def test_redoc_loads_under_its_policy(page: Page, log_in, scrutineer, csp_violations):
    """Redoc draws the schema with the styles it writes itself and searches in a blob: worker
    (both allowed on /api/redoc/ only). Its "API docs by Redocly" logo comes from Redocly's site:
    the policy blocks it, so nothing is fetched from another site."""
    log_in(scrutineer)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    response = page.goto("/api/redoc/")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_contain_text("Safeguarding scrutiny API")
    expect(page.get_by_role("menuitem").first).to_be_visible()
    assert any("drf_spectacular_sidecar/redoc/" in url for url in requests)
    site = page.url.split("/api/")[0]
    outside = {url for url in requests if not url.startswith((site, f"blob:{site}/"))}
    assert outside <= {REDOCLY_LOGO}
    blocked = [text for text in csp_violations if REDOCLY_LOGO in text]
    assert blocked, csp_violations
    for text in blocked:
        csp_violations.remove(text)


def test_a_welsh_job_page_stays_welsh_as_it_runs(page: Page, log_in, business_unit):
    """job.js takes the status's words from the page, so a Welsh page stays Welsh after its
    first poll, and the status is announced politely as it changes."""
    job = services.job_create(kind="selfcheck", user=business_unit)
    log_in(business_unit)
    visit(page, "/")
    submit(page, "Cymraeg")
    visit(page, f"/jobs/{job.pk}/")
    with translation.override("cy"):
        heading = gettext("Background work check")
        running = pgettext("job status", "In progress")
        finished = pgettext("job status", "Finished")
    expect(page).to_have_title(re.compile(re.escape(heading)))
    status = page.locator("[data-job-status]")
    expect(status.locator("xpath=..")).to_have_attribute("aria-live", "polite")

    services.job_progress(job_id=job.pk, progress=40, message="Hanner ffordd.")
    expect(status).to_have_text(running)
    services.job_finish(job_id=job.pk, result={}, message="Wedi gorffen.")
    expect(status).to_have_text(finished)
    assert running != "In progress" and finished != "Finished"
