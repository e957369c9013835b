"""The workspace's pages: who may use them, and each form doing its one thing."""

from __future__ import annotations

import pytest
from celery import current_app as celery_app
from django.db import connection
from django.template.defaultfilters import linebreaksbr
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scrutiny import findings
from scrutiny.models import Agency, Answer, EventPack, EvidenceNote, Finding, Quote
from tests.conftest import client_for
from tests.scrutiny.test_workspace import PLANTED, _submit, writes
from tests.scrutiny.test_workspace import scrutiny as scrutiny

pytestmark = pytest.mark.django_db
SLUG = "lfp-2026"


@pytest.fixture
def eager_tasks(monkeypatch) -> None:
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


def test_only_the_scrutineer_and_business_unit_use_the_workspace(
    scrutiny, scrutineer, business_unit, board_member, auditor_police
):
    url = reverse("workspace", args=[SLUG])
    assert client_for(scrutineer).get(url).status_code == 200
    assert client_for(business_unit).get(url).status_code == 200
    assert client_for(board_member).get(url).status_code == 403
    assert client_for(auditor_police).get(url).status_code == 404
    factor = reverse("workspace-factor", args=[SLUG, "SF1"])
    assert client_for(auditor_police).get(factor).status_code == 404


def test_the_scorecard_shows_ratings_in_words_and_flags_divergence(scrutiny, scrutineer):
    page = client_for(scrutineer).get(reverse("workspace", args=[SLUG])).text
    assert '<span class="rating rating--limited">Limited evidence</span>' in page
    assert '<span class="rating rating--insufficient">Insufficient evidence</span>' in page
    assert "Divergent:</strong> the sources differ by 60.3 points" in page
    assert 'class="bar-chart" aria-hidden="true"' in page and "<caption" in page


def test_the_workspace_pages_take_a_fixed_number_of_queries(scrutiny, scrutineer):
    client = client_for(scrutineer)
    urls = [reverse("workspace", args=[SLUG]), reverse("workspace-factor", args=[SLUG, "SF1"])]

    def counts() -> list[int]:
        result = []
        for url in urls:
            client.get(url)  # the first visit warms what is read once a process
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    few = counts()
    survey = scrutiny.instruments.get(code="PS")
    police = Agency.objects.get(code="POL")
    for i in range(30):
        _submit(survey, police, "3", f"Comment {i}")
    assert counts() == few


def test_opening_the_workspace_and_a_factor_writes_nothing(scrutiny, scrutineer):
    client = client_for(scrutineer)
    pages = {}
    for url in (reverse("workspace", args=[SLUG]), reverse("workspace-factor", args=[SLUG, "SF1"])):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert writes(queries) == []
        pages[url] = response.text
    assert not Finding.objects.exists()
    assert "Drafted from the data" in pages[reverse("workspace", args=[SLUG])]
    # The words drafted are those a finding stored from the same data holds.
    stored = {f.factor.code: f for f in findings.findings_ensure(scrutiny=scrutiny)}
    drafted = str(linebreaksbr(stored["SF1"].drafted, autoescape=True))
    assert "Limited evidence: 46.8 from 15 responses." in drafted
    assert drafted in pages[reverse("workspace-factor", args=[SLUG, "SF1"])]


def test_a_quote_and_a_signed_off_finding_are_shown_redacted(scrutiny, scrutineer):
    # A quote kept before its case was audited holds the reference the redaction now knows.
    Quote.objects.create(
        scrutiny=scrutiny,
        factor=scrutiny.factors.get(code="SF1"),
        answer=Answer.objects.filter(question__code="Q7").exclude(text="").first(),
        text=f"Seen again in {PLANTED['case']}.",
        source="practitioner_survey",
    )
    client = client_for(scrutineer)
    url = reverse("workspace-factor", args=[SLUG, "SF1"])
    page = client.get(url).text
    assert "Seen again in [removed]." in page and PLANTED["case"] not in page
    for code in ("SF1", "SF2"):
        client.post(
            reverse("workspace-finding", args=[SLUG, code]),
            {"strengths": f"Case {PLANTED['case']} was seen.", "improvements": ""},
        )
    client.post(reverse("workspace-sign-off", args=[SLUG]))
    page = client.get(url).text
    assert "Case [removed] was seen." in page and PLANTED["case"] not in page


