"""The board's pages of published results (scrutiny.views.published): who reads them, what they
show (suppressed and redacted, frozen at sign-off), the accessible HTML pack, and that reading
them writes nothing and costs the same number of queries however large the scrutiny."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scrutiny import findings
from scrutiny.models import Agency, Partnership, Publication, Scrutiny, TrailEntry, User
from tests.conftest import client_for
from tests.factories import PartnershipFactory, UserFactory
from tests.jobs import eager_tasks as eager_tasks
from tests.scrutiny.test_publishing import LATER, TERM
from tests.scrutiny.test_publishing import board as board
from tests.scrutiny.test_publishing import media as media
from tests.scrutiny.test_publishing import published as published
from tests.scrutiny.test_workspace import PLANTED, _submit, writes
from tests.scrutiny.test_workspace import scrutiny as scrutiny

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks", "media")]
SLUG = "lfp-2026"
PAGES = ("published-detail", "published-pack", "published-pack-pdf")


def _urls() -> list[str]:
    return [reverse("published-list"), *(reverse(name, args=[SLUG]) for name in PAGES)]


class _Outline(HTMLParser):
    """The headings' levels in order, and each table's caption and header scopes."""

    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []
        self.tables = 0
        self.captions = 0
        self.headers_without_scope = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.levels.append(int(tag[1]))
        elif tag == "table":
            self.tables += 1
        elif tag == "caption":
            self.captions += 1
        elif tag == "th" and not dict(attrs).get("scope"):
            self.headers_without_scope += 1


def outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    return parser


def test_the_board_reads_the_list_the_results_and_the_html_pack(published, board_member):
    client = client_for(board_member)
    listing = client.get(reverse("published-list")).text
    assert "Learning from Practice 2026" in listing
    assert reverse("published-detail", args=[SLUG]) in listing and reverse("plan") in listing

    page = client.get(reverse("published-detail", args=[SLUG])).text
    assert "Success factors: score (0 to 100), rating and responses" in page
    assert "46.8" in page and "Limited evidence" in page
    # The small agencies' cells say so, and give neither score nor n.
    assert '<th scope="row">Fernhill Schools</th><td colspan="2">Not shown' in page
    assert '<th scope="row">Fernhill Police</th><td colspan="2">Not shown' in page
    assert '<th scope="row">Fernhill Council</th><td>58.3</td><td>8</td>' in page
    assert "“Our [removed] on the review was excellent.”" in page and "Fernhill Council" in page
    assert reverse("published-pack", args=[SLUG]) in page
    assert reverse("published-pack-pdf", args=[SLUG]) in page

    pack = client.get(reverse("published-pack", args=[SLUG])).text
    assert pack.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in pack
    assert "Sign out" not in pack  # standalone: none of the platform's navigation
    for html in (page, pack):
        found = outline(html)
        assert found.levels[0] == 1 and found.levels.count(1) == 1
        assert all(b <= a + 1 for a, b in zip(found.levels, found.levels[1:], strict=False))
        assert found.tables == found.captions and found.headers_without_scope == 0
    assert "Draft action plan" in pack and "Appendix: how each question was answered" in pack

    download = client.get(reverse("published-pack-pdf", args=[SLUG]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_business_unit_and_the_scrutineer_read_them_too(published, business_unit, scrutineer):
    for person in (business_unit, scrutineer):
        client = client_for(person)
        assert all(client.get(url).status_code == 200 for url in _urls())


def test_anyone_else_gets_404_and_another_partnership_sees_nothing(
    published, auditor_council, agency_lead, practitioner
):
    for person in (auditor_council, agency_lead, practitioner):
        client = client_for(person)
        assert [client.get(url).status_code for url in _urls()] == [404] * 4
    other = PartnershipFactory(name="Westmere Partnership", slug="westmere")
    Scrutiny.objects.create(partnership=other, slug=SLUG, title="Westmere's own")
    board = client_for(UserFactory(partnership=other, role=User.Role.BOARD_MEMBER))
    assert "Learning from Practice" not in board.get(reverse("published-list")).text
    assert [board.get(reverse(name, args=[SLUG])).status_code for name in PAGES] == [404] * 3


def test_a_scrutiny_not_yet_published_is_404(scrutiny, board_member):
    client = client_for(board_member)
    assert client.get(reverse("published-detail", args=[SLUG])).status_code == 404
    assert "No scrutiny's results are published yet." in client.get(reverse("published-list")).text


def test_no_redaction_term_reaches_a_page_even_one_added_after_publishing(published, board_member):
    client = client_for(board_member)
    pages = [client.get(reverse(name, args=[SLUG])).text for name in PAGES[:2]]
    assert LATER in pages[0]  # not a term yet
    Partnership.objects.filter(pk=published.scrutiny.partnership_id).update(
        redaction_terms=f"{TERM}\nteam briefing\n{LATER}"
    )
    pages += [client.get(reverse(name, args=[SLUG])).text for name in PAGES[:2]]
    for html in pages:
        assert TERM not in html and "team briefing" not in html
        assert not any(value in html for value in PLANTED.values())
    assert all(LATER not in html for html in pages[2:])


def test_later_evidence_does_not_change_the_published_pages(published, scrutiny, board_member):
    client = client_for(board_member)
    before = client.get(reverse("published-pack", args=[SLUG])).text
    for _ in range(3):
        _submit(scrutiny.instruments.get(code="PS"), Agency.objects.get(code="EDU"), "1", "Poor.")
    assert client.get(reverse("published-pack", args=[SLUG])).text == before


def _counted(client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries), writes(queries)


def test_reads_write_nothing_and_their_queries_do_not_grow(
    published, scrutiny, scrutineer, board_member, django_capture_on_commit_callbacks
):
    client = client_for(board_member)
    urls = _urls()
    client.get(urls[0])  # the session's first read
    small = [_counted(client, url) for url in urls]
    assert all(found == [] for _, found in small), small
    # Larger: more responses, quotes and a factor more, signed off and published again.
    for _ in range(5):
        _submit(scrutiny.instruments.get(code="PS"), Agency.objects.get(code="FHC"), "4", "Good.")
    factor = scrutiny.factors.create(code="SF3", statement="Families are heard.")
    (finding,) = findings.findings_drafted(scrutiny=scrutiny, factor=factor)
    findings.finding_update(finding=finding, strengths="Heard.", improvements="", user=scrutineer)
    with django_capture_on_commit_callbacks(execute=True):
        findings.findings_sign_off(scrutiny=scrutiny, user=scrutineer)
    assert len(Publication.objects.get().snapshot["pack"]["factors"]) == 3
    large = [_counted(client, url) for url in urls]
    assert [n for n, _ in large] == [n for n, _ in small], (small, large)
    assert all(found == [] for _, found in large), large


def test_downloading_the_pdf_is_recorded_and_reading_the_pages_is_not(published, board_member):
    client = client_for(board_member)
    for name in PAGES[:2]:
        client.get(reverse(name, args=[SLUG]))
    assert not TrailEntry.objects.filter(action="pack_downloaded").exists()
    client.get(reverse("published-pack-pdf", args=[SLUG]))
    (entry,) = TrailEntry.objects.filter(action="pack_downloaded")
    assert (entry.user, entry.object_type, entry.object_id) == (board_member, "scrutiny", SLUG)
