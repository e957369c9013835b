"""A factor's comments on its evidence page: grouped by question, searched and paged in the
database, the same words from several people folded into one ("said by N people").

The scrutiny of tests.scrutiny.test_workspace: SF1's comments are the answers to Q7 ("Anything
else?") of the case-file audit (AUD) and of the practitioner survey (PS), five of them, one
carrying each planted identifier.
"""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scrutiny.evidence_comments import CommentPage, factor_comment_page
from scrutiny.models import Agency, Answer, Partnership, Quote
from tests.conftest import client_for
from tests.scrutiny.test_workspace import PLANTED, _submit, sf1
from tests.scrutiny.test_workspace import scrutiny as scrutiny

pytestmark = pytest.mark.django_db
SLUG = "lfp-2026"


def page_of(scrutiny, **kwargs) -> CommentPage:
    return factor_comment_page(scrutiny=scrutiny, factor=sf1(scrutiny), **kwargs)


def texts(page: CommentPage) -> list[str]:
    return [c.text for group in page.groups for c in group.comments]


def survey_comments(scrutiny, *comments: str, agency: str = "POL") -> None:
    survey = scrutiny.instruments.get(code="PS")
    for comment in comments:
        _submit(survey, Agency.objects.get(code=agency), "3", comment)


def test_comments_are_grouped_by_question_in_words(scrutiny):
    page = page_of(scrutiny)
    assert [
        (g.question.text, g.question.instrument, g.question.code, len(g.comments))
        for g in page.groups
    ] == [
        ("Anything else?", "Case-file audit", "AUD Q7", 2),
        ("Anything else?", "Practitioner survey", "PS Q7", 3),
    ]
    assert (page.total, page.answers, page.pages) == (5, 5, 1)
    # Redacted, and labelled only as the breakdown and the response's row allow.
    labelled = {c.text: c.label for g in page.groups for c in g.comments}
    assert labelled["Our team briefing on the review was excellent."] == "Fernhill Council"
    assert labelled["Ring me on [removed] or [removed]."] == ""
    assert not any(value in " ".join(labelled) for value in PLANTED.values())


def test_the_same_words_from_several_people_are_one_comment_counted_in_the_database(scrutiny):
    survey_comments(
        scrutiny,
        "Supervision is rushed.",
        "supervision  is\nRUSHED. ",
        "SUPERVISION is rushed.",
        "Supervision is not rushed.",
    )
    page = page_of(scrutiny, question_id=None)
    survey = next(g for g in page.groups if g.question.code == "PS Q7")
    folded = survey.comments[0]  # said by most people first
    assert (folded.people, folded.label) == (3, "")  # three people: no one agency's label
    assert folded.text == "SUPERVISION is rushed."  # the newest answer's words
    assert [c.people for c in survey.comments[1:]] == [1, 1, 1, 1]
    assert (page.total, page.answers) == (7, 9)
    # A quote of any answer with the same words marks the folded comment tagged.
    Quote.objects.create(
        scrutiny=scrutiny,
        factor=sf1(scrutiny),
        answer=Answer.objects.get(text="Supervision is rushed."),  # not the newest
        text="Supervision is rushed.",
        source="practitioner_survey",
    )
    again = next(g for g in page_of(scrutiny).groups if g.question.code == "PS Q7")
    assert again.comments[0].quoted and not again.comments[1].quoted


def test_a_search_is_case_insensitive_and_never_finds_what_redaction_removed(scrutiny):
    assert texts(page_of(scrutiny, search="  BRIEFING ")) == [
        "Our team briefing on the review was excellent."
    ]
    for removed in ("7946", PLANTED["phone"], PLANTED["email"], "example.org", "C-7781"):
        page = page_of(scrutiny, search=removed)
        assert (texts(page), page.total) == ([], 0), removed
    assert page_of(scrutiny, search="removed").total == 0  # the marker is not the words


def test_no_count_tells_that_a_comment_held_what_redaction_removed(scrutiny, scrutineer):
    """An attacker's reading: search a redacted identifier piece by piece, each piece something
    redaction would leave alone, and watch the counts, the questions offered and the pages."""
    survey_comments(scrutiny, *(f"Comment number {i}." for i in range(23)))
    pieces = {
        piece
        for value in (PLANTED["phone"], PLANTED["nhs"], PLANTED["email"])
        for piece in (value[:n] for n in range(1, len(value) + 1))
        if not any(c.isalpha() and c not in "jo.bloggs@example" for c in piece)
    } | {"bloggs", "example.or", "sw1a", "7781", "0991"}
    client = client_for(scrutineer)
    url = reverse("workspace-factor", args=[SLUG, "SF1"])
    survey = page_of(scrutiny).questions[1]
    for piece in sorted(pieces):
        if any(piece in " ".join(texts(page_of(scrutiny, page=n))).lower() for n in (1, 2, 3)):
            continue  # also in words the page shows ("o", "e" of "Comment")
        page = page_of(scrutiny, search=piece)
        chosen = page_of(scrutiny, search=piece, question_id=survey.pk)
        assert (page.questions, page.total, page.answers, page.pages) == ((), 0, 0, 1), piece
        assert (chosen.total, chosen.answers, chosen.chosen.comments) == (0, 0, 0), piece
        shown = client.get(url, {"q": piece}).text
        assert "0 different comments match" in shown, piece
        assert shown.count("<option value=") == 1, piece  # "Every question" and none other
    # What the page shows is found and counted as before.
    assert page_of(scrutiny, search="ring me on").total == 1
    assert page_of(scrutiny, search="number 2").total == 4  # 2 and 20 to 22


