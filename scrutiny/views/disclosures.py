"""Possible disclosures of harm in children's answers (issue 16): the business unit's and the
scrutineer's list. The only page beyond the scrutineer's evidence where a flagged answer's words
are shown; reading it is recorded in the trail (scrutiny.trail.routes)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from scrutiny import permissions_disclosures
from scrutiny.disclosure import flagged_answers


@login_required
def disclosure_list(request: HttpRequest) -> HttpResponse:
    if not permissions_disclosures.can_read_disclosures(request.user):
        raise Http404("No such page.")
    answers = flagged_answers(permissions_disclosures.disclosures_visible_to(request.user))
    return render(request, "scrutiny/disclosures/list.html", {"answers": answers})
