"""Pages for assigning auditors and for completing, reading and reopening audits, and for
raising an immediate concern about a child.

- `audit-mine`: the auditor's own audits with their status in words.
- `audit-complete`: the audit tool, a page a section, over the one instrument engine
  (scrutiny.questionnaires). The database draft is the truth: every page saves a draft
  (`completion.audit_save_page`), a page is filled from the draft, and coming back to
  /audits/<id>/fill/ opens the page the auditor was on, whatever happened to the browser session.
  Each page carries the audit's revision in a hidden field, so that a save from a second tab, or
  by someone else, after this page was drawn is refused with a message instead of overwriting.
  The last step checks the answers, then submits.
- `audit-detail`, `audit-reopen`, `audit-concern`, `audit-concern-detail`, `audit-assign`.

Each view checks permission (audits.permissions: a 404 for what the user may not see), parses,
calls one service or selector, and renders or redirects.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from audits import completion, permissions, selectors
from audits.models import Assignment, AuditEvent, CaseFile
from audits.trail import audit_event_record
from scrutiny.errors import ApplicationError
from scrutiny.models import Response, User
from scrutiny.questionnaires import DATE_INPUT_FORMATS, DraftWizardView, answer_display

CHECK = completion.CHECK_STEP


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _revision(data: Any) -> int:
    """The revision a page was drawn with; -1 (always stale) when it is missing or garbled."""
    try:
        return int(data.get("revision", ""))
    except (TypeError, ValueError):
        return -1


# ---------------------------------------------------------------------------------------------
# Your audits


@login_required
def audit_mine(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (permissions.is_auditor(user) or permissions.can_run_audits(user)):
        raise Http404("No such page.")
    return render(
        request,
        "audits/completion/audit_mine.html",
        {
            "rows": selectors.audit_list_for_auditor(user=user),
            "can_run_audits": permissions.can_run_audits(user),
        },
    )


# ---------------------------------------------------------------------------------------------
# Completing an audit


@method_decorator([login_required, never_cache], name="dispatch")
class AuditWizard(DraftWizardView):
    """The audit tool over django-formtools and the core's instrument forms.

    The session storage only carries the current step within a request: answers, the page to
    resume at and the revision all come from the database on every request.
    """

    template_name = "audits/completion/fill.html"
    check_template_name = "audits/completion/check.html"

    # -- building the pages from the database draft -------------------------------------------

    def get_compiled(self) -> Any:
        self.assignment = permissions.access_assignment_to_complete(
            self.request.user, self.kwargs["assignment_id"]
        )
        try:
            compiled = completion.assignment_compiled(self.assignment)
        except ApplicationError as exc:
            raise Http404(exc.message) from None
        self.draft: dict[str, Any] = completion.audit_values(self.assignment)
        self.page_revision = self.assignment.revision
        return compiled

    def get_prefix(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        return f"audit_{self.assignment.pk}"

    def step_url(self, step: str | None = None) -> str:
        if step is None:
            return reverse("audit-complete", args=[self.assignment.pk])
        return reverse("audit-complete", args=[self.assignment.pk, step])

    def _submitted(self) -> bool:
        response = self.assignment.response
        return response is not None and response.status == Response.Status.SUBMITTED

    def _to_detail(self) -> HttpResponse:
        messages.info(
            self.request,
            "This audit has been submitted and is locked. Ask the business unit or the "
            "scrutineer to reopen it if something must change.",
        )
        return redirect("audit-detail", self.assignment.pk)

    # -- requests ---------------------------------------------------------------------------

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self._submitted():
            return self._to_detail()
        step = kwargs.get("step")
        steps = list(self.get_form_list())
        if step is None:
            resume = self.assignment.current_step
            if resume != CHECK and resume not in steps:
                resume = steps[0] if steps else CHECK
            return redirect(self.step_url(resume))
        if step == CHECK:
            return self.render_check()
        if step not in steps:
            return redirect(self.step_url())
        self.storage.current_step = step
        return self.render(self.get_form(step))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self._submitted():
            return self._to_detail()
        step = kwargs.get("step")
        if step is None:
            return redirect(self.step_url())
        self.page_revision = _revision(request.POST)
        if step == CHECK:
            return self.post_check()
        if step not in self.get_form_list():
            messages.info(
                request,
                "That page does not apply to this audit, given the answers saved, so nothing "
                "on it was saved.",
            )
            return redirect(self.step_url())
        self.storage.current_step = step
        action = self.posted_action()
        form = self.get_form(step, data=request.POST)
        if not form.is_valid():
            return self.render(form)

        saved = self.draft_merge(form)
        resume = self.resume_step(step, action)
        try:
            completion.audit_save_page(
                assignment=self.assignment,
                revision=self.page_revision,
                step=resume,
                values=self.draft,
                user=request.user,  # type: ignore[arg-type]
            )
        except ApplicationError as exc:
            self.draft_restore(saved)
            stale = isinstance(exc, completion.StaleRevision)
            field_errors = exc.extra.get("errors") or {}
            if stale or not field_errors:
                form.add_error(None, exc.message)
            for code, message in field_errors.items():
                form.add_error(code if code in form.fields else None, message)
            return self.render(form, stale=stale)
        if action == "later":
            messages.success(
                request,
                "Your answers are saved. Come back to this audit at any time from Your audits: "
                "it opens at the page you were on.",
            )
            return redirect("audit-mine")
        return redirect(self.step_url(resume))

    def done(self, form_list: Any, **kwargs: Any) -> HttpResponse:
        # Not reached: every page saves itself and the check page submits.
        return redirect(self.step_url(CHECK))

    # -- the pages' context ----------------------------------------------------------------

    def _common_context(self) -> dict[str, Any]:
        assignment = self.assignment
        return {
            "assignment": assignment,
            "case": assignment.case,
            "scrutiny": assignment.case.sample.scrutiny,
            "compiled": self.compiled,
            "revision": self.page_revision,
        }

    def get_context_data(self, form: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        step = self.steps.current
        context.update(self._common_context())
        context["previous_step"] = self.get_prev_step(step)
        context["next_step"] = self.get_next_step(step)
        context["reload_url"] = self.step_url(step)
        return context

    def render_check(
        self, *, errors: dict[str, str] | None = None, message: str = "", stale: bool = False
    ) -> HttpResponse:
        context = {
            **self._common_context(),
            "sections": self.check_sections(),
            "missing": self.missing_problems(),
            "errors": self.answer_problems(errors or {}),
            "message": message,
            "stale": stale,
            "reload_url": self.step_url(CHECK),
        }
        return render(self.request, self.check_template_name, context)

    def post_check(self) -> HttpResponse:
        try:
            completion.audit_submit(
                assignment=self.assignment,
                revision=self.page_revision,
                user=self.request.user,  # type: ignore[arg-type]
            )
        except completion.StaleRevision as exc:
            return self.render_check(message=exc.message, stale=True)
        except ApplicationError as exc:
            errors = exc.extra.get("errors") or {}
            return self.render_check(errors=errors, message="" if errors else exc.message)
        messages.success(
            self.request,
            "Your audit is submitted. It is now locked; if something must change, ask the "
            "business unit or the scrutineer to reopen it.",
        )
        return redirect("audit-detail", self.assignment.pk)


audit_complete = AuditWizard.as_view()


# ---------------------------------------------------------------------------------------------
# Reading an audit, reopening it


@login_required
def audit_detail(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = permissions.access_assignment_for_user(request.user, assignment_id)
    row = selectors.audit_detail(assignment_id=assignment.pk)
    assignment = row.assignment
    answers: list[dict[str, Any]] = []
    if assignment.response is not None:
        compiled = completion.assignment_compiled(assignment)
        answers = answer_display(compiled, completion.audit_values(assignment))
    audit_event_record(
        scrutiny=assignment.case.sample.scrutiny,
        action=AuditEvent.Action.VIEWED,
        user=request.user,
        assignment=assignment,
    )
    own = assignment.auditor_id == request.user.pk
    return render(
        request,
        "audits/completion/detail.html",
        {
            "row": row,
            "assignment": assignment,
            "case": assignment.case,
            "scrutiny": assignment.case.sample.scrutiny,
            "answers": answers,
            "events": selectors.audit_events(assignment=assignment),
            "may_continue": own and row.status not in (selectors.SUBMITTED, selectors.MODERATED),
            "may_reopen": row.status == selectors.SUBMITTED
            and permissions.audit_may_reopen(request.user, assignment),
            "can_run_audits": permissions.can_run_audits(request.user),
        },
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why does the audit need reopening?",
        help_text="This is kept in the audit's history for everyone who can see the audit.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reason for reopening the audit."},
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_reopen(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = permissions.access_assignment_to_reopen(request.user, assignment_id)
    row = selectors.audit_detail(assignment_id=assignment.pk)
    if row.status == selectors.MODERATED:
        messages.info(request, "This case file has been moderated: its audits cannot be reopened.")
        return redirect("audit-detail", assignment.pk)
    if row.status != selectors.SUBMITTED:
        messages.info(request, "This audit has not been submitted, so there is nothing to reopen.")
        return redirect("audit-detail", assignment.pk)
    form = ReopenForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            completion.audit_reopen(
                assignment=row.assignment,
                reason=form.cleaned_data["reason"],
                user=request.user,  # type: ignore[arg-type]
            )
        except ApplicationError as exc:
            form.add_error("reason", exc.message)
        else:
            messages.success(request, "The audit is reopened: its auditor can change it again.")
            return redirect("audit-detail", assignment.pk)
    return render(
        request,
        "audits/completion/reopen.html",
        {"form": form, "assignment": row.assignment, "case": row.assignment.case},
    )


# ---------------------------------------------------------------------------------------------
# Immediate concerns


class ConcernForm(forms.Form):
    concern = forms.CharField(
        label="What have you found?",
        help_text="Say what is in the case file and why you think the child is at risk now. "
        "This stays on the platform.",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Describe the concern."},
    )


def _concern_message(result: completion.ConcernRaised) -> tuple[int, str]:
    recipient = result.recipient
    if recipient is None:
        return messages.WARNING, (
            "Your concern is recorded, but nobody could be emailed: the partnership has no "
            "safeguarding lead or contact email. Tell your agency's safeguarding lead now, by "
            "phone, and the business unit."
        )
    if recipient.is_lead:
        who = recipient.name or "the partnership's safeguarding lead"
        return messages.SUCCESS, (
            f"Your concern is recorded and {who} is being emailed now, with a link to read it here."
        )
    return messages.SUCCESS, (
        "Your concern is recorded. The partnership has no safeguarding lead email, so its contact "
        "address is being emailed now, with a link to read it here."
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_concern(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = permissions.access_assignment_for_user(request.user, assignment_id)
    partnership = assignment.case.sample.scrutiny.partnership
    form = ConcernForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            result = completion.concern_raise(
                assignment=assignment,
                concern=form.cleaned_data["concern"],
                user=request.user,  # type: ignore[arg-type]
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
            "recipient": completion.concern_recipient(partnership),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_concern_detail(request: HttpRequest, concern_id: int) -> HttpResponse:
    concern = permissions.access_concern_for_user(request.user, concern_id)
    may_acknowledge = permissions.concern_may_acknowledge(request.user, concern)
    if request.method == "POST":
        if not may_acknowledge:
            raise PermissionDenied("The safeguarding lead acknowledges a concern.")
        try:
            completion.concern_acknowledge(concern=concern, user=request.user)  # type: ignore[arg-type]
        except ApplicationError as exc:
            messages.info(request, exc.message)
        else:
            messages.success(request, "The concern is acknowledged.")
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
            "recipient": completion.concern_recipient(concern.case.sample.scrutiny.partnership),
            "may_acknowledge": may_acknowledge,
            "may_open_audit": permissions.concern_may_open_audit(request.user, concern),
        },
    )


# ---------------------------------------------------------------------------------------------
# Assigning auditors


class AssignForm(forms.Form):
    """A row a sampled case file: an agency's auditor, the due date and the role.

    One select lists "agency code, en dash, auditor" pairs grouped by agency (an auditor audits for
    their own agency, so choosing the auditor chooses the agency). A row left at "Nobody" is
    skipped, so the form is sent once for each agency to add to every case file.
    """

    def __init__(
        self,
        *args: Any,
        cases: list[CaseFile],
        auditors: list[User],
        default_due: dt.date,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cases = cases
        self.auditors = {user.pk: user for user in auditors}
        groups: dict[str, list[tuple[str, str]]] = {}
        for user in auditors:
            assert user.agency is not None
            groups.setdefault(f"{user.agency.name} ({user.agency.code})", []).append(
                (str(user.pk), f"{user.agency.code} \N{EN DASH} {user.full_name or user.email}")
            )
        choices: list[Any] = [("", "Nobody this time"), *groups.items()]
        for case in cases:
            self.fields[f"c{case.pk}-auditor"] = forms.TypedChoiceField(
                label="Agency and auditor",
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"c{case.pk}-due"] = forms.DateField(
                label="Due date",
                help_text="For example 30/06/2025.",
                input_formats=DATE_INPUT_FORMATS,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                initial=default_due,
                # Required when the row has an auditor; clean() forgives a row left at Nobody.
                required=True,
                error_messages={
                    "required": "Give the date the audit is due.",
                    "invalid": "Enter a real date, like 30/06/2025.",
                },
            )
            self.fields[f"c{case.pk}-role"] = forms.ChoiceField(
                label="Role",
                choices=Assignment.Role.choices,
                initial=Assignment.Role.FIRST,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for case in self.cases:
            if not cleaned.get(f"c{case.pk}-auditor"):
                # Nobody chosen for this case file: its date does not matter.
                self._errors.pop(f"c{case.pk}-due", None)
        return cleaned

    def requests(self) -> tuple[list[completion.AssignmentRequest], list[str]]:
        """The rows to assign, and the field each one's error belongs on."""
        requests: list[completion.AssignmentRequest] = []
        fields: list[str] = []
        for case in self.cases:
            auditor_id = self.cleaned_data.get(f"c{case.pk}-auditor")
            if not auditor_id:
                continue
            auditor = self.auditors[auditor_id]
            assert auditor.agency is not None
            requests.append(
                completion.AssignmentRequest(
                    case=case,
                    agency=auditor.agency,
                    auditor=auditor,
                    due=self.cleaned_data.get(f"c{case.pk}-due"),
                    role=self.cleaned_data[f"c{case.pk}-role"],
                )
            )
            fields.append(f"c{case.pk}-auditor")
        return requests, fields


