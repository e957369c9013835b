"""Pages of the audits' overview, the moderation meeting, agreement statistics and the trail.

Only people who run audits (the business unit and the scrutineer) reach them: anyone else gets a
404 from `access_scrutiny_audits_for_user`, and a case file of another scrutiny is a 404 too.

The moderation page asks each agreed answer with the instrument's own field
(`questionnaires.question_field`, in a `QuestionnairePage` holding every question of the tool,
so choices, validation and show_if hints are those of the audit itself). Each question is one
block: its heading, a small table of each agency's answer, the agreed answer, and the rationale
where the agencies disagree. One table a question rather than radio buttons inside the cells of
one wide table a section: such a table cannot reflow at 320 px, and a block reads in order with a
screen reader and the keyboard alone.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from audits import agreement
from audits import moderation as mod
from audits.models import AuditEvent, CaseFile
from audits.permissions import access_scrutiny_audits_for_user
from audits.trail import audit_event_record
from scrutiny.errors import ApplicationError
from scrutiny.instruments import CompiledSection, CompiledVersion
from scrutiny.models import Scrutiny
from scrutiny.questionnaires import (
    QuestionnairePage,
    condition_hint,
    question_field,
    values_from_data,
)

# ---------------------------------------------------------------------------------------------
# Helpers


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


# ---------------------------------------------------------------------------------------------
# The moderation forms


def agreed_form_class(compiled: CompiledVersion) -> type[QuestionnairePage]:
    """One page holding every question of the audit tool, with the tool's own fields.

    Every show_if condition is then on the same page, so a follow-up is drawn with its hint
    ("Answer this if …") and is required only when its condition holds in what is sent.
    """
    everything = CompiledSection(
        id=0,
        title="Agreed answers",
        codes=tuple(code for section in compiled.sections for code in section.codes),
    )
    fields: dict[str, forms.Field] = {}
    for code in everything.codes:
        question = compiled.questions[code]
        condition = question.show_if
        hint = ""
        if condition is not None and condition.code in compiled.questions:
            hint = condition_hint(compiled, condition)
        field = question_field(question, hint=hint)
        field.label = f"Agreed answer to {code}"
        fields[code] = field
    attrs: dict[str, Any] = {
        **fields,
        "compiled": compiled,
        "section": everything,
        "section_index": 0,
        "__module__": __name__,
    }
    name = f"{compiled.instrument_code}V{compiled.number}AgreedForm"
    return type(name, (QuestionnairePage,), attrs)


class RationaleForm(forms.Form):
    """A rationale for each question the agencies disagree on (and any recorded before)."""

    use_required_attribute = False

    def __init__(self, *args: Any, sheet: mod.ModerationSheet, **kwargs: Any) -> None:
        super().__init__(*args, prefix="rationale", **kwargs)
        for question in sheet.questions:
            if question.disagree or question.rationale:
                self.fields[question.code] = forms.CharField(
                    label=f"Why the meeting agreed this answer to {question.code}",
                    required=question.disagree,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    help_text="The agencies' answers differ: say what the meeting weighed."
                    if question.disagree
                    else "",
                )

    def full_clean(self) -> None:
        # Whether a rationale is needed is the service's to decide: a disagreement on a follow-up
        # that the agreed answers no longer ask needs none. The fields only say which usually are.
        required = {name: field.required for name, field in self.fields.items()}
        for field in self.fields.values():
            field.required = False
        super().full_clean()
        for name, flag in required.items():
            self.fields[name].required = flag


class ModerationForms:
    """The agreed answers and the rationales, validated and shown together."""

    def __init__(self, sheet: mod.ModerationSheet, data: Any = None) -> None:
        assert sheet.compiled is not None
        form_class = agreed_form_class(sheet.compiled)
        self.agreed = form_class(data, initial=sheet.initial())
        self.rationale = RationaleForm(
            data,
            sheet=sheet,
            initial={q.code: q.rationale for q in sheet.questions if q.rationale},
        )
        self.sheet = sheet
        self.page_errors: list[str] = []

    def is_valid(self) -> bool:
        agreed_ok = self.agreed.is_valid()
        rationale_ok = self.rationale.is_valid()
        if not agreed_ok and rationale_ok:
            # The service is not called with answers that are not valid: check the rationales
            # here, so that every problem is shown at once.
            raw = values_from_data(type(self.agreed), self.agreed.data)
            _, errors = mod.rationales_check(
                sheet=self.sheet, values=raw, rationales=self.rationale.cleaned_data
            )
            self.add_service_errors(ApplicationError("", extra={"rationale_errors": errors}))
        return agreed_ok and rationale_ok

    def values(self) -> dict[str, Any]:
        return self.agreed.answer_values()

    def rationales(self) -> dict[str, str]:
        return {code: str(text) for code, text in self.rationale.cleaned_data.items()}

    def add_service_errors(self, exc: ApplicationError) -> None:
        answer_errors = exc.extra.get("errors") or {}
        rationale_errors = exc.extra.get("rationale_errors") or {}
        if not answer_errors and not rationale_errors and exc.message:
            self.page_errors.append(exc.message)
        for code, message in answer_errors.items():
            if code in self.agreed.fields:
                self.agreed.add_error(code, message)
            else:
                self.page_errors.append(message)
        for code, message in rationale_errors.items():
            if code in self.rationale.fields:
                self.rationale.add_error(code, message)
            else:
                self.page_errors.append(message)

    def error_summary(self) -> list[dict[str, str]]:
        """Each error with a link to its field, in the order of the questions."""
        summary: list[dict[str, str]] = [{"href": "", "text": text} for text in self.page_errors]
        for code in self.agreed.section.codes:
            for form in (self.agreed, self.rationale):
                if code not in form.fields:
                    continue
                field = form[code]
                suffix = "_0" if field.use_fieldset else ""
                for error in field.errors:
                    summary.append(
                        {"href": f"#{field.auto_id}{suffix}", "text": f"{field.label}: {error}"}
                    )
        for form in (self.agreed, self.rationale):
            summary += [{"href": "", "text": str(e)} for e in form.non_field_errors()]
        return summary


def _blocks(sheet: mod.ModerationSheet, forms_: ModerationForms | None) -> list[dict[str, Any]]:
    """The page's sections, each question with its agreed field and rationale field."""
    sections = []
    for section in sheet.sections:
        rows = []
        for question in section.questions:
            row: dict[str, Any] = {"q": question, "field": None, "rationale": None}
            if forms_ is not None:
                if question.code in forms_.agreed.fields:
                    row["field"] = forms_.agreed[question.code]
                if question.code in forms_.rationale.fields:
                    row["rationale"] = forms_.rationale[question.code]
            rows.append(row)
        sections.append({"title": section.title, "questions": rows})
    return sections


