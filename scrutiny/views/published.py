"""The results published to the partnership's board: the scrutinies whose findings are signed
off, as they were signed off (scrutiny.publishing). Board members, the business unit and the
scrutineer read them; anyone else, and anyone of another partnership, gets a 404.

- `published-list`: the partnership's published scrutinies, newest first, and the action plan;
- `published-detail`: one scrutiny's scorecard, findings, quotes and breakdowns;
- `published-pack`: the event pack as one accessible web page, standalone and printable (the
  PDF is not tagged: this page is its accessible form), which a partnership can put on its
  website;
- `published-pack-pdf`: the pack's PDF, rendered from the same snapshot.

Every page reads the publication's snapshot and nothing else: a fixed number of queries,
however large the scrutiny, and no write.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from scrutiny import permissions
from scrutiny.publishing import (
    publication_pdf_current,
    publication_reading,
    publications_pdf_current,
)


@login_required
def published_list(request: HttpRequest) -> HttpResponse:
    publications = list(
        permissions.publications_visible_to(request.user)
        .defer("snapshot")
        .order_by("-published_at", "-pk")
    )
    return render(
        request,
        "scrutiny/published/published_list.html",
        {"publications": publications, "current_pdfs": publications_pdf_current(publications)},
    )


def _page(request: HttpRequest, slug: str, template: str) -> HttpResponse:
    publication = permissions.access_publication_for_user(request.user, slug)
    pack, pdf_current = publication_reading(publication)
    return render(
        request,
        template,
        {"publication": publication, "pack": pack, "pdf_current": pdf_current},
    )


@login_required
def published_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _page(request, slug, "scrutiny/published/published_detail.html")


@login_required
def published_pack(request: HttpRequest, slug: str) -> HttpResponse:
    return _page(request, slug, "scrutiny/published/published_pack.html")


@login_required
def published_pack_pdf(request: HttpRequest, slug: str) -> FileResponse:
    publication = permissions.access_publication_for_user(request.user, slug)
    if not publication_pdf_current(publication):  # not yet, or redacted with older terms
        raise Http404("The PDF is still being prepared: try again in a few minutes.")
    return FileResponse(
        publication.pdf.open("rb"),
        as_attachment=True,
        filename=f"{publication.scrutiny.slug}-event-pack.pdf",
        content_type="application/pdf",
    )
