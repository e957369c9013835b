"""Possible disclosures of harm in children's answers (issue 16): flagged as a response is
stored, told to the safeguarding lead (a link only), listed for the business unit and the
scrutineer, shown flagged on the scrutineer's evidence page, and found in no pack, board page,
API answer or quote.

The scrutiny is tests.scrutiny.test_workspace's, with a children's survey (`YP`, the same
questions, kind young_people) whose comment box Q7 is on SF1's page.
"""

from __future__ import annotations

import dataclasses
import io
import json

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook
from pypdf import PdfReader
from rest_framework.test import APIClient

from scrutiny import findings
from scrutiny.disclosure import (
    DEFAULT_PHRASES,
    HarmPhrases,
    disclosure_review,
    disclosures_recheck,
)
from scrutiny.errors import ApplicationError
from scrutiny.evidence import (
    ResponseDetails,
    ResponseWriter,
    response_reopen,
    response_save_draft,
    response_submit,
)
from scrutiny.instruments import instrument_current_version, instrument_save, version_compile
from scrutiny.models import (
    Answer,
    DisclosureReview,
    Instrument,
    Partnership,
    Publication,
    Quote,
    Response,
    User,
)
from scrutiny.packs.build import pack_files
from scrutiny.services import partnership_update
from scrutiny.workbooks import responses_import
from tests.conftest import client_for
from tests.factories import PartnershipFactory, UserFactory
from tests.jobs import eager_tasks as eager_tasks
from tests.scrutiny.test_publishing import board as board
from tests.scrutiny.test_publishing import media as media
from tests.scrutiny.test_publishing import written
from tests.scrutiny.test_questionnaires import sample_definition
from tests.scrutiny.test_workspace import scrutiny as scrutiny

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks", "media")]

PHRASES = "scared to go home\nhits me\n"
SAID = "I am Scared to go\n home most nights"  # capitals and a line break: still found
KEPT = "The youth club is brilliant"  # a child's comment that leaves the screen as usual


def young_survey(scrutiny) -> Instrument:
    definition = dataclasses.replace(
        sample_definition("YP"), kind="young_people", title="Children's survey"
    )
    return instrument_save(scrutiny=scrutiny, definition=definition).instrument


def child_says(instrument: Instrument, comment: str, *, draft: bool = False) -> Response:
    compiled = version_compile(instrument_current_version(instrument))
    values = {"Q1": "yes", "Q2": "A plan", "Q6": "3", "Q7": comment}
    if draft:
        return response_save_draft(
            compiled=compiled, values=values, channel=Response.Channel.SURVEY
        )
    return response_submit(
        compiled=compiled,
        values=values,
        details=ResponseDetails(),
        channel=Response.Channel.SURVEY,
        anonymous=True,
    )


@pytest.fixture
def lead(partnership) -> Partnership:
    partnership.safeguarding_lead_name = "Sam Lead"
    partnership.safeguarding_lead_email = "lead@fernhill.invalid"
    partnership.disclosure_phrases = PHRASES
    partnership.save()
    return partnership


@pytest.fixture
def planted(scrutiny, lead, django_capture_on_commit_callbacks):
    survey = young_survey(scrutiny)
    with django_capture_on_commit_callbacks(execute=True):
        child_says(survey, SAID)
    for _ in range(5):
        child_says(survey, KEPT)
    return scrutiny


# ---------------------------------------------------------------------------------------------
# The rule


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("He HITS ME when he is angry", True),
        ("he hits\n\tme", True),
        ("I'm scared to go home.", True),
        ("(scared to go home)", True),
        ("He hits metal pipes", False),  # "hits me" is a part of "hits metal": not a phrase
        ("Whits meet", False),
        ("scared to go homework", False),
        ("", False),
    ],
)
def test_a_phrase_is_found_as_whole_words_whatever_the_capitals_and_spaces(text, found):
    assert HarmPhrases.from_text(PHRASES).matches(text) is found


def test_the_default_list_stands_for_an_empty_one_and_apostrophes_and_hyphens_are_alike():
    phrases = HarmPhrases.from_text("")
    assert phrases.phrases == DEFAULT_PHRASES
    assert phrases.matches("I don\u2019t feel safe at school")
    assert phrases.matches("I think about self-harm")
    assert not HarmPhrases.from_text("-\n  \n").matches("anything at all")


# ---------------------------------------------------------------------------------------------
# Flagged as it is stored


