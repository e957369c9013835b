"""The one instrument engine: a compiled instrument version becomes Django forms, a page a section.

Every channel that shows an instrument to a person builds its pages here: the audit wizard, the
survey wizard and the scrutineer's preview. So a question looks, reads and validates the same
wherever it is answered, and what a page gives back is the raw values dict (question code to
value, or a list for multiple choice) that `scrutiny.evidence.answers_clean` checks and stores.

Fields by question type: single → radio buttons; multiple → check boxes; text → a text area;
number → a text box with a decimal keypad (not `type=number`, whose spinners and silent rounding
trouble screen-reader and keyboard users); date → a date input that also accepts 27/03/2024.
The label is the question, the hint its help. Radio and check-box groups are fieldsets whose
legend is the question (templates/components/field.html).

show_if on pages. A question whose condition is on ANOTHER page is decided before its page is
drawn, from the answers given there: when the condition does not hold the question is simply left
out. A question whose condition is on the SAME page is drawn with a hint saying when to answer it
("Answer this if you chose “Yes” for “…”"), is never required unless its condition holds in what
was sent, and its answer is dropped when the condition does not hold. We chose the hint over
progressive disclosure: it works without JavaScript, nothing appears or moves while a screen-reader
or magnifier user is on the page, no focus has to be managed, and a respondent sees at once that
the follow-up exists (WCAG 2.2 3.3.2 labels or instructions). A page whose questions are all left
out is skipped (`section_shown`).

Required questions are required to leave a page (enforce_required=True, the default). A wizard
that saves a draft of a page with errors ("save and come back later") builds the same form with
enforce_required=False, so nothing typed is lost.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from formtools.wizard.views import SessionWizardView

from scrutiny.evidence import EMPTY, answers_clean
from scrutiny.instruments import (
    CHOICE_TYPES,
    CompiledQuestion,
    CompiledSection,
    CompiledVersion,
    Condition,
)
from scrutiny.models import Question

SHOWN = "shown"
HIDDEN = "hidden"
CONDITIONAL = "conditional"  # shown with a hint; decided by an answer on the same page

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y"]


# ---------------------------------------------------------------------------------------------
# show_if on pages


def _condition_answer(question: CompiledQuestion | None, value: Any) -> str | list[str] | None:
    """An answer as Condition.holds reads it: a string, or a list of strings for multiple."""
    if value is None:
        return None
    if isinstance(value, list | tuple | set):
        return [str(v).strip() for v in value if str(v).strip()]
    if question is not None and question.type == Question.Type.MULTIPLE:
        return [v.strip() for v in str(value).split(";") if v.strip()]
    return str(value).strip()


def question_visibility(
    compiled: CompiledVersion,
    code: str,
    *,
    page_codes: Iterable[str],
    answers: Mapping[str, Any],
) -> str:
    """SHOWN, HIDDEN or CONDITIONAL for question `code` on the page holding `page_codes`.

    Conditions on other pages are decided from `answers` (a chain of conditions is followed:
    a question that depends on a hidden question is hidden too); a condition on a question of
    the same page makes the question CONDITIONAL, to be decided from what the page sends.
    """
    on_page = set(page_codes)
    conditional = False
    seen: set[str] = set()
    current = code
    while True:
        condition = compiled.questions[current].show_if
        if condition is None:
            return CONDITIONAL if conditional else SHOWN
        target = compiled.questions.get(condition.code)
        if target is None or condition.code in seen:
            return HIDDEN
        if condition.code in on_page:
            conditional = True
        elif not condition.holds(_condition_answer(target, answers.get(condition.code))):
            return HIDDEN
        seen.add(condition.code)
        current = condition.code


def section_shown(
    compiled: CompiledVersion, section_index: int, answers: Mapping[str, Any]
) -> bool:
    """Does page `section_index` ask anything, given the answers on the other pages?"""
    codes = compiled.sections[section_index].codes
    return any(
        question_visibility(compiled, code, page_codes=codes, answers=answers) != HIDDEN
        for code in codes
    )


def _quoted_values(target: CompiledQuestion, condition: Condition) -> str:
    labels = [
        f"“{target.options[v].label if v in target.options else v}”" for v in condition.values
    ]
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " or " + labels[-1]


def condition_hint(compiled: CompiledVersion, condition: Condition) -> str:
    """The words that tell a respondent when to answer a follow-up question."""
    target = compiled.questions[condition.code]
    question = f"“{Truncator(target.text).chars(90)}”"
    values = _quoted_values(target, condition)
    if target.type in CHOICE_TYPES:
        if condition.op == "!=":
            return f"Answer this if you did not choose {values} for {question}."
        return f"Answer this if you chose {values} for {question}."
    if condition.op == "!=":
        return f"Answer this if your answer to {question} was not {values}."
    return f"Answer this if your answer to {question} was {values}."


# ---------------------------------------------------------------------------------------------
# Fields


class NumberField(forms.DecimalField):
    """A decimal number as people type it: `1,250` and ` 3.5 ` are read too."""

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = value.replace(",", "").replace(" ", "")
        return super().to_python(value)


def _help_text(question: CompiledQuestion, extra: str) -> SafeString:
    # templates/components/field.html prints help text unescaped (Django's convention), so the
    # help written in a workbook is escaped here.
    parts = [
        conditional_escape(part).replace("\n", "<br>") for part in (question.help, extra) if part
    ]
    return mark_safe("<br>".join(parts))  # noqa: S308 - every part is escaped above


def question_field(question: CompiledQuestion, *, hint: str = "") -> forms.Field:
    """The form field asking one question."""
    common: dict[str, Any] = {
        "label": question.text,
        "help_text": _help_text(question, hint),
        "required": question.required,
    }
    choices = [(option.value, option.label) for option in question.options.values()]
    if question.type == Question.Type.SINGLE:
        return forms.ChoiceField(
            choices=choices,
            widget=forms.RadioSelect,
            error_messages={
                "required": "Choose an answer.",
                "invalid_choice": "Choose one of the answers listed.",
            },
            **common,
        )
    if question.type == Question.Type.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=choices,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": "Choose at least one answer.",
                "invalid_choice": "Choose from the answers listed.",
            },
            **common,
        )
    if question.type == Question.Type.NUMBER:
        return NumberField(
            max_digits=18,
            decimal_places=6,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
            error_messages={
                "required": "Enter a number.",
                "invalid": "Enter a number, like 12 or 3.5.",
            },
            **common,
        )
    if question.type == Question.Type.DATE:
        return forms.DateField(
            input_formats=DATE_INPUT_FORMATS,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            error_messages={
                "required": "Enter a date.",
                "invalid": "Enter a real date, like 27/03/2024.",
            },
            **common,
        )
    limit = settings.ANSWER_TEXT_MAX_CHARS
    common["help_text"] = _help_text(
        question, " ".join(filter(None, [hint, f"Up to {limit:,} characters."]))
    )
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=limit,
        error_messages={
            "required": "Enter an answer.",
            "max_length": f"Shorten your answer to {limit:,} characters or fewer "
            "(it has %(show_value)s).",
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
                code: _condition_answer(self.compiled.questions.get(code), value)
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
            self._errors.pop(code, None)
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
        fields[code] = question_field(question, hint=hint)
    attrs: dict[str, Any] = {
        **fields,
        "compiled": compiled,
        "section": section,
        "section_index": section_index,
        "__module__": __name__,
    }
    name = f"{compiled.instrument_code}V{compiled.number}Page{section_index + 1}Form"
    return type(name, (QuestionnairePage,), attrs)


def form_list_for(compiled: CompiledVersion) -> list[tuple[str, type[QuestionnairePage]]]:
    """(step name, form class) for every page, as django-formtools' form_list takes them.

    Step names are the 0-based page numbers as text.
    """
    return [(str(i), section_form_class(compiled, i)) for i in range(len(compiled.sections))]


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


# ---------------------------------------------------------------------------------------------
# The formtools wizard over an instrument's pages


class InstrumentWizardView(SessionWizardView):
    """django-formtools over the pages of one instrument version.

    A subclass gives `get_compiled()` (checking permission first) and `done()`; it may override
    `get_prefix()` so two wizards of one person do not share storage, `get_form_initial()` to
    fill pages from a draft (see `answer_values`), and `process_step()` to save a draft after
    every page (see `values_from_forms`). Pages that ask nothing, given the answers on the other
    pages, are skipped; each page's form is given those answers.
    """

    # formtools asks for a form list when the URLs load; the real one is built per request.
    form_list: Any = [("0", forms.Form)]
    compiled: CompiledVersion

    def get_compiled(self) -> CompiledVersion:
        raise NotImplementedError

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        self.compiled = self.get_compiled()
        self.form_list = OrderedDict(form_list_for(self.compiled))
        # formtools calls a condition with the wizard only: one callable a step.
        self.condition_dict = {
            step: (lambda wizard, step=step: wizard.step_shown(step)) for step in self.form_list
        }
        return super().dispatch(request, *args, **kwargs)

    def step_shown(self, step: str) -> bool:
        return section_shown(self.compiled, int(step), self.answers_so_far(exclude=step))

    def answers_so_far(self, *, exclude: str | None = None) -> dict[str, Any]:
        """The raw answers stored for every page but `exclude`."""
        values: dict[str, Any] = {}
        for step, form_class in self.form_list.items():
            if step == exclude:
                continue
            data = self.storage.get_step_data(step)
            values.update(values_from_data(form_class, data, prefix=self.get_form_prefix(step)))
        return values

    def get_form_kwargs(self, step: str | None = None) -> dict[str, Any]:
        step = self.steps.current if step is None else step
        return {"answers": self.answers_so_far(exclude=step)}

    def get_context_data(self, form: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        context["compiled"] = self.compiled
        context["section"] = self.compiled.sections[int(self.steps.current)]
        return context


class DraftWizardView(InstrumentWizardView):
    """An instrument wizard whose answers live in a database draft, not in the session.

    The channels' wizards (audits, surveys) subclass it: `get_compiled()` also sets `self.draft`
    (the draft's answers, see `answer_values`), `step_url(step)` gives a page's address, and
    the subclass saves the draft after each page through its own service. The session storage
    only carries the current step within a request. The check-your-answers page is the step
    CHECK_STEP, after the instrument's own pages.
    """

    CHECK_STEP: ClassVar[str] = "check"
    ACTIONS: ClassVar[tuple[str, ...]] = ("continue", "later", "previous")
    enforce_required = True
    draft: dict[str, Any]

    def step_url(self, step: str | None = None) -> str:
        raise NotImplementedError

    def answers_so_far(self, *, exclude: str | None = None) -> dict[str, Any]:
        """The draft's answers, but those of page `exclude` (its form brings its own)."""
        if exclude is None or exclude == self.CHECK_STEP:
            return dict(self.draft)
        codes = set(self.compiled.sections[int(exclude)].codes)
        return {code: value for code, value in self.draft.items() if code not in codes}

    def get_form_kwargs(self, step: str | None = None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(step)
        kwargs["enforce_required"] = self.enforce_required
        return kwargs

    def get_form_initial(self, step: str) -> dict[str, Any]:
        codes = self.compiled.sections[int(step)].codes
        return {code: self.draft[code] for code in codes if code in self.draft}

    def _forget_steps(self) -> None:
        """The draft changed: which pages are shown is worked out again."""
        for name in ("_resolved_form_list", "_cache_signature"):
            self.__dict__.pop(name, None)

    def draft_merge(self, form: QuestionnairePage) -> dict[str, Any]:
        """Take a valid page's answers into the draft; returns the draft as it was, to put
        back with `draft_restore` when saving fails."""
        saved = self.draft
        self.draft = {**saved, **form.answer_values()}
        self._forget_steps()
        return saved

    def draft_restore(self, saved: dict[str, Any]) -> None:
        self.draft = saved
        self._forget_steps()

    def posted_action(self) -> str:
        """What the page's button asked: continue, save for later, or go back a page. Leaving
        a page (for later, or back) keeps what is typed even if required answers are missing;
        going on needs them."""
        action = self.request.POST.get("action", "continue")
        if action not in self.ACTIONS:
            action = "continue"
        self.enforce_required = action == "continue"
        return action

    def resume_step(self, step: str, action: str) -> str:
        """The page to open next (and to resume at) after saving page `step`."""
        if action == "continue":
            return self.get_next_step(step) or self.CHECK_STEP
        if action == "previous":
            return self.get_prev_step(step) or step
        return step

    def check_sections(self) -> list[dict[str, Any]]:
        """The shown pages with their shown questions and answers, for check-your-answers."""
        compiled = self.compiled
        shown = {row["code"]: row["answer"] for row in answer_display(compiled, self.draft)}
        sections = []
        for step in self.get_form_list():
            section = compiled.sections[int(step)]
            rows = [
                {
                    "code": code,
                    "question": compiled.questions[code].text,
                    "answer": shown.get(code, ""),
                    "required": compiled.questions[code].required,
                }
                for code in section.codes
                if compiled.visible(code, self.draft)
            ]
            sections.append(
                {"step": step, "title": section.title, "rows": rows, "url": self.step_url(step)}
            )
        return sections

    def answer_problems(self, errors: Mapping[str, str]) -> list[dict[str, str]]:
        """Each problem (question code → message) with a link to its question on its page."""
        sections = self.compiled.sections
        step_of = {code: str(i) for i, section in enumerate(sections) for code in section.codes}
        problems = []
        for code, message in errors.items():
            question = self.compiled.questions.get(code)
            if question is None or code not in step_of:
                problems.append({"message": message, "url": ""})
                continue
            step = step_of[code]
            anchor = f"id_{step}-{code}" + ("_0" if question.type in CHOICE_TYPES else "")
            if self.draft.get(code) in EMPTY:
                message = f"Answer “{question.text}”"
            problems.append({"message": message, "url": f"{self.step_url(step)}#{anchor}"})
        return problems

    def missing_problems(self) -> list[dict[str, str]]:
        """What still stops the draft being submitted, linked to the pages."""
        _, missing = answers_clean(self.compiled, self.draft, complete=True)
        return self.answer_problems(missing)
