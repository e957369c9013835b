"""The forms of the instrument engine: a compiled instrument version as Django forms, a page a
section, and the raw values they give back.

Fields by question type: single → radio buttons; multiple → check boxes; text → a text area;
number → a text box with a decimal keypad (not `type=number`, whose spinners and silent rounding
trouble screen-reader and keyboard users); date → a date input that also accepts 27/03/2024.
The label is the question, the hint its help. Radio and check-box groups are fieldsets whose
legend is the question (templates/components/field.html).

Which questions a page asks, and the hint on a follow-up of the same page, come from show_if
(`scrutiny.questionnaires.conditions`). What a page gives back is the raw values dict (question
code to value, or a list for multiple choice) that `scrutiny.evidence.answers_clean` checks and
stores.

Required questions are required to leave a page (enforce_required=True, the default). A wizard
that saves a draft of a page with errors ("save and come back later") builds the same form with
enforce_required=False, so nothing typed is lost.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from scrutiny.evidence.cleaning import number_limits
from scrutiny.instruments import CHOICE_TYPES, CompiledQuestion, CompiledSection, CompiledVersion
from scrutiny.models import Question
from scrutiny.questionnaires.conditions import (
    CONDITIONAL,
    HIDDEN,
    condition_answer,
    condition_hint,
    question_visibility,
)
from scrutiny.questionnaires.language import html_lang, shown_in_other_language

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y"]


# ---------------------------------------------------------------------------------------------
# Fields


class NumberField(forms.DecimalField):
    """A decimal number as people type it: `1,250` and ` 3.5 ` are read too."""

    # Django's DecimalField narrows IntegerField's to_python (the stub ignores it there too).
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.replace(",", "").replace(" ", "")
        return super().to_python(value)


class AnswerTextField(forms.CharField):
    """A text answer, its limit checked on the server only. Given `maxlength`, a browser cuts
    pasted text short without a word, and "Shorten your answer…" (which says how long it is)
    never shows; the hint states the limit instead."""

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


def _help_text(question: CompiledQuestion, extra: str, lang: str = "") -> SafeString:
    # templates/components/field.html prints help text unescaped (Django's convention), so the
    # help written in a workbook is escaped here. The help is the questionnaire's words, in its
    # `lang`; `extra` is the platform's (a follow-up's condition, a limit), in the page's.
    parts = [
        conditional_escape(part).replace("\n", "<br>") for part in (question.help, extra) if part
    ]
    if lang and question.help:
        parts[0] = f'<span lang="{conditional_escape(lang)}">{parts[0]}</span>'
    return mark_safe("<br>".join(parts))  # noqa: S308 - every part is escaped above


def question_field(question: CompiledQuestion, *, hint: str = "", lang: str = "") -> forms.Field:
    """The form field asking one question; `lang`, its texts' language, marks its help."""
    common: dict[str, Any] = {
        "label": question.text,
        "help_text": _help_text(question, hint, lang),
        "required": question.required,
    }
    choices = [(option.value, option.label) for option in question.options.values()]
    if question.type == Question.Type.SINGLE:
        return forms.ChoiceField(
            choices=choices,
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Choose an answer."),
                "invalid_choice": _("Choose one of the answers listed."),
            },
            **common,
        )
    if question.type == Question.Type.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=choices,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": _("Choose at least one answer."),
                "invalid_choice": _("Choose from the answers listed."),
            },
            **common,
        )
    if question.type == Question.Type.NUMBER:
        most, places = number_limits()  # what Answer.number holds, as the API is held to
        return NumberField(
            max_value=most,
            min_value=-most,
            decimal_places=places,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
            error_messages={
                "required": _("Enter a number."),
                "invalid": _("Enter a number, like 12 or 3.5."),
            },
            **common,
        )
    if question.type == Question.Type.DATE:
        return forms.DateField(
            input_formats=DATE_INPUT_FORMATS,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            error_messages={
                "required": _("Enter a date."),
                "invalid": _("Enter a real date, like 27/03/2024."),
            },
            **common,
        )
    limit = settings.ANSWER_TEXT_MAX_CHARS
    up_to = _("Up to %(limit)s characters.") % {"limit": f"{limit:,}"}
    common["help_text"] = _help_text(question, " ".join(filter(None, [hint, up_to])), lang)
    return AnswerTextField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=limit,
        error_messages={
            "required": _("Enter an answer."),
            # %(show_value)s is left for Django's max_length check to fill in.
            "max_length": _(
                "Shorten your answer to %(limit)s characters or fewer (it has %%(show_value)s)."
            )
            % {"limit": f"{limit:,}"},
        },
        **common,
    )


