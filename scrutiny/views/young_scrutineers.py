"""The young scrutineers' pages (issue 16), and the pages of the adults about them.

For young scrutineers (404 for anyone who may not read the partnership's published results,
403 for a reader who is not a young scrutineer; scrutiny.permissions_young):

- `young-home`: the partnership's published scrutinies;
- `young-scrutiny`: one published scrutiny: its success factors and published scorecard, the
  evidence prepared for them (the publication's quotes, notes and suppressed breakdowns, and
  nothing that is not in it), the plain-language summary once approved, their observations;
- `young-observation`: record an observation from a forum or the event, tagged to factors;
- `young-feedback`: the impact feedback questionnaire, once each, after a scrutiny.

For the adults:

- `young-summary`: the business unit or the scrutineer writes the plain-language summary (a
  draft is suggested from the published scorecard); the scrutineer approves it;
- `young-feedback-results`: the young scrutineers' feedback over time, for the business unit,
  the scrutineer and the board, small numbers suppressed.

Every page reads the publication's snapshot, never the scrutiny's live data.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from scrutiny import permissions, permissions_young
from scrutiny.errors import ApplicationError
from scrutiny.forms_young import FeedbackForm, ObservationForm, PlainSummaryForm
from scrutiny.models import Publication, User
from scrutiny.publishing import publication_pack
from scrutiny.young_scrutineers import (
    ROLE_LABEL,
    feedback_given,
    feedback_results,
    feedback_submit,
    observation_record,
    observations_of,
    plain_summary_approve,
    plain_summary_of,
    plain_summary_save,
    plain_summary_suggested,
)


def _young_scrutineer(request: HttpRequest) -> User:
    user = request.user
    if not permissions_young.is_young_scrutineer(user):
        raise PermissionDenied(_("These pages are for the partnership's young scrutineers."))
    assert isinstance(user, User)
    return user


@login_required
def young_home(request: HttpRequest) -> HttpResponse:
    publications = permissions.publications_visible_to(request.user)  # 404 for non-readers
    _young_scrutineer(request)
    return render(
        request,
        "scrutiny/young/home.html",
        {"publications": publications.defer("snapshot").order_by("-published_at", "-pk")},
    )


@login_required
def young_scrutiny(request: HttpRequest, slug: str) -> HttpResponse:
    publication = permissions_young.access_publication_for_young_scrutineer(request.user, slug)
    user = _young_scrutineer(request)
    pack = publication_pack(publication)
    summary = plain_summary_of(publication)
    return render(
        request,
        "scrutiny/young/scrutiny.html",
        {
            "publication": publication,
            "pack": pack,
            "summary": summary if summary.approved else None,
            "observations": observations_of(publication=publication, user=user),
            "feedback_given": feedback_given(publication=publication, user=user),
            "role_label": ROLE_LABEL,
        },
    )


def _factor_choices(publication: Publication) -> list[tuple[str, str]]:
    return [
        (row.code, f"{row.code} {row.statement}") for row in publication_pack(publication).scorecard
    ]


@login_required
def young_observation(request: HttpRequest, slug: str) -> HttpResponse:
    publication = permissions_young.access_publication_for_young_scrutineer(request.user, slug)
    user = _young_scrutineer(request)
    choices = _factor_choices(publication)
    form = ObservationForm(request.POST or None, factors=choices)
    if request.method == "POST" and form.is_valid():
        try:
            observation_record(
                publication=publication,
                user=user,
                where=form.cleaned_data["where"],
                text=form.cleaned_data["text"],
                factor_codes=form.cleaned_data["factors"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your observation is recorded. Thank you."))
            return redirect("young-scrutiny", publication.scrutiny.slug)
    return render(
        request,
        "scrutiny/young/observation.html",
        {"publication": publication, "form": form},
    )


@login_required
def young_feedback(request: HttpRequest, slug: str) -> HttpResponse:
    publication = permissions_young.access_publication_for_young_scrutineer(request.user, slug)
    user = _young_scrutineer(request)
    given = feedback_given(publication=publication, user=user)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and not given and form.is_valid():
        try:
            feedback_submit(publication=publication, user=user, values=form.values())
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Thank you for telling us. Your answers are saved."))
            return redirect("young-scrutiny", publication.scrutiny.slug)
    return render(
        request,
        "scrutiny/young/feedback.html",
        {"publication": publication, "form": form, "given": given},
    )


@login_required
def young_summary(request: HttpRequest, slug: str) -> HttpResponse:
    publication = permissions_young.access_publication_for_plain_summary(request.user, slug)
    assert isinstance(request.user, User)
    may_approve = permissions_young.can_approve_plain_summary(request.user)
    suggested = plain_summary_suggested(publication_pack(publication))
    form = PlainSummaryForm(
        request.POST or None, initial={"text": publication.plain_summary or suggested}
    )
    if request.method == "POST" and form.is_valid():
        approve = "approve" in request.POST
        if approve and not may_approve:
            raise PermissionDenied(_("Only the Independent Scrutineer approves the summary."))
        try:
            publication = plain_summary_save(
                publication=publication, text=form.cleaned_data["text"], user=request.user
            )
            if approve:
                plain_summary_approve(publication=publication, user=request.user)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("The summary is approved: the young scrutineers can read it.")
                if approve
                else _("The summary is saved. The young scrutineers see it once it is approved."),
            )
            return redirect("young-summary", publication.scrutiny.slug)
    return render(
        request,
        "scrutiny/young/summary.html",
        {
            "publication": publication,
            "form": form,
            "summary": plain_summary_of(publication),
            "may_approve": may_approve,
            "suggested": suggested,
        },
    )


@login_required
def young_feedback_results(request: HttpRequest) -> HttpResponse:
    partnership = permissions_young.access_young_feedback_partnership(request.user)
    return render(
        request,
        "scrutiny/young/feedback_results.html",
        {"rows": feedback_results(partnership=partnership)},
    )
