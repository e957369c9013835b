"""Publishing to the board (scrutiny.publishing): signing off the findings publishes the
scrutiny's results, frozen, suppressed and redacted as the event pack is, for the board's pages
and the accessible HTML pack, and tells each board member by email.

The scrutiny is the hand-worked one of tests/scrutiny/test_workspace.py: SF1's agency breakdown
shows Fernhill Council (8 responses) and suppresses Fernhill Schools (2) and, so that it cannot
be worked out from the others, Fernhill Police (5); the case-file audit (AUD) has fewer than 20
responses, so its counts per option are protected.
"""

from __future__ import annotations

import io
import json

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from scrutiny import findings
from scrutiny.errors import ApplicationError
from scrutiny.models import (
    Agency,
    EvidenceNote,
    Job,
    Partnership,
    Publication,
    Scrutiny,
    User,
)
from scrutiny.publishing import (
    publication_notify,
    publication_pdf_current,
    publications_redact_again,
    scrutiny_publish,
)
from scrutiny.scorecard import factor_comments
from tests.conftest import client_for
from tests.factories import PartnershipFactory, UserFactory
from tests.jobs import eager_tasks as eager_tasks
from tests.scrutiny.test_workspace import PLANTED, _submit, sf1
from tests.scrutiny.test_workspace import scrutiny as scrutiny

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks", "media")]

TERM = "Oakfield"  # a redaction term of the partnership's, set before sign-off
LATER = "Elmstead"  # one added after the results are published
SLUG = "lfp-2026"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def board(partnership, board_member) -> list[User]:
    second = UserFactory(
        partnership=partnership, email="dee@fernhill.invalid", role=User.Role.BOARD_MEMBER
    )
    UserFactory(  # left the board: told nothing
        partnership=partnership,
        email="gone@fernhill.invalid",
        role=User.Role.BOARD_MEMBER,
        is_active=False,
    )
    UserFactory(  # another partnership's board: told nothing
        partnership=PartnershipFactory(name="Westmere Partnership", slug="westmere"),
        email="lee@westmere.invalid",
        role=User.Role.BOARD_MEMBER,
    )
    return [board_member, second]


def written(scrutiny: Scrutiny, scrutineer: User) -> Scrutiny:
    """Every finding written, quoting two comments, naming a school the partnership redacts
    (and a word of a quote, made a redaction term after it was tagged)."""
    factor = sf1(scrutiny)
    for text in ("briefing", "Ring me"):
        comment = next(
            c for c in factor_comments(scrutiny=scrutiny, factor=factor) if text in c.text
        )
        findings.quote_tag(
            scrutiny=scrutiny, factor=factor, answer_id=comment.answer_id, user=scrutineer
        )
    Partnership.objects.filter(pk=scrutiny.partnership_id).update(
        redaction_terms=f"{TERM}\nteam briefing"
    )
    note = EvidenceNote.objects.create(
        scrutiny=scrutiny, kind="practitioner_forum", text=f"Staff at {TERM} felt heard."
    )
    note.factors.set([factor])
    for finding in findings.findings_ensure(scrutiny=scrutiny):
        findings.finding_update(
            finding=finding,
            strengths=f"{TERM} briefings land (PS Q6).",
            improvements=f"Supervision at {LATER} hub is thin (AUD Q6).\nMail {PLANTED['email']}",
            user=scrutineer,
        )
    return scrutiny


@pytest.fixture
def published(scrutiny, scrutineer, board, django_capture_on_commit_callbacks) -> Publication:
    written(scrutiny, scrutineer)
    with django_capture_on_commit_callbacks(execute=True):
        findings.findings_sign_off(scrutiny=scrutiny, user=scrutineer)
    return Publication.objects.get(scrutiny=scrutiny)


def test_signing_off_publishes_the_pack_data_suppressed_and_redacted(published, scrutineer):
    assert published.published_by == scrutineer
    pack = published.snapshot["pack"]
    sf1_pack = pack["factors"][0]
    assert sf1_pack["row"]["code"] == "SF1" and sf1_pack["row"]["score"] == 46.8
    # The small agencies are suppressed: neither score nor n is published.
    cells = {cell["code"]: (cell["score"], cell["n"]) for cell in sf1_pack["agencies"]}
    assert cells == {"EDU": (None, None), "FHC": (58.3, 8), "POL": (None, None)}
    # The case-file audit's counts per option are protected (fewer than 20 responses).
    audit = [item for _, item in pack["distributions"] if item["instrument_code"] == "AUD"]
    assert audit and all(
        option["count"] is None
        for item in audit
        if item["code"] == "Q6"
        for option in item["options"]
        if option["value"] in ("1", "2")
    )
    # No redaction term or identifier anywhere in what was published.
    text = json.dumps(published.snapshot)
    assert TERM not in text and "team briefing" not in text
    assert not any(value in text for value in PLANTED.values())
    assert "Our [removed] on the review was excellent." in text
    # The PDF is rendered from the snapshot by a job.
    assert published.job is not None and published.job.status == Job.Status.DONE
    pdf = "".join(page.extract_text() for page in PdfReader(io.BytesIO(published.pdf.read())).pages)
    assert "Learning from Practice 2026" in pdf and TERM not in pdf


