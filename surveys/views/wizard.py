"""The instrument's pages for a respondent without an account (or signed in): one wizard over
django-formtools (scrutiny.questionnaires), whatever holds the answering (surveys.services.
answering): the personal link's and the open link's pages (surveys.views.respond), the signed-in
ones (surveys.views.signed_in) and the children's (surveys.views.young)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from scrutiny.errors import ApplicationError
from scrutiny.questionnaires import DraftWizardView, QuestionnairePage
from scrutiny.questionnaires.language import active_language, html_lang, shown_in_other_language
from surveys.models import Invitation, OpenDraft, Survey
from surveys.services import answering, invitations


def state_page(request: HttpRequest, survey: Survey | None, state: str, **extra: Any) -> Any:
    status = 404 if state == "unknown" else 200
    return render(
        request,
        "surveys/respond/state.html",
        {"survey": survey, "state": state, **extra},
        status=status,
    )


def survey_closed_page(request: HttpRequest, survey: Survey) -> HttpResponse | None:
    state = invitations.survey_state(survey)
    if state == invitations.OPEN:
        return None
    return state_page(request, survey, state)


# ---------------------------------------------------------------------------------------------
# The pages of the instrument


@method_decorator(never_cache, name="dispatch")
class SurveyWizard(DraftWizardView):
    """The instrument's pages over django-formtools. As for audits, the database draft is the
    truth: the wizard's storage only carries the current step within a request."""

    template_name = "surveys/respond/page.html"
    check_template_name = "surveys/respond/check.html"
    RESUME_STEP = "resume"
    page_not_shown = gettext_lazy(
        "That page does not apply, given your other answers, so nothing on it was saved."
    )
    survey: Survey
    holder: Invitation | OpenDraft
    # Invitation wording on the pages: from the view, for a keyed draft holds an anonymous
    # survey's invitation (surveys.services.invited_drafts).
    is_invitation = False

    # -- what subclasses give ------------------------------------------------------------------

    def load(self) -> HttpResponse | None:
        """Set self.survey and self.holder, or return the page to show instead."""
        raise NotImplementedError

    def start_url(self) -> str:
        raise NotImplementedError

    def thanks_url(self) -> str:
        raise NotImplementedError

    # -- building the pages from the database draft ---------------------------------------------

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        early = self.load()
        if early is not None:
            return early
        if self.holder.answered:
            return state_page(request, self.survey, "used", used_at=self.holder.used_at)
        closed = survey_closed_page(request, self.survey)
        if closed is not None:
            return closed
        return super().dispatch(request, *args, **kwargs)

    def get_compiled(self) -> Any:
        compiled = answering.holder_compiled(self.holder, language=active_language())
        self.draft: dict[str, Any] = answering.holder_values(self.holder)
        return compiled

    def get_prefix(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        return f"survey_{type(self.holder).__name__.lower()}_{self.holder.pk}"

    # -- what the draft wizard asks of a channel -----------------------------------------------

    def draft_step(self) -> str:
        return self.holder.current_step

    def save_page(self, resume: str) -> None:
        answering.survey_save_page(
            holder=self.holder, step=resume, values=self.draft, compiled=self.compiled
        )

    def page_refused(self, form: QuestionnairePage, exc: ApplicationError) -> HttpResponse:
        if isinstance(exc, answering.AlreadySubmitted):
            return redirect(self.thanks_url())
        return super().page_refused(form, exc)

    def saved_for_later(self) -> HttpResponse:
        return render(
            self.request,
            "surveys/respond/saved.html",
            {"survey": self.survey, "resume_url": self.step_url("resume"), **self._mode()},
        )

    def submit(self) -> None:
        answering.survey_submit(holder=self.holder, compiled=self.compiled)

    def submit_refused(self, exc: ApplicationError) -> HttpResponse:
        if isinstance(exc, answering.AlreadySubmitted):
            return state_page(self.request, self.survey, "used", used_at=None)
        return super().submit_refused(exc)

    def submitted(self) -> HttpResponse:
        self.storage.reset()
        return redirect(self.thanks_url())

    # -- context ---------------------------------------------------------------------------

    def _mode(self) -> dict[str, Any]:
        return {"is_invitation": self.is_invitation}

    def _language(self) -> dict[str, Any]:
        return {
            "english_only": shown_in_other_language(self.compiled),
            "questionnaire_lang": html_lang(self.compiled),
        }

    def get_context_data(self, form: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        step = self.steps.current
        context.update(self._mode())
        context.update(self._language())
        context["survey"] = self.survey
        context["previous_step"] = self.get_prev_step(step)
        context["next_step"] = self.get_next_step(step)
        context["page_number"] = self.steps.step1
        context["page_count"] = self.steps.count
        return context

    def check_context(self) -> dict[str, Any]:
        return {
            **self._mode(),
            **self._language(),
            "survey": self.survey,
            "compiled": self.compiled,
            "later_url": self.start_url(),
        }