def test_a_childs_answer_with_a_phrase_is_flagged_and_no_other(scrutiny, lead):
    survey = young_survey(scrutiny)
    flagged = child_says(survey, SAID)
    kept = child_says(survey, "My teacher hits the ball far")
    assert list(flagged.answers.filter(disclosure=True).values_list("text", flat=True)) == [SAID]
    assert not kept.answers.filter(disclosure=True).exists()
    # A practitioner writing the same words is not a child's disclosure.
    practitioner = Instrument.objects.get(scrutiny=scrutiny, code="PS")
    compiled = version_compile(instrument_current_version(practitioner))
    response = response_submit(
        compiled=compiled,
        values={"Q1": "yes", "Q2": "A plan", "Q6": "3", "Q7": SAID},
        details=ResponseDetails(),
        channel=Response.Channel.API,
    )
    assert not response.answers.filter(disclosure=True).exists()


def test_an_import_flags_the_childs_answer_with_a_phrase_and_no_other(scrutiny, lead, monkeypatch):
    """Imported rows are flagged as a submitted response is, each its own, whichever batch
    (written on a thread of its own) holds it."""
    monkeypatch.setattr(ResponseWriter, "BATCH", 2)
    survey = young_survey(scrutiny)
    rows = [["Y1", KEPT], ["Y2", SAID], ["Y3", KEPT], ["Y4", "He hits metal pipes"], ["Y5", SAID]]
    lines = ["ref,Q1,Q2,Q6,Q7"] + [f'{ref},yes,A plan,3,"{text}"' for ref, text in rows]
    file = io.BytesIO("\n".join(lines).encode())
    assert responses_import(instrument=survey, file=file).created == len(rows)
    answers = Answer.objects.filter(response__instrument=survey, question__code="Q7")
    flagged = answers.filter(disclosure=True).order_by("response__ref")
    assert list(flagged.values_list("response__ref", "text")) == [("Y2", SAID), ("Y5", SAID)]
    assert answers.filter(disclosure=False).count() == 3


def test_flagging_costs_one_query_however_many_answers(scrutiny, lead):
    survey = young_survey(scrutiny)
    child_says(survey, KEPT)  # compiled, cached: the counts below compare like with like
    compiled = version_compile(instrument_current_version(survey))
    practitioner = version_compile(
        instrument_current_version(Instrument.objects.get(scrutiny=scrutiny, code="PS"))
    )

    def count(compiled, comment: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response_submit(
                compiled=compiled,
                values={"Q1": "yes", "Q2": SAID, "Q6": "3", "Q7": comment},
                details=ResponseDetails(),
                channel=Response.Channel.API,
            )
        return len(queries)

    assert count(compiled, SAID) == count(compiled, KEPT) == count(practitioner, SAID) + 1


def test_a_resave_keeps_an_unchanged_answers_flag_and_review_and_only_ever_raises_flags(
    scrutiny, lead, business_unit
):
    """A draft saved again (or submitted) keeps each answer it did not change, with its flag
    and the business unit's review: a flag is never lowered by a resave, as by a recheck."""
    survey = young_survey(scrutiny)
    compiled = version_compile(instrument_current_version(survey))
    values = {"Q1": "yes", "Q2": KEPT, "Q6": "3", "Q7": SAID}
    draft = response_save_draft(compiled=compiled, values=values, channel=Response.Channel.SURVEY)
    flagged = draft.answers.get(disclosure=True)
    review = disclosure_review(answer=flagged, note="Told the school's lead.", user=business_unit)
    kept = draft.answers.get(text=KEPT)
    # The partnership's list changes: the words once flagged are no longer on it, KEPT's are.
    lead.disclosure_phrases = "youth club\n"
    lead.save()
    submitted = response_submit(
        compiled=compiled, values=values, channel=Response.Channel.SURVEY, response=draft
    )
    answers = {a.text: a for a in submitted.answers.all()}
    assert (answers[SAID].pk, answers[SAID].disclosure) == (flagged.pk, True)
    assert DisclosureReview.objects.get(answer=answers[SAID]) == review
    assert (answers[KEPT].pk, answers[KEPT].disclosure) == (kept.pk, True)
    # Words changed are another answer: the old one goes, with its review.
    response_reopen(response=submitted)
    changed = response_submit(
        compiled=compiled,
        values={**values, "Q7": "Nothing to add"},
        channel=Response.Channel.SURVEY,
        response=submitted,
    )
    assert not changed.answers.filter(pk=flagged.pk).exists()
    assert not DisclosureReview.objects.exists()


def test_the_lead_is_told_of_a_flagged_answer_waiting_never_again_of_one_looked_at(
    scrutiny, lead, business_unit, mailoutbox, django_capture_on_commit_callbacks
):
    """A draft holding a flagged answer tells nobody; its submit tells the lead, the words
    unchanged or not; once the business unit has recorded what was done, a resubmit with the
    same words tells nobody again."""
    compiled = version_compile(instrument_current_version(young_survey(scrutiny)))
    values = {"Q1": "yes", "Q2": KEPT, "Q6": "3", "Q7": SAID}

    def write(write_as, response=None, **changes) -> Response:
        with django_capture_on_commit_callbacks(execute=True):
            return write_as(
                compiled=compiled,
                values={**values, **changes},
                channel=Response.Channel.SURVEY,
                response=response,
            )

    draft = write(response_save_draft)
    assert len(mailoutbox) == 0
    submitted = write(response_submit, draft)
    assert len(mailoutbox) == 1
    disclosure_review(
        answer=submitted.answers.get(disclosure=True), note="Done.", user=business_unit
    )
    response_reopen(response=submitted)
    write(response_submit, submitted, Q6="2")
    assert len(mailoutbox) == 1


def test_the_lead_is_emailed_a_link_once_submitted_never_the_words(
    scrutiny, lead, django_capture_on_commit_callbacks
):
    survey = young_survey(scrutiny)
    with django_capture_on_commit_callbacks(execute=True):
        child_says(survey, SAID, draft=True)
        child_says(survey, KEPT)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        child_says(survey, SAID)
    (email,) = mail.outbox
    assert email.to == ["lead@fernhill.invalid"] and "Dear Sam Lead" in email.body
    assert reverse("disclosure-list") in email.body
    assert "scared" not in email.body.lower() and "Children's survey" not in email.body


# ---------------------------------------------------------------------------------------------
# Never beyond the scrutineer's screen


def _pack_text(scrutiny) -> str:
    pdf, xlsx = io.BytesIO(), io.BytesIO()
    pack_files(scrutiny=scrutiny, pdf=pdf, xlsx=xlsx)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.getvalue())).pages)
    workbook = load_workbook(io.BytesIO(xlsx.getvalue()), read_only=True)
    cells = [
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]
    return " ".join(text.split()) + "\n" + "\n".join(cells)