def test_tag_a_quote_write_a_finding_record_a_note_and_sign_off(scrutiny, scrutineer):
    client = client_for(scrutineer)
    factor_url = reverse("workspace-factor", args=[SLUG, "SF1"])
    page = client.get(factor_url, {"q": "briefing"}).text
    assert "Our team briefing on the review was excellent." in page
    assert "Ring me on" not in page  # the search narrowed the comments
    answer_id = int(page.split('name="answer" value="')[1].split('"')[0])
    client.post(reverse("workspace-quote", args=[SLUG, "SF1"]), {"answer": answer_id})
    assert Quote.objects.get().label == "Fernhill Council"
    assert "Tagged as a quote" in client.get(factor_url, {"q": "briefing"}).text
    bad = client.post(reverse("workspace-quote", args=[SLUG, "SF1"]), {"answer": "x"}, follow=True)
    assert "Choose a comment to tag." in bad.text

    refused = client.post(reverse("workspace-sign-off", args=[SLUG]), follow=True)
    assert "Write at least one strength or area for improvement for SF1, SF2" in refused.text
    for code in ("SF1", "SF2"):
        client.post(
            reverse("workspace-finding", args=[SLUG, code]),
            {"strengths": "Briefings land (PS Q6).", "improvements": "Drift in audits (AUD Q6)."},
        )
    assert Finding.objects.get(factor__code="SF1").improvements == "Drift in audits (AUD Q6)."
    noted = client.post(
        reverse("workspace-note", args=[SLUG, "SF1"]),
        {"kind": "scrutiny_event", "text": "Health visitors said supervision is rushed."},
        follow=True,
    )
    assert "The note is recorded." in noted.text
    assert EvidenceNote.objects.get().recorded_by == scrutineer
    empty = client.post(
        reverse("workspace-note", args=[SLUG, "SF1"]), {"kind": "other"}, follow=True
    )
    assert "Write the note." in empty.text
    signed = client.post(reverse("workspace-sign-off", args=[SLUG]), follow=True)
    assert "The findings are signed off" in signed.text
    assert "Signed off on" in client.get(factor_url).text
    again = client.post(
        reverse("workspace-finding", args=[SLUG, "SF1"]), {"strengths": "x"}, follow=True
    )
    assert "can no longer change" in again.text


@pytest.mark.usefixtures("eager_tasks")
def test_build_the_pack_see_its_progress_and_download_both_files(
    scrutiny, scrutineer, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(scrutineer)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("workspace-pack-build", args=[SLUG]))
    pack = EventPack.objects.get()
    assert started.url == reverse("job-detail", args=[pack.job_id])
    job_page = client.get(started.url).text
    assert "Building the event pack" in job_page and "<progress" in job_page
    assert "The event pack is ready to download." in job_page
    pack = EventPack.objects.select_related("job").get()
    assert (pack.job.status, pack.job.progress) == ("done", 100)
    assert pack.built_by == scrutineer and len(pack.data_version) == 64
    pdf = client.get(reverse("workspace-pack-download", args=[SLUG, pack.pk, "pdf"]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    xlsx = client.get(reverse("workspace-pack-download", args=[SLUG, pack.pk, "xlsx"]))
    assert b"".join(xlsx.streaming_content).startswith(b"PK")
    assert "attachment" in xlsx["Content-Disposition"]
    listing = client.get(reverse("workspace", args=[SLUG])).text
    assert pack.data_version[:12] in listing
    missing = client.get(reverse("workspace-pack-download", args=[SLUG, pack.pk, "doc"]))
    assert missing.status_code == 404


def test_the_events_date_and_divergence_margin_are_set_on_the_workspace(scrutiny, scrutineer):
    client = client_for(scrutineer)
    url = reverse("workspace-settings", args=[SLUG])
    bad = client.post(url, {"event_date": "2027-03-04", "divergence_margin": "120"}, follow=True)
    assert "a number of points from 0 to 100" in bad.text
    scrutiny.refresh_from_db()
    assert (scrutiny.event_date, scrutiny.divergence_margin) == (None, 20)
    client.post(url, {"event_date": "2027-03-04", "divergence_margin": "65"})
    scrutiny.refresh_from_db()
    assert str(scrutiny.event_date) == "2027-03-04" and scrutiny.divergence_margin == 65
    page = client.get(reverse("workspace", args=[SLUG])).text
    assert "Divergent:</strong>" not in page  # 60.3 points is now within the margin
