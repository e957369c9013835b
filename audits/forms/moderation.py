"""The moderation page's forms: the agreed answers, asked with the audit tool's own fields, and
a rationale for each question the agencies disagree on, validated and shown together.

The agreed answers are one `QuestionnairePage` holding every question of the tool
(`questionnaires.question_field`), so choices, validation and show_if hints are those of the
audit itself. Whether a rationale is needed is the service's to decide
(`audits.moderation.rationales_check`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html, strip_tags
from django.utils.translation import gettext as _

from audits.moderation import rationales_check
from audits.moderation_sheet import ModerationSheet
from scrutiny.errors import ApplicationError
from scrutiny.instruments import CompiledSection, CompiledVersion
from scrutiny.questionnaires import (
    QuestionnairePage,
    condition_hint,
    question_field,
    values_from_data,
)


def agreed_form_class(compiled: CompiledVersion) -> type[QuestionnairePage]:
    """One page holding every question of the audit tool, with the tool's own fields.

    Every show_if condition is then on the same page, so a follow-up is drawn with its hint
    ("Answer this if …") and is required only when its condition holds in what is sent.
    """
    everything = CompiledSection(
        id=0,
        title=_("Agreed answers"),
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
        # The question's words are its block's heading: they complete the label for a screen
        # reader without being shown twice.
        field.label = format_html(
            _('Agreed answer<span class="visually-hidden"> to “{}”</span>'), question.text
        )
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

    def __init__(self, data: Any = None, *, sheet: ModerationSheet, **kwargs: Any) -> None:
        super().__init__(data, prefix="rationale", **kwargs)
        for question in sheet.questions:
            if question.disagree or question.rationale:
                self.fields[question.code] = forms.CharField(
                    label=format_html(
                        _(
                            "Why the meeting chose this answer"
                            '<span class="visually-hidden"> to “{}”</span>'
                        ),
                        question.text,
                    ),
                    required=question.disagree,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    help_text=_("The agencies' answers differ: say what the meeting weighed.")
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

    def __init__(self, sheet: ModerationSheet, data: Any = None) -> None:
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
            _, errors = rationales_check(
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
                    label = strip_tags(str(field.label))
                    summary.append(
                        {"href": f"#{field.auto_id}{suffix}", "text": f"{label}: {error}"}
                    )
        for form in (self.agreed, self.rationale):
            summary += [{"href": "", "text": str(e)} for e in form.non_field_errors()]
        return summary