def _seen(text: str) -> bool:
    return "scared to go" in " ".join(text.split()).lower()


def test_the_pack_leaves_it_out_of_both_files_and_keeps_the_other_comments(planted):
    text = _pack_text(planted)
    assert not _seen(text)
    assert KEPT in text  # the comments sheet and the young people's response sheet


def _api_urls(scrutiny) -> list[str]:
    """Every API address of the scrutiny that reads: its arguments filled in."""
    arguments = {
        "slug": scrutiny.slug,
        "code": "SF1",
        "instrument_id": Instrument.objects.get(scrutiny=scrutiny, code="YP").pk,
    }
    urls = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix)
            elif isinstance(pattern, URLPattern) and (pattern.name or "").startswith("api-"):
                wanted = set(pattern.pattern.regex.groupindex)
                if wanted and wanted <= arguments.keys():
                    urls.append(
                        reverse(pattern.name, kwargs={k: arguments[k] for k in sorted(wanted)})
                    )

    walk(get_resolver().url_patterns)
    return urls


def test_no_api_answer_holds_it(planted, scrutineer):
    client = APIClient()
    client.force_authenticate(scrutineer)
    urls = _api_urls(planted)
    assert reverse("api-workspace-evidence", args=[planted.slug, "SF1"]) in urls
    for url in urls:
        answer = client.get(url)
        assert not _seen(answer.content.decode()), url
    evidence = client.get(reverse("api-workspace-evidence", args=[planted.slug, "SF1"])).json()
    assert KEPT in [comment["text"] for comment in evidence["comments"]]


def test_the_published_snapshot_and_the_boards_pages_leave_it_out(
    planted, scrutineer, board, board_member, django_capture_on_commit_callbacks
):
    written(planted, scrutineer)
    with django_capture_on_commit_callbacks(execute=True):
        findings.findings_sign_off(scrutiny=planted, user=scrutineer)
    publication = Publication.objects.get(scrutiny=planted)
    assert not _seen(json.dumps(publication.snapshot))
    client = client_for(board_member)
    for name in ("published-detail", "published-pack", "published-pack-pdf"):
        page = client.get(reverse(name, args=[planted.slug]))
        assert page.status_code == 200
        if name.endswith("pdf"):
            pdf = io.BytesIO(b"".join(page.streaming_content))
            body = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
        else:
            body = page.content.decode()
        assert not _seen(body), name


def test_the_scrutineer_sees_it_flagged_and_cannot_quote_it(planted, scrutineer):
    answer = Answer.objects.get(disclosure=True)
    factor = planted.factors.get(code="SF1")
    page = client_for(scrutineer).get(reverse("workspace-factor", args=[planted.slug, "SF1"]))
    html = page.content.decode()
    assert _seen(html)
    assert "Possible disclosure: the business unit has been told" in html
    assert f'name="answer" value="{answer.pk}"' not in html  # no "Tag as a quote" for it
    with pytest.raises(ApplicationError, match="disclosure"):
        findings.quote_tag(scrutiny=planted, factor=factor, answer_id=answer.pk, user=scrutineer)
    response = client_for(scrutineer).post(
        reverse("workspace-quote", args=[planted.slug, "SF1"]), {"answer": answer.pk}, follow=True
    )
    assert "cannot be quoted" in response.content.decode()
    assert not Quote.objects.filter(answer=answer).exists()