# ---------------------------------------------------------------------------------------------
# Pages


@login_required
@require_GET
def audit_overview(request: HttpRequest, slug: str) -> HttpResponse:
    scrutiny = access_scrutiny_audits_for_user(request.user, slug)
    progress = mod.audit_progress(scrutiny=scrutiny, today=timezone.localdate())
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
    case = case_in(scrutiny, case_id)
    sheet = mod.moderation_sheet(case=case)
    forms_ = None
    if sheet.ready:
        forms_ = ModerationForms(sheet, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if forms_ is None or forms_.is_valid():
            try:
                mod.moderation_record(
                    case=case,
                    values=forms_.values() if forms_ else {},
                    rationales=forms_.rationales() if forms_ else {},
                    user=request.user,  # type: ignore[arg-type]
                )
            except ApplicationError as exc:
                if forms_ is None:
                    messages.error(request, exc.message)
                    return redirect("audit-moderate", slug=scrutiny.slug, case_id=case.pk)
                forms_.add_service_errors(exc)
            else:
                messages.success(
                    request,
                    f"The agreed answers for case file {case.case_ref} are recorded. They count "
                    "in the scores in place of the agencies' own audits.",
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
            "sections": _blocks(sheet, forms_),
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
        {"scrutiny": scrutiny, "case": case, "events": mod.audit_trail(case=case)},
    )


audits = "scrutinies/<slug:slug>/audits/"

urlpatterns: list[URLPattern] = [
    path(audits, audit_overview, name="audit-overview"),
    path(f"{audits}agreement/", audit_agreement, name="audit-agreement"),
    path(f"{audits}cases/<int:case_id>/moderate/", audit_moderate, name="audit-moderate"),
    path(f"{audits}cases/<int:case_id>/trail/", audit_trail, name="audit-trail"),
]