def test_a_kept_search_follows_a_new_term_to_redact(scrutiny):
    """What a search found is kept while the evidence is unchanged; a term added to redact
    changes no evidence, and the search counts again without what it now removes."""
    assert page_of(scrutiny, search="excel").total == 1  # "... was excellent."
    assert page_of(scrutiny, search="excel").questions != ()
    Partnership.objects.filter(pk=scrutiny.partnership_id).update(redaction_terms="excellent")
    page = page_of(scrutiny, search="excel")
    assert (page.questions, page.total, page.answers) == ((), 0, 0)


def test_comments_are_paged_ten_at_a_time_and_filtered_by_question(scrutiny):
    survey_comments(scrutiny, *(f"Comment number {i}." for i in range(23)))
    first = page_of(scrutiny)
    assert (first.total, first.pages, first.number, first.next, first.previous) == (
        28,
        3,
        1,
        2,
        None,
    )
    assert len(texts(first)) == 10 and first.groups[0].question.code == "AUD Q7"
    last = page_of(scrutiny, page=99)  # past the last page: the last page
    assert (last.number, len(texts(last)), last.next) == (3, 8, None)
    every = [t for n in (1, 2, 3) for t in texts(page_of(scrutiny, page=n))]
    assert len(every) == len(set(every)) == 28
    survey = first.questions[1]
    only = page_of(scrutiny, question_id=survey.pk)
    assert (only.chosen, only.total, only.pages) == (survey, 26, 3)
    assert {g.question.code for g in only.groups} == {"PS Q7"}
    assert page_of(scrutiny, question_id=-5).chosen is None  # not one of the factor's: ignored
    assert page_of(scrutiny, search="number 1").total == 11  # 1 and 10 to 19


def test_a_page_of_comments_takes_the_same_queries_however_many_comments(scrutiny):
    def queries(**kwargs) -> int:
        caches["evidence"].clear()  # nothing kept (scrutiny/kept.py): the most it takes
        with CaptureQueriesContext(connection) as captured:
            page_of(scrutiny, **kwargs)
        return len(captured)

    few = [queries(), queries(search="the"), queries(page=2)]
    survey_comments(scrutiny, *(f"The comment {i}." for i in range(40)), *["Same."] * 20)
    assert [queries(), queries(search="the"), queries(page=2)] == few


def test_the_page_shows_one_page_of_comments_with_words_search_and_pages(scrutiny, scrutineer):
    survey_comments(scrutiny, *(f"Comment number {i}." for i in range(23)), *["Same."] * 3)
    client = client_for(scrutineer)
    url = reverse("workspace-factor", args=[SLUG, "SF1"])
    page = client.get(url).text
    assert page.count("Tag as a quote<span") == 10
    assert '<h3 class="comment-question">Anything else? \u2013 How good was the plan?</h3>' in page
    assert "on the page “Practice”" in page
    assert "Code AUD Q7" in page  # for analysts, after the words
    assert '<nav class="pagination" aria-label="Pages of comments">' in page
    assert 'aria-current="page" aria-label="Page 1"' in page and "page=2#comments" in page
    assert '<label class="label" for="comment-search">Search the comments</label>' in page
    assert 'href="#comments"' in page and "On this page" in page
    assert page.index("On this page") < page.index('id="finding"') < page.index('id="comments"')
    # Questions are named by their words and their instrument's title, not codes.
    assert "How good was the plan? <span" in page and "PS version 1, Q6:" not in page
    assert "Said by 3 people" in client.get(url, {"q": "same"}).text
    second = client.get(url, {"page": "2", "q": "comment"}).text
    answer_id = int(second.split('name="answer" value="')[1].split('"')[0])
    tagged = client.post(
        reverse("workspace-quote", args=[SLUG, "SF1"]),
        {"answer": answer_id, "q": "comment", "page": "2"},
    )
    assert tagged["Location"] == f"{url}?q=comment&page=2#comments"  # back where the scrutineer was
    assert Quote.objects.get().answer_id == answer_id
    for bad in ({"page": "x", "question": "y"}, {"page": "-1"}, {"q": "a" * 500}):
        assert client.get(url, bad).status_code == 200
