"""Possible disclosures of harm in children's answers (issue 16): the business unit's and the
scrutineer's list, and the business unit's record of what was done about each. The only page
beyond the scrutineer's evidence where a flagged answer's words are shown; reading it and
recording a review are in the trail (scrutiny.trail.routes)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from scrutiny import permissions_disclosures
from scrutiny.disclosure import disclosure_review, flagged_answers
from scrutiny.errors import ApplicationError
from scrutiny.models import User


@login_required
def disclosure_list(request: HttpRequest) -> HttpResponse:
    if not permissions_disclosures.can_read_disclosures(request.user):
        raise Http404("No such page.")
    answers = flagged_answers(permissions_disclosures.disclosures_visible_to(request.user))
    return render(
        request,
        "scrutiny/disclosures/list.html",
        {
            "to_look_at": [a for a in answers if a.reviewed_on is None],
            "looked_at": [a for a in answers if a.reviewed_on is not None],
            "can_review": permissions_disclosures.can_review_disclosures(request.user),
        },
    )


@login_required
@require_POST
def disclosure_review_record(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = permissions_disclosures.access_disclosure_to_review(request.user, answer_id)
    assert isinstance(request.user, User)  # the business unit
    try:
        disclosure_review(answer=answer, note=request.POST.get("note", ""), user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("What was done is recorded: the answer is under “Looked at”."))
    return redirect("disclosure-list")
