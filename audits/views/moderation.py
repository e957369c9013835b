"""Pages of the audits' overview, the moderation meeting, agreement statistics and the trail.

Only people who run audits (the business unit and the scrutineer) reach them: anyone else gets a
404 from `access_scrutiny_audits_for_user`, and a case file of another scrutiny is a 404 too.

The moderation page asks each agreed answer with the instrument's own field
(`questionnaires.question_field`, in a `QuestionnairePage` holding every question of the tool,
so choices, validation and show_if hints are those of the audit itself; the forms are in
audits/forms/moderation.py). Each question is one block: its heading (the question's words,
its code only as secondary text), a small table of each agency's answer, the agreed answer, and
the rationale where the agencies disagree. One table a question rather than radio buttons inside
the cells of one wide table a section: such a table cannot reflow at 320 px, and a block reads
in order with a screen reader and the keyboard alone.

The page leads with the questions where the agencies disagree, which are what the meeting is
for; those where every agency agrees (their answer filled in) and the free-text answers follow
in folded groups, so that a tool of forty questions and five agencies stays a page one can use.
A moderation made stale by an audit submitted since says so first.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audits import agreement, trail
from audits.forms.moderation import ModerationForms
from audits.models import AuditEvent, CaseFile
from audits.moderation import moderation_record
from audits.moderation_sheet import ModerationSheet, SheetQuestion, moderation_sheet
from audits.permissions import access_scrutiny_audits_for_user
from audits.progress import audit_progress
from audits.trail import audit_event_record
from scrutiny.errors import ApplicationError
from scrutiny.models import Scrutiny, User


def url_if_defined(name: str, *args: Any) -> str | None:
    """The URL named `name`, or None while no page of that name exists (yet)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def case_in(scrutiny: Scrutiny, case_id: int) -> CaseFile:
    """A case file of this scrutiny's sample; 404 for any other."""
    case = get_object_or_404(
        CaseFile.objects.select_related("sample", "area"), sample__scrutiny=scrutiny, pk=case_id
    )
    case.sample.scrutiny = scrutiny
    return case


def _row(question: SheetQuestion, forms_: ModerationForms | None) -> dict[str, Any]:
    """One question with its agreed field and rationale field (when the form is shown)."""
    row: dict[str, Any] = {"q": question, "field": None, "rationale": None, "errors": False}
    if forms_ is not None:
        if question.code in forms_.agreed.fields:
            row["field"] = forms_.agreed[question.code]
        if question.code in forms_.rationale.fields:
            row["rationale"] = forms_.rationale[question.code]
        row["errors"] = any(f is not None and f.errors for f in (row["field"], row["rationale"]))
    return row


def _groups(sheet: ModerationSheet, forms_: ModerationForms | None) -> list[dict[str, Any]]:
    """The page's questions, the disagreements first: what the meeting is for. The questions
    where every agency agrees and the free-text answers follow, folded (opened when one of
    their fields has an error)."""
    several = len(sheet.contributions) > 1
    groups = [
        ("disagree", _("Where the agencies disagree"), sheet.disagreeing, False),
        (
            "agree",
            _("Where the agencies agree") if several else _("The agency's answers"),
            sheet.agreeing,
            True,
        ),
        ("written", _("Written answers"), sheet.written, True),
    ]
    result = []
    for key, title, questions, folded in groups:
        rows = [_row(q, forms_) for q in questions]
        errors = any(row["errors"] for row in rows)
        result.append({"key": key, "title": title, "rows": rows, "folded": folded and not errors})
    return result


# ---------------------------------------------------------------------------------------------
# Pages


@login_required
@require_GET
def audit_overview(request: HttpRequest, slug: str) -> HttpResponse:
    scrutiny = access_scrutiny_audits_for_user(request.user, slug)
    progress = audit_progress(scrutiny=scrutiny, today=timezone.localdate())
    return render(
        request,
        "audits/moderation/overview.html",
        {
            "scrutiny": scrutiny,
            "progress": progress,
            "sample_url": url_if_defined("audit-sample", scrutiny.slug),
            "assign_url": url_if_defined("audit-assign", scrutiny.slug),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_moderate(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    scrutiny = access_scrutiny_audits_for_user(request.user, slug)
    assert isinstance(request.user, User)  # one who runs the scrutiny's audits
    case = case_in(scrutiny, case_id)
    sheet = moderation_sheet(case=case)
    forms_ = None
    if sheet.ready:
        forms_ = ModerationForms(sheet, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if forms_ is None or forms_.is_valid():
            try:
                moderation_record(
                    case=case,
                    values=forms_.values() if forms_ else {},
                    rationales=forms_.rationales() if forms_ else {},
                    user=request.user,
                )
            except ApplicationError as exc:
                if forms_ is None:
                    messages.error(request, exc.message)
                    return redirect("audit-moderate", slug=scrutiny.slug, case_id=case.pk)
                forms_.add_service_errors(exc)
            else:
                messages.success(
                    request,
                    _(
                        "The agreed answers for case file %(case_ref)s are recorded. They count "
                        "in the scores in place of the agencies' own audits."
                    )
                    % {"case_ref": case.case_ref},
                )
                return redirect("audit-moderate", slug=scrutiny.slug, case_id=case.pk)
    else:
        audit_event_record(
            scrutiny=scrutiny,
            action=AuditEvent.Action.VIEWED,
            user=request.user,
            case=case,
            detail="Moderation page: every agency's answers.",
        )
    errors = forms_.error_summary() if forms_ is not None else []
    return render(
        request,
        "audits/moderation/moderate.html",
        {
            "scrutiny": scrutiny,
            "case": case,
            "sheet": sheet,
            "groups": _groups(sheet, forms_),
            "forms": forms_,
            "errors": errors,
        },
    )


@login_required
@require_GET
def audit_agreement(request: HttpRequest, slug: str) -> HttpResponse:
    scrutiny = access_scrutiny_audits_for_user(request.user, slug)
    return render(
        request,
        "audits/moderation/agreement.html",
        {"scrutiny": scrutiny, "tools": agreement.agreement_statistics(scrutiny=scrutiny)},
    )


@login_required
@require_GET
def audit_trail(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    scrutiny = access_scrutiny_audits_for_user(request.user, slug)
    case = case_in(scrutiny, case_id)
    return render(
        request,
        "audits/moderation/trail.html",
        {
            "scrutiny": scrutiny,
            "case": case,
            "lines": trail.audit_trail_lines(case=case, language=get_language() or ""),
        },
    )
