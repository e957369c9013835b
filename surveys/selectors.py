"""Reads for the survey pages: counts in one query, whatever the number of surveys."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from scrutiny.models import Scrutiny
from surveys.models import Invitation, OpenDraft, Survey


def _count(model: Any, *conditions: Q, **filters: Any) -> Coalesce:
    rows = (
        model.objects.filter(*conditions, survey=OuterRef("pk"), **filters)
        .order_by()
        .values("survey")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def survey_list(*, scrutiny: Scrutiny) -> QuerySet[Survey]:
    """The scrutiny's surveys with counts: invited, invitations started and used, open-link
    responses started and submitted."""
    return (
        Survey.objects.filter(scrutiny=scrutiny)
        .select_related("instrument")
        .annotate(
            invited=_count(Invitation),
            # A named survey's invitation holds its answering; an anonymous survey's is held
            # by a keyed draft (surveys.services.invited_drafts), which exists once a page is
            # saved. A survey has one kind or the other, so the two counts add up.
            invitations_started=_count(
                Invitation,
                Q(started_at__isnull=False) | Q(draft_version__isnull=False) | Q(answered=True),
            )
            + _count(OpenDraft, by_invitation=True),
            invitations_used=_count(Invitation, answered=True)
            + _count(OpenDraft, by_invitation=True, answered=True),
            open_started=_count(OpenDraft, session__isnull=True, by_invitation=False),
            open_used=_count(OpenDraft, answered=True, session__isnull=True, by_invitation=False),
        )
        .order_by("-opens_at", "pk")
    )


def survey_counts(*, survey: Survey) -> Survey:
    return survey_list(scrutiny=survey.scrutiny).get(pk=survey.pk)


def invitation_list(*, survey: Survey) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(survey=survey)
        .select_related("agency", "role")
        .order_by("agency__code", "email")
    )