def test_each_board_member_is_emailed_once(published, settings):
    assert sorted(m.to[0] for m in mail.outbox) == ["alex@fernhill.invalid", "dee@fernhill.invalid"]
    message = mail.outbox[0]
    assert message.subject == "Scrutiny results published: Learning from Practice 2026"
    assert f"{settings.SITE_URL}/published/lfp-2026/" in message.body
    assert f"{settings.SITE_URL}/plan/" in message.body
    assert "Learning from Practice 2026" in message.body and "Hello" in message.body
    # A retried task tells nobody twice.
    assert publication_notify(publication_id=published.pk) == 0
    assert len(mail.outbox) == 2


def test_signing_off_again_changes_nothing(
    published, scrutiny, scrutineer, django_capture_on_commit_callbacks
):
    before = (published.published_at, json.dumps(published.snapshot), Job.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        findings.findings_sign_off(scrutiny=scrutiny, user=scrutineer)
    published.refresh_from_db()
    after = (published.published_at, json.dumps(published.snapshot), Job.objects.count())
    assert after == before and len(mail.outbox) == 2
    assert Publication.objects.count() == 1


def test_a_factor_signed_off_later_publishes_again_in_place(
    published, scrutiny, scrutineer, django_capture_on_commit_callbacks
):
    factor = scrutiny.factors.create(code="SF3", statement="Families are heard.")
    (finding,) = findings.findings_drafted(scrutiny=scrutiny, factor=factor)
    findings.finding_update(finding=finding, strengths="", improvements="Ask.", user=scrutineer)
    with django_capture_on_commit_callbacks(execute=True):
        findings.findings_sign_off(scrutiny=scrutiny, user=scrutineer)
    publication = Publication.objects.get()
    pdf = PdfReader(io.BytesIO(publication.pdf.read()))
    assert "Families are heard." in "".join(page.extract_text() for page in pdf.pages)
    assert [f["row"]["code"] for f in publication.snapshot["pack"]["factors"]] == [
        "SF1",
        "SF2",
        "SF3",
    ]
    assert publication.published_at > published.published_at and len(mail.outbox) == 4


def test_nothing_is_published_until_every_finding_is_signed_off(scrutiny, scrutineer):
    with pytest.raises(ApplicationError, match="Sign off every finding"):
        scrutiny_publish(scrutiny=scrutiny, user=scrutineer)
    with pytest.raises(ApplicationError):
        findings.findings_sign_off(scrutiny=scrutiny, user=scrutineer)  # nothing written
    assert not Publication.objects.exists()


def test_later_evidence_does_not_change_what_is_published(published, scrutiny):
    before = json.dumps(published.snapshot)
    _submit(scrutiny.instruments.get(code="PS"), Agency.objects.get(code="EDU"), "1", "Poor.")
    published.refresh_from_db()
    assert json.dumps(published.snapshot) == before
    assert published.snapshot["pack"]["scorecard"][0]["n"] == 15


def _pdf_text(publication: Publication) -> str:
    publication.refresh_from_db()
    with publication.pdf.open("rb") as file:
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(file.read())).pages)


def test_a_term_added_later_withdraws_the_pdf_until_it_is_redacted_again(
    published, board_member, django_capture_on_commit_callbacks
):
    """The board's pages redact as redaction stands now; the PDF is rendered once. A term added
    after publishing makes it not current: it is not served until the beat's check has rendered
    it again from the snapshot, without the term."""
    url = reverse("published-pack-pdf", args=[SLUG])
    client = client_for(board_member)
    assert LATER in _pdf_text(published)  # not a term yet
    assert client.get(url).status_code == 200
    assert publications_redact_again() == 0  # nothing changed: nothing rendered again

    Partnership.objects.filter(pk=published.scrutiny.partnership_id).update(
        redaction_terms=f"{TERM}\nteam briefing\n{LATER}"
    )
    published.refresh_from_db()
    assert not publication_pdf_current(published)
    assert client.get(url).status_code == 404  # the PDF of older terms is never served
    for page in ("published-detail", "published-list"):
        html = client.get(reverse(page, args=[SLUG] if page == "published-detail" else [])).text
        assert url not in html and "being prepared" in html

    with django_capture_on_commit_callbacks(execute=True):
        assert publications_redact_again() == 1
    published.refresh_from_db()
    assert published.job.status == Job.Status.DONE and publication_pdf_current(published)
    text = _pdf_text(published)
    assert "Learning from Practice 2026" in text and LATER not in text and TERM not in text
    assert client.get(url).status_code == 200
    assert url in client.get(reverse("published-detail", args=[SLUG])).text
    assert publications_redact_again() == 0


def test_a_pdf_rendered_before_digests_were_kept_is_rendered_again(published):
    """A publication whose PDF carries no digest (rendered before this rule) is redacted again
    on the first check, as any other of unknown terms."""
    Publication.objects.filter(pk=published.pk).update(pdf_redaction="")
    assert publications_redact_again() == 1
