"""The audit wizard (`audit-complete`): the audit tool, a page a section, over the one instrument
engine (scrutiny.questionnaires).

The database draft is the truth: every page saves a draft (`completion.audit_save_page`), a page
is filled from the draft, and coming back to /audits/<id>/fill/ opens the page the auditor was
on, whatever happened to the browser session. Each page carries the audit's revision in a hidden
field, so that a save from a second tab, or by someone else, after this page was drawn is refused
with a message instead of overwriting. The last step checks the answers, then submits.

The other audit pages: reading.py (your audits, one audit), reopening.py, concerns.py and
assignments.py beside this module.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache

from audits import completion, permissions
from scrutiny.errors import ApplicationError
from scrutiny.models import Response
from scrutiny.questionnaires import DraftWizardView, QuestionnairePage
from scrutiny.questionnaires.language import active_language

CHECK = completion.CHECK_STEP


def _revision(data: Any) -> int:
    """The revision a page was drawn with; -1 (always stale) when it is missing or garbled."""
    try:
        return int(data.get("revision", ""))
    except (TypeError, ValueError):
        return -1


# ---------------------------------------------------------------------------------------------
# Completing an audit


@method_decorator([login_required, never_cache], name="dispatch")
class AuditWizard(DraftWizardView):
    """The audit tool over django-formtools and the core's instrument forms.

    The wizard's storage only carries the current step within a request: answers, the page to
    resume at and the revision all come from the database on every request.
    """

    template_name = "audits/completion/fill.html"
    check_template_name = "audits/completion/check.html"
    page_not_shown = gettext_lazy(
        "That page does not apply to this audit, given the answers saved, so nothing on it "
        "was saved."
    )

    # -- building the pages from the database draft -------------------------------------------

    def get_compiled(self) -> Any:
        self.assignment = permissions.access_assignment_to_complete(
            self.request.user, self.kwargs["assignment_id"]
        )
        try:
            compiled = completion.assignment_compiled(self.assignment, language=active_language())
        except ApplicationError as exc:
            raise Http404(exc.message) from None
        self._draft: dict[str, Any] | None = None
        self.page_revision = self.assignment.revision
        return compiled

    @property
    def draft(self) -> dict[str, Any]:
        """The answers saved so far, read when first wanted: a submit reads them itself, under
        its lock, and the check page's submit needs them only to show a refusal."""
        if self._draft is None:
            self._draft = completion.audit_values(self.assignment)
        return self._draft

    @draft.setter
    def draft(self, values: dict[str, Any]) -> None:
        self._draft = values

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
            gettext(
                "This audit has been submitted and is locked. Ask the business unit or the "
                "scrutineer to reopen it if something must change."
            ),
        )
        return redirect("audit-detail", self.assignment.pk)

    # -- what the draft wizard asks of a channel ----------------------------------------------

    def closed_page(self) -> HttpResponse | None:
        return self._to_detail() if self._submitted() else None

    def draft_step(self) -> str:
        return self.assignment.current_step

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The revision the page was drawn with: a save or a submit made since is refused.
        self.page_revision = _revision(request.POST)
        return super().post(request, *args, **kwargs)

    def save_page(self, resume: str) -> None:
        completion.audit_save_page(
            assignment=self.assignment,
            revision=self.page_revision,
            step=resume,
            values=self.draft,
            user=self.request.user,
            compiled=self.compiled,
        )

    def page_refused(self, form: QuestionnairePage, exc: ApplicationError) -> HttpResponse:
        stale = isinstance(exc, completion.StaleRevision)
        self.refusal_onto(form, exc, at_the_top=stale)
        return self.render(form, stale=stale)

    def saved_for_later(self) -> HttpResponse:
        messages.success(
            self.request,
            gettext(
                "Your answers are saved. Come back to this audit at any time from Your audits: "
                "it opens at the page you were on."
            ),
        )
        return redirect("audit-mine")

    def submit(self) -> None:
        completion.audit_submit(
            assignment=self.assignment,
            revision=self.page_revision,
            user=self.request.user,
            compiled=self.compiled,
        )

    def submit_refused(self, exc: ApplicationError) -> HttpResponse:
        if isinstance(exc, completion.StaleRevision):
            return self.render_check(message=exc.message, stale=True)
        return super().submit_refused(exc)

    def submitted(self) -> HttpResponse:
        messages.success(
            self.request,
            gettext(
                "Your audit is submitted. It is now locked; if something must change, ask the "
                "business unit or the scrutineer to reopen it."
            ),
        )
        return redirect("audit-detail", self.assignment.pk)

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

    def check_context(self) -> dict[str, Any]:
        return {**self._common_context(), "stale": False, "reload_url": self.step_url(CHECK)}


audit_complete = AuditWizard.as_view()
