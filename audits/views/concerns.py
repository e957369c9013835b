"""Immediate concerns about a child: raising one during an audit (`audit-concern`), and reading
and acknowledging it (`audit-concern-detail`, the page the safeguarding lead's email links to).

Each view checks permission (audits.permissions), parses, calls one service of audits.concerns,
and renders or redirects. Reading a concern is recorded in the audit trail.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audits import concerns, permissions
from audits.forms.completion import ConcernForm
from audits.models import AuditEvent
from audits.trail import audit_event_record
from scrutiny.errors import ApplicationError
from scrutiny.mfa.middleware import to_second_factor
from scrutiny.mfa.selectors import session_is_verified
from scrutiny.models import User


def _concern_message(result: concerns.ConcernRaised) -> tuple[int, str]:
    recipient = result.recipient
    if recipient is None:
        return messages.WARNING, _(
            "Your concern is recorded, but nobody could be emailed: the partnership has no "
            "safeguarding lead or contact email. Tell your agency's safeguarding lead now, by "
            "phone, and the business unit."
        )
    if recipient.is_lead:
        who = recipient.name or _("the partnership's safeguarding lead")
        return messages.SUCCESS, _(
            "Your concern is recorded and %(who)s is being emailed now, with a link to read it "
            "here."
        ) % {"who": who}
    return messages.SUCCESS, _(
        "Your concern is recorded. The partnership has no safeguarding lead email, so its contact "
        "address is being emailed now, with a link to read it here."
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_concern(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = permissions.access_assignment_for_user(request.user, assignment_id)
    assert isinstance(request.user, User)  # one who may see the audit
    partnership = assignment.case.sample.scrutiny.partnership
    form = ConcernForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            result = concerns.concern_raise(
                assignment=assignment,
                concern=form.cleaned_data["concern"],
                user=request.user,
            )
        except ApplicationError as exc:
            form.add_error("concern", exc.message)
        else:
            level, text = _concern_message(result)
            messages.add_message(request, level, text)
            return redirect("audit-concern-detail", result.concern.pk)
    return render(
        request,
        "audits/completion/concern.html",
        {
            "form": form,
            "assignment": assignment,
            "case": assignment.case,
            "partnership": partnership,
            "recipient": concerns.concern_recipient(partnership),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_concern_detail(request: HttpRequest, concern_id: int) -> HttpResponse:
    concern = permissions.access_concern_for_user(request.user, concern_id)
    assert isinstance(request.user, User)  # one who may read the concern
    if not session_is_verified(request):
        # Everyone who may read a concern (it names the case) must prove a second factor: the
        # middleware sends them on first, and so does this page should any route pass it by.
        return to_second_factor(request)
    may_acknowledge = permissions.concern_may_acknowledge(request.user, concern)
    if request.method == "POST":
        if not may_acknowledge:
            raise PermissionDenied(_("The safeguarding lead acknowledges a concern."))
        try:
            concerns.concern_acknowledge(concern=concern, user=request.user)
        except ApplicationError as exc:
            messages.info(request, exc.message)
        else:
            messages.success(request, _("The concern is acknowledged."))
        return redirect("audit-concern-detail", concern.pk)
    audit_event_record(
        scrutiny=concern.case.sample.scrutiny,
        action=AuditEvent.Action.VIEWED,
        user=request.user,
        case=concern.case,
        assignment=concern.assignment,
        detail=f"Immediate concern {concern.pk} read",
    )
    return render(
        request,
        "audits/completion/concern_detail.html",
        {
            "concern": concern,
            "case": concern.case,
            "scrutiny": concern.case.sample.scrutiny,
            "recipient": concerns.concern_recipient(concern.case.sample.scrutiny.partnership),
            "may_acknowledge": may_acknowledge,
            "may_open_audit": permissions.concern_may_open_audit(request.user, concern),
        },
    )