def test_a_quote_tagged_before_the_answer_was_flagged_leaves_no_more(planted, scrutineer, lead):
    answer = Answer.objects.filter(text=KEPT).first()
    factor = planted.factors.get(code="SF1")
    findings.quote_tag(scrutiny=planted, factor=factor, answer_id=answer.pk, user=scrutineer)
    assert KEPT in _pack_text(planted)
    lead.disclosure_phrases = PHRASES + "youth club"
    lead.save()
    assert disclosures_recheck(partnership=lead) == 5
    assert KEPT not in _pack_text(planted)
    client = APIClient()
    client.force_authenticate(scrutineer)
    evidence = client.get(reverse("api-workspace-evidence", args=[planted.slug, "SF1"]))
    assert KEPT not in evidence.content.decode()


# ---------------------------------------------------------------------------------------------
# Told to the business unit


def test_the_business_unit_and_the_scrutineer_read_the_list_and_nobody_else(
    planted, business_unit, scrutineer, board_member, auditor_council, agency_lead
):
    for reader in (business_unit, scrutineer):
        page = client_for(reader).get(reverse("disclosure-list"))
        assert page.status_code == 200
        html = page.content.decode()
        assert "Children&#x27;s survey" in html and "Scared to go" in html
        assert KEPT not in html
    for stranger in (board_member, auditor_council, agency_lead):
        assert client_for(stranger).get(reverse("disclosure-list")).status_code == 404
    other = UserFactory(
        partnership=PartnershipFactory(name="Westmere Partnership", slug="westmere"),
        email="admin@westmere.invalid",
        role=User.Role.ADMINISTRATOR,
    )
    page = client_for(other).get(reverse("disclosure-list"))
    assert page.status_code == 200 and "Scared to go" not in page.content.decode()


def test_the_home_page_counts_them_first_for_the_business_unit(planted, business_unit):
    html = client_for(business_unit).get(reverse("home")).content.decode()
    assert "1 possible disclosure to look at" in html
    # The main task: before the scrutinies, the business unit's usual first.
    assert f'<h2 id="main-task"><a href="{reverse("disclosure-list")}">Possible disclosures' in html


def test_the_partnership_page_edits_the_phrases_and_the_number_and_rechecks(
    planted, scrutiny, business_unit, lead, django_capture_on_commit_callbacks
):
    client = client_for(business_unit)
    form = client.get(reverse("partnership-edit")).context["form"]
    assert form.initial["disclosure_phrases"] == PHRASES
    data = {k: v for k, v in form.initial.items() if v is not None and k != "id"}
    data.update(front_door_phone=" 0300  123 4567 ", disclosure_phrases="Youth CLUB\nhits me")
    told = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("partnership-edit"), data)
    assert response.status_code == 302
    # Five answers newly flagged: the lead is emailed once, a link and never the words.
    (email,) = mail.outbox[told:]
    assert email.to == ["lead@fernhill.invalid"] and reverse("disclosure-list") in email.body
    assert "youth club" not in email.body.lower()
    lead.refresh_from_db()
    assert (lead.front_door_phone, lead.disclosure_phrases) == (
        "0300 123 4567",
        "Youth CLUB\nhits me",
    )
    # The answers already given are checked again; one flagged before stays flagged.
    assert Answer.objects.filter(disclosure=True).count() == 6
    # A draft's answer newly flagged is held back, but nobody is told until it is submitted.
    child_says(young_survey(scrutiny), "Nobody listens to me", draft=True)
    data.update(disclosure_phrases="Youth CLUB\nhits me\nnobody listens")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("partnership-edit"), data).status_code == 302
    assert Answer.objects.get(text="Nobody listens to me").disclosure
    assert len(mail.outbox) == told + 1
    # A list that flags nothing more tells nobody.
    data.update(disclosure_phrases="Youth CLUB\nhits me\nnever written by anyone")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("partnership-edit"), data).status_code == 302
    assert len(mail.outbox) == told + 1


def test_a_new_partnership_is_offered_the_suggested_list(business_unit, partnership):
    form = client_for(business_unit).get(reverse("partnership-edit")).context["form"]
    assert form.initial["disclosure_phrases"] == "\n".join(DEFAULT_PHRASES)
    partnership_update(
        partnership=partnership,
        name=partnership.name,
        contact_email="",
        accessibility_statement="",
        privacy_notice="",
    )
    partnership.refresh_from_db()
    assert partnership.disclosure_phrases == ""  # left out: kept, the suggested list in use