def _default_due(sample_id: int) -> dt.date:
    """The due date last given for this sample, if still ahead; else four weeks from today."""
    today = timezone.localdate()
    last = (
        Assignment.objects.filter(case__sample_id=sample_id, due__isnull=False)
        .order_by("-created_at", "-pk")
        .values_list("due", flat=True)
        .first()
    )
    return last if last and last >= today else today + dt.timedelta(days=28)


@login_required
@require_http_methods(["GET", "POST"])
def audit_assign(request: HttpRequest, slug: str) -> HttpResponse:
    scrutiny = permissions.access_scrutiny_audits_for_user(request.user, slug)
    sample = selectors.scrutiny_sample(scrutiny=scrutiny)
    context: dict[str, Any] = {"scrutiny": scrutiny, "sample": sample}
    if sample is None:
        return render(request, "audits/completion/assign.html", context)
    sheet = selectors.sample_assignments(sample=sample)
    auditors = selectors.auditor_list(partnership_id=scrutiny.partnership_id)
    for item in sheet:
        item.case.sample = sample
        sample.scrutiny = scrutiny
    form = AssignForm(
        _posted(request),
        cases=[item.case for item in sheet],
        auditors=auditors,
        default_due=_default_due(sample.pk),
    )
    if request.method == "POST" and form.is_valid():
        requests, fields = form.requests()
        if not requests:
            form.add_error(None, "Choose an auditor for at least one case file.")
        else:
            try:
                made = completion.assignments_assign(
                    scrutiny=scrutiny,
                    requests=requests,
                    user=request.user,  # type: ignore[arg-type]
                )
            except ApplicationError as exc:
                errors = exc.extra.get("errors") or {}
                if not errors:
                    form.add_error(None, exc.message)
                for index, message in errors.items():
                    form.add_error(fields[int(index)], message)
            else:
                count = len(made)
                messages.success(
                    request,
                    f"{count} audit{'s' if count > 1 else ''} assigned. Each auditor is emailed "
                    "once, with a link to their audits and no case references.",
                )
                return redirect("audit-assign", scrutiny.slug)
    blocks = [
        {
            "case": item.case,
            "rows": item.rows,
            "fields": [
                form[f"c{item.case.pk}-auditor"],
                form[f"c{item.case.pk}-due"],
                form[f"c{item.case.pk}-role"],
            ],
        }
        for item in sheet
    ]
    context.update(form=form, blocks=blocks, auditors=auditors)
    return render(request, "audits/completion/assign.html", context)


urlpatterns = [
    path("audits/", audit_mine, name="audit-mine"),
    path("audits/<int:assignment_id>/", audit_detail, name="audit-detail"),
    path("audits/<int:assignment_id>/fill/", audit_complete, name="audit-complete"),
    path("audits/<int:assignment_id>/fill/<str:step>/", audit_complete, name="audit-complete"),
    path("audits/<int:assignment_id>/reopen/", audit_reopen, name="audit-reopen"),
    path("audits/<int:assignment_id>/concern/", audit_concern, name="audit-concern"),
    path("audits/concerns/<int:concern_id>/", audit_concern_detail, name="audit-concern-detail"),
    path("scrutinies/<slug:slug>/audits/assign/", audit_assign, name="audit-assign"),
]
