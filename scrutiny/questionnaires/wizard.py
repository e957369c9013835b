"""The wizard of the instrument engine: django-formtools over an instrument's pages.

`InstrumentWizardView` drives the pages of one version (the scrutineer's preview keeps its
answers in the session). `DraftWizardView` is the channels' wizard (the audit wizard, the survey
wizard): its answers live in a database draft saved after every page, and it holds the requests
they share (opening a page, resuming, saving a page, checking the answers and submitting), each
channel giving only what differs through small hooks.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from formtools.wizard.storage.base import BaseStorage
from formtools.wizard.views import SessionWizardView

from scrutiny.errors import ApplicationError
from scrutiny.evidence import EMPTY, answers_clean
from scrutiny.instruments import CHOICE_TYPES, CompiledVersion
from scrutiny.questionnaires.conditions import section_shown
from scrutiny.questionnaires.forms import (
    QuestionnairePage,
    answer_display,
    form_list_for,
    values_from_data,
)
from scrutiny.questionnaires.language import html_lang, shown_in_other_language


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
        context["english_only"] = shown_in_other_language(self.compiled)
        context["questionnaire_lang"] = html_lang(self.compiled)
        return context


class RequestStorage(BaseStorage):
    """formtools' storage for one request only: the draft wizard keeps nothing between requests
    (its answers and the page to resume at are in the database), so writing the session on
    every page would be a database write for nothing, and a session for every respondent."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.init_data()


class DraftWizardView(InstrumentWizardView):
    """An instrument wizard whose answers live in a database draft, not in the session.

    The channels' wizards (audits, surveys) subclass it. Its storage (`RequestStorage`) only
    carries the current step within a request: the answers and the page to resume at come from the
    database on every request. Every page saves the draft; the check-your-answers page, the
    step CHECK_STEP after the instrument's own pages, submits it. A subclass gives:

    - `get_compiled()`, which also sets `self.draft` (the draft's answers, see
      `answer_values`), and `step_url(step)`, a page's address (`step_url()`: the address that
      opens the page to resume at, whose step is RESUME_STEP);
    - `draft_step()`, the page the draft was left at;
    - `save_page(resume)` and `submit()`, through its own service;
    - the pages it shows: `saved_for_later()`, `submitted()`, `check_context()` with
      `check_template_name`, and the words `page_not_shown`;

    and may override `closed_page()` (a page shown instead of every step), `page_refused()`
    and `submit_refused()` (for a refusal of its own).
    """

    storage_name = "scrutiny.questionnaires.wizard.RequestStorage"
    CHECK_STEP: ClassVar[str] = "check"
    RESUME_STEP: ClassVar[str | None] = None  # None: the address without a step resumes
    ACTIONS: ClassVar[tuple[str, ...]] = ("continue", "later", "previous")
    enforce_required = True
    draft: dict[str, Any]
    check_template_name: str
    page_not_shown: ClassVar[str | Promise]  # a page posted that the answers saved leave out

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
                    # A chosen option's label is the questionnaire's words (its `lang`).
                    "choice": compiled.questions[code].type in CHOICE_TYPES,
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
                message = _("Answer “%(question)s”") % {"question": question.text}
            problems.append({"message": message, "url": f"{self.step_url(step)}#{anchor}"})
        return problems

    def missing_problems(self) -> list[dict[str, str]]:
        """What still stops the draft being submitted, linked to the pages."""
        _, missing = answers_clean(self.compiled, self.draft, complete=True)
        return self.answer_problems(missing)

    # -- what a channel gives ------------------------------------------------------------------

    def draft_step(self) -> str:
        """The page the draft was left at, stored with it."""
        raise NotImplementedError

    def save_page(self, resume: str) -> None:
        """Save `self.draft` and the page to resume at, through the channel's service."""
        raise NotImplementedError

    def submit(self) -> None:
        """Submit the saved draft, through the channel's service."""
        raise NotImplementedError

    def saved_for_later(self) -> HttpResponse:
        raise NotImplementedError

    def submitted(self) -> HttpResponse:
        raise NotImplementedError

    def check_context(self) -> dict[str, Any]:
        """The check-your-answers page's own context, besides the answers and problems."""
        raise NotImplementedError

    def closed_page(self) -> HttpResponse | None:
        """The page to show instead of any step (say, the draft is submitted), or None."""
        return None

    # -- requests ------------------------------------------------------------------------------

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        closed = self.closed_page()
        if closed is not None:
            return closed
        step = kwargs.get("step")
        steps = list(self.get_form_list())
        if step == self.RESUME_STEP:
            resume = self.draft_step()
            if resume != self.CHECK_STEP and resume not in steps:
                resume = steps[0] if steps else self.CHECK_STEP
            return redirect(self.step_url(resume))
        if step == self.CHECK_STEP:
            return self.render_check()
        if step not in steps:
            return redirect(self.step_url())
        self.storage.current_step = step
        return self.render(self.get_form(step))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        closed = self.closed_page()
        if closed is not None:
            return closed
        step = kwargs.get("step")
        if step is None:
            return redirect(self.step_url())
        if step == self.CHECK_STEP:
            return self.post_check()
        if step not in self.get_form_list():
            messages.info(request, str(self.page_not_shown))
            return redirect(self.step_url())
        self.storage.current_step = step
        action = self.posted_action()
        form = self.get_form(step, data=request.POST)
        if not form.is_valid():
            return self.render(form)
        saved = self.draft_merge(form)
        resume = self.resume_step(step, action)
        try:
            self.save_page(resume)
        except ApplicationError as exc:
            self.draft_restore(saved)
            return self.page_refused(form, exc)
        if action == "later":
            return self.saved_for_later()
        return redirect(self.step_url(resume))

    def page_refused(self, form: QuestionnairePage, exc: ApplicationError) -> HttpResponse:
        """Saving the page was refused: the page again, with the reasons on it."""
        self.refusal_onto(form, exc)
        return self.render(form)

    @staticmethod
    def refusal_onto(
        form: QuestionnairePage, exc: ApplicationError, *, at_the_top: bool = False
    ) -> None:
        """A refusal's reasons on the page's form: each answer's at its question, and the
        message at the top when it names no answer (or always, `at_the_top`)."""
        field_errors = exc.extra.get("errors") or {}
        if at_the_top or not field_errors:
            form.add_error(None, exc.message)
        for code, message in field_errors.items():
            form.add_error(code if code in form.fields else None, message)

    def render_check(
        self, *, errors: dict[str, str] | None = None, message: str = "", **extra: Any
    ) -> HttpResponse:
        """Check your answers: the shown pages and their answers, what still stops the draft
        being submitted, and the problems a refused submission named."""
        context = {
            **self.check_context(),
            "sections": self.check_sections(),
            "missing": self.missing_problems(),
            "errors": self.answer_problems(errors or {}),
            "message": message,
            **extra,
        }
        return render(self.request, self.check_template_name, context)

    def post_check(self) -> HttpResponse:
        try:
            self.submit()
        except ApplicationError as exc:
            return self.submit_refused(exc)
        return self.submitted()

    def submit_refused(self, exc: ApplicationError) -> HttpResponse:
        errors = exc.extra.get("errors") or {}
        return self.render_check(errors=errors, message="" if errors else exc.message)

    def done(self, form_list: Any, **kwargs: Any) -> HttpResponse:
        # Not reached: every page saves itself and the check page submits.
        return redirect(self.step_url(self.CHECK_STEP))