def _value_out(question: CompiledQuestion, value: Any) -> Any:
    """A cleaned value as the raw value answers_clean reads (JSON-safe: strings and lists)."""
    if question.type == Question.Type.MULTIPLE:
        return [str(v) for v in value or []]
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------------------------------------
# Forms


class QuestionnairePage(forms.Form):
    """One page (section) of an instrument. Built by `section_form_class`, not directly.

    `answers` are the raw answers given on the other pages (code to value): they decide which
    questions of this page are left out. `answer_values()` gives this page's answers back as
    raw values for answers_clean, with "" or [] for a question left unanswered or left out, so
    that merging pages into a draft clears an answer taken back.
    """

    compiled: ClassVar[CompiledVersion]
    section: ClassVar[CompiledSection]
    section_index: ClassVar[int]
    # Browsers' own required-field bubbles are not announced consistently and would fire on a
    # follow-up whose condition does not hold: the page validates on the server and shows an
    # error summary instead. Optional questions say "(optional)" in their label.
    use_required_attribute = False

    def __init__(
        self,
        *args: Any,
        answers: Mapping[str, Any] | None = None,
        enforce_required: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.other_answers: dict[str, Any] = dict(answers or {})
        self.enforce_required = enforce_required
        self.conditional: set[str] = set()
        self.left_out: set[str] = set()
        for code in self.section.codes:
            visibility = question_visibility(
                self.compiled, code, page_codes=self.section.codes, answers=self.other_answers
            )
            if visibility == HIDDEN:
                self.left_out.add(code)
                del self.fields[code]
            elif visibility == CONDITIONAL:
                self.conditional.add(code)
        for code, field in self.fields.items():
            field.required = enforce_required and self.compiled.questions[code].required

    @property
    def content_lang(self) -> str:
        """The `lang` of the questionnaire's own texts when they are not in the page's language
        (an instrument without Welsh on a Welsh page), else "". components/field.html marks
        them, and only them: the platform's own words ("(dewisol)", "Gwall:") keep the page's."""
        return html_lang(self.compiled) if shown_in_other_language(self.compiled) else ""

    def _page_answers(self) -> dict[str, Any]:
        """The choices sent on this page, for the conditions of its own follow-ups."""
        sent: dict[str, Any] = {}
        for code in self.fields:
            if self.compiled.questions[code].type in CHOICE_TYPES:
                sent[code] = self[code].data
        return sent

    def full_clean(self) -> None:
        not_applicable: set[str] = set()
        if self.is_bound and self.conditional:
            answers = {
                code: condition_answer(self.compiled.questions.get(code), value)
                for code, value in {**self.other_answers, **self._page_answers()}.items()
            }
            for code in self.conditional:
                if self.compiled.visible(code, answers):
                    self.fields[code].required = (
                        self.enforce_required and self.compiled.questions[code].required
                    )
                else:
                    self.fields[code].required = False
                    not_applicable.add(code)
        super().full_clean()
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return
        for code in not_applicable:
            # The condition does not hold: whatever was sent is not an answer, nor an error.
            self.errors.pop(code, None)
            self.cleaned_data[code] = (
                [] if self.compiled.questions[code].type == Question.Type.MULTIPLE else ""
            )

    def answer_values(self) -> dict[str, Any]:
        """This page's answers as raw values (call after is_valid())."""
        values: dict[str, Any] = {}
        for code in self.section.codes:
            question = self.compiled.questions[code]
            if code in self.left_out:
                values[code] = _value_out(question, None)
            else:
                values[code] = _value_out(question, self.cleaned_data.get(code))
        return values


def section_form_class(compiled: CompiledVersion, section_index: int) -> type[QuestionnairePage]:
    """The form class of page `section_index` (0-based) of a compiled version."""
    section = compiled.sections[section_index]
    fields: dict[str, forms.Field] = {}
    for code in section.codes:
        question = compiled.questions[code]
        hint = ""
        condition = question.show_if
        if condition is not None and condition.code in section.codes:
            hint = condition_hint(compiled, condition)
        fields[code] = question_field(question, hint=hint, lang=html_lang(compiled))
    attrs: dict[str, Any] = {
        **fields,
        "compiled": compiled,
        "section": section,
        "section_index": section_index,
        "__module__": __name__,
    }
    name = f"{compiled.instrument_code}V{compiled.number}Page{section_index + 1}Form"
    return type(name, (QuestionnairePage,), attrs)


# The page forms of the compiled versions this process used last, by the compiled version (the
# same object while `version_compile` keeps it) and the language their messages are in. A form
# class is never changed once built: each form copies its fields (Django's `base_fields`), so
# one class serves every request. Building them was about a twentieth of an answering request's
# CPU (bench/RESULTS.md). An entry holds its compiled version, so no other takes its id.
_FORM_LISTS: OrderedDict[tuple[int, str], tuple[CompiledVersion, list[tuple[str, Any]]]]
_FORM_LISTS = OrderedDict()
_FORM_LISTS_MOST = 64
_FORM_LISTS_LOCK = threading.Lock()


def form_list_for(compiled: CompiledVersion) -> list[tuple[str, type[QuestionnairePage]]]:
    """(step name, form class) for every page, as django-formtools' form_list takes them.

    Step names are the 0-based page numbers as text.
    """
    key = (id(compiled), get_language() or "")
    with _FORM_LISTS_LOCK:
        held = _FORM_LISTS.get(key)
        if held is not None and held[0] is compiled:
            _FORM_LISTS.move_to_end(key)
            return list(held[1])
    built = [(str(i), section_form_class(compiled, i)) for i in range(len(compiled.sections))]
    with _FORM_LISTS_LOCK:
        _FORM_LISTS[key] = (compiled, built)
        while len(_FORM_LISTS) > _FORM_LISTS_MOST:
            _FORM_LISTS.popitem(last=False)
    return list(built)


def values_from_data(
    form_class: type[QuestionnairePage], data: Any, *, prefix: str | None = None
) -> dict[str, Any]:
    """The raw values a page's POST data holds, without validating it (for the conditions of
    the other pages; the page's own form validates its data when it is submitted)."""
    if not data:
        return {}
    values: dict[str, Any] = {}
    for code, field in form_class.base_fields.items():
        name = f"{prefix}-{code}" if prefix else code  # as forms.Form.add_prefix names it
        values[code] = field.widget.value_from_datadict(data, {}, name)
    return values


def values_from_forms(page_forms: Iterable[QuestionnairePage]) -> dict[str, Any]:
    """Every page's answers merged into one raw values dict (call after is_valid())."""
    values: dict[str, Any] = {}
    for form in page_forms:
        values.update(form.answer_values())
    return values


def answer_display(compiled: CompiledVersion, values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Question and answer in words, in order, for a check-your-answers page."""
    rows: list[dict[str, Any]] = []
    for section in compiled.sections:
        for code in section.codes:
            question = compiled.questions[code]
            value = values.get(code)
            if value in (None, "", []):
                continue
            if question.type in CHOICE_TYPES:
                chosen = value if isinstance(value, list) else [value]
                shown = ", ".join(
                    question.options[v].label if v in question.options else str(v) for v in chosen
                )
            else:
                shown = str(value)
            rows.append(
                {"section": section.title, "code": code, "question": question.text, "answer": shown}
            )
    return rows
