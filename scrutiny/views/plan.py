"""The action plan's pages. The business unit and the scrutineer write and assign actions; the
board reads the whole plan; an agency's lead sees and updates the actions their agency is
responsible for (scrutiny.permissions decides, here as in the API):

- `plan`: the partnership's business plan, its priorities with how many actions are at each
  BRAG status, and the delivery plan to download (workbook or PDF);
- `plan-priority`: one page per priority, its outcomes and their actions;
- `plan-action`: an action, how its factor moved if it was carried from an earlier scrutiny,
  its history, and the form for an update with evidence attached;
- `scrutiny-actions`: a scrutiny's action plan: draft it from the findings, carry open actions
  from the earlier scrutiny of the theme, and download it.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from scrutiny import permissions
from scrutiny.errors import ApplicationError
from scrutiny.forms_plan import ActionForm, OutcomeForm, PriorityForm, UpdateForm
from scrutiny.models import Action, Brag, Partnership, Scrutiny, User
from scrutiny.packs.plan import render_plan_xlsx
from scrutiny.packs.plan_pdf import render_plan_pdf
from scrutiny.plan.brag import brag_label, key_entries
from scrutiny.plan.redaction import ActionRedactors
from scrutiny.plan.selectors import (
    actions_shown,
    plan_actions,
    plan_rows,
    priority_counts,
    priority_outcomes,
)
from scrutiny.plan.services import (
    action_save,
    actions_carry,
    actions_draft,
    outcome_save,
    priority_save,
)
from scrutiny.plan.updates import action_update
from scrutiny.views.addresses import number_in_address

# Each renders the plan in the active language (the page's).
EXPORTS: dict[str, tuple[Callable[..., None], str]] = {
    "xlsx": (
        render_plan_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "pdf": (render_plan_pdf, "application/pdf"),
}


def _partnership(request: HttpRequest) -> Partnership:
    return permissions.access_plan_partnership(request.user)


@login_required
def plan_overview(request: HttpRequest) -> HttpResponse:
    partnership = _partnership(request)
    visible = permissions.actions_visible_to(request.user).filter(partnership=partnership)
    priorities = priority_counts(
        permissions.priorities_visible_to(request.user).filter(partnership=partnership), visible
    )
    return render(
        request,
        "scrutiny/plan/plan.html",
        {
            "partnership": partnership,
            "priorities": priorities,
            "unplaced": actions_shown(plan_actions(visible.filter(outcome__isnull=True))),
            "key": key_entries(partnership.brag_key),
            "can_plan": permissions.can_plan(request.user),
            "own_agency": permissions.is_agency_lead(request.user),
            "priority_form": PriorityForm(),
        },
    )


@login_required
@require_POST
def plan_priority_new(request: HttpRequest) -> HttpResponse:
    partnership = permissions.access_plan_to_change(request.user)
    form = PriorityForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("title", []):
            messages.error(request, str(error))
        return redirect("plan")
    try:
        priority = priority_save(partnership=partnership, title=form.cleaned_data["title"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("plan")
    messages.success(
        request, gettext("“%(title)s” is a priority of the plan.") % {"title": priority.title}
    )
    return redirect("plan-priority", priority.pk)


@login_required
def plan_priority(request: HttpRequest, priority_id: int) -> HttpResponse:
    partnership = _partnership(request)
    priority = permissions.access_priority_for_user(request.user, priority_id)
    outcomes = priority_outcomes(priority, permissions.actions_visible_to(request.user))
    return render(
        request,
        "scrutiny/plan/priority.html",
        {
            "partnership": partnership,
            "priority": priority,
            "outcomes": outcomes,
            "key": partnership.brag_key,
            "can_plan": permissions.can_plan(request.user),
            "outcome_form": OutcomeForm(),
            "priority_form": PriorityForm(initial={"title": priority.title}),
        },
    )


@login_required
@require_POST
def plan_priority_edit(request: HttpRequest, priority_id: int) -> HttpResponse:
    permissions.access_plan_to_change(request.user)
    priority = permissions.access_priority_for_user(request.user, priority_id)
    partnership = priority.partnership
    form = PriorityForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(str(form.errors["title"][0]))
        priority_save(partnership=partnership, title=form.cleaned_data["title"], priority=priority)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("The priority is renamed."))
    return redirect("plan-priority", priority.pk)


@login_required
@require_POST
def plan_outcome_new(request: HttpRequest, priority_id: int) -> HttpResponse:
    permissions.access_plan_to_change(request.user)
    priority = permissions.access_priority_for_user(request.user, priority_id)
    form = OutcomeForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(str(form.errors["text"][0]))
        outcome_save(priority=priority, text=form.cleaned_data["text"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("The outcome is added."))
    return redirect("plan-priority", priority.pk)


def _action_form_page(
    request: HttpRequest, form: ActionForm, *, title: str, action: Action | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "scrutiny/plan/action_form.html",
        {"form": form, "title": title, "action": action},
        status=status,
    )


@login_required
def plan_action_new(request: HttpRequest) -> HttpResponse:
    partnership = permissions.access_plan_to_change(request.user)
    if request.method != "POST":
        initial = {"outcome": request.GET.get("outcome")} if request.GET.get("outcome") else {}
        form = ActionForm(initial=initial, partnership=partnership)
        return _action_form_page(request, form, title="Add an action", action=None)
    form = ActionForm(request.POST, partnership=partnership)
    if form.is_valid():
        try:
            action = action_save(partnership=partnership, data=form.data_for_save())
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, gettext("The action is added to the plan."))
            return redirect("plan-action", action.pk)
    return _action_form_page(request, form, title="Add an action", action=None, status=400)


@login_required
def plan_action_edit(request: HttpRequest, action_id: int) -> HttpResponse:
    action = permissions.access_action_to_edit(request.user, action_id)
    partnership = action.partnership
    title = "Change the action"
    if request.method != "POST":
        form = ActionForm(initial=ActionForm.initial_for(action), partnership=partnership)
        return _action_form_page(request, form, title=title, action=action)
    form = ActionForm(request.POST, partnership=partnership)
    if form.is_valid():
        try:
            action_save(partnership=partnership, data=form.data_for_save(), action=action)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, gettext("The action is saved."))
            return redirect("plan-action", action.pk)
    return _action_form_page(request, form, title=title, action=action, status=400)


def _action_page(
    request: HttpRequest, action: Action, form: UpdateForm | None = None, status: int = 200
) -> HttpResponse:
    action = plan_actions(Action.objects.filter(pk=action.pk)).get()
    can_update = permissions.can_update_action(request.user, action)
    if can_update and form is None:
        form = UpdateForm(action=action, user=request.user)
    return render(
        request,
        "scrutiny/plan/action.html",
        {
            "action": action,
            "entry": actions_shown([action])[0],
            "form": form if can_update else None,
            "can_edit": permissions.can_plan(request.user),
        },
        status=status,
    )


@login_required
def plan_action(request: HttpRequest, action_id: int) -> HttpResponse:
    return _action_page(request, permissions.access_action_for_user(request.user, action_id))


@login_required
@require_POST
def plan_action_update(request: HttpRequest, action_id: int) -> HttpResponse:
    action = permissions.access_action_to_update(request.user, action_id)
    form = UpdateForm(request.POST, request.FILES, action=action, user=request.user)
    if form.is_valid():
        assert isinstance(request.user, User)  # one who may update the action
        try:
            update = action_update(
                action=action,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                user=request.user,
                attached=form.attached(),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            label = brag_label(update.status, action.partnership.brag_key)
            messages.success(
                request, gettext("The update is saved: the action is %(label)s.") % {"label": label}
            )
            return redirect("plan-action", action.pk)
    if request.FILES:
        form.add_error(
            None, "Choose the document again: a file is not kept when an update is refused."
        )
    return _action_page(request, action, form, status=400)


@login_required
def plan_document(request: HttpRequest, update_id: int) -> FileResponse:
    update = permissions.access_update_document_for_user(request.user, update_id)
    if not update.document:
        raise Http404("No document is attached to this update.")
    name = update.document_name or update.document.name.rsplit("/", 1)[-1]
    return FileResponse(
        update.document.open("rb"),
        as_attachment=True,
        filename=ActionRedactors().redact(update.action, name),  # as the page shows it
    )


def _export(
    actions: QuerySet[Action], *, title: str, key: dict[str, str], fmt: str
) -> HttpResponse:
    if fmt not in EXPORTS:
        raise Http404("The plan comes as a workbook (.xlsx) or a PDF.")
    render_plan, content_type = EXPORTS[fmt]
    buffer = io.BytesIO()
    render_plan(plan_rows(actions), title=title, key=key, out=buffer)
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="delivery-plan-{slugify(title) or "partnership"}.{fmt}"'
    )
    return response


@login_required
def plan_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The business plan (a priority's, with ?priority=) as the partnership publishes it."""
    partnership = _partnership(request)
    actions = permissions.actions_visible_to(request.user).filter(partnership=partnership)
    title = partnership.name
    if request.GET.get("priority"):
        priority_id = number_in_address(request.GET["priority"], unknown="No such priority.")
        priority = permissions.access_priority_for_user(request.user, priority_id)
        actions = actions.filter(outcome__priority=priority)
        title = f"{partnership.name}, {priority.title}"
    return _export(actions, title=title, key=partnership.brag_key, fmt=fmt)


# A scrutiny's action plan ---------------------------------------------------------------------


def _scrutiny_actions(scrutiny: Scrutiny) -> QuerySet[Action]:
    return Action.objects.filter(scrutiny=scrutiny).order_by("factor__code", "pk")


@login_required
def scrutiny_actions(request: HttpRequest, slug: str) -> HttpResponse:
    scrutiny = permissions.access_scrutiny_for_user(request.user, slug)
    previous_open = (
        Action.objects.filter(scrutiny=scrutiny.previous).exclude(status=Brag.BLUE).count()
        if scrutiny.previous_id
        else 0
    )
    return render(
        request,
        "scrutiny/plan/scrutiny_actions.html",
        {
            "scrutiny": scrutiny,
            "entries": actions_shown(plan_actions(_scrutiny_actions(scrutiny))),
            "signed_off": scrutiny.findings.filter(signed_off_at__isnull=False).exists(),
            "previous_open": previous_open,
            "can_plan": permissions.can_plan(request.user),
        },
    )


@login_required
@require_POST
def scrutiny_actions_draft(request: HttpRequest, slug: str) -> HttpResponse:
    scrutiny = permissions.access_scrutiny_to_configure(request.user, slug)
    try:
        drafted = actions_draft(scrutiny=scrutiny)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        codes = ", ".join(a.factor.code for a in drafted if a.factor)
        n = len(drafted)
        messages.success(
            request,
            ngettext("Drafted %(n)s action: %(codes)s.", "Drafted %(n)s actions: %(codes)s.", n)
            % {"n": n, "codes": codes}
            if drafted
            else gettext(
                "Drafted 0 actions. Every finding not rated strong has its action already."
            ),
        )
    return redirect("scrutiny-actions", scrutiny.slug)


@login_required
@require_POST
def scrutiny_actions_carry(request: HttpRequest, slug: str) -> HttpResponse:
    scrutiny = permissions.access_scrutiny_to_configure(request.user, slug)
    try:
        carried = actions_carry(scrutiny=scrutiny)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        previous = scrutiny.previous
        n = len(carried)
        done = (
            ngettext(
                "Carried %(n)s open action from %(title)s.",
                "Carried %(n)s open actions from %(title)s.",
                n,
            )
            if previous
            else ngettext(
                "Carried %(n)s open action from the earlier scrutiny.",
                "Carried %(n)s open actions from the earlier scrutiny.",
                n,
            )
        )
        messages.success(request, done % {"n": n, "title": previous.title if previous else ""})
    return redirect("scrutiny-actions", scrutiny.slug)


@login_required
def scrutiny_actions_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    scrutiny = permissions.access_scrutiny_for_user(request.user, slug)
    return _export(
        _scrutiny_actions(scrutiny),
        title=scrutiny.title,
        key=scrutiny.partnership.brag_key,
        fmt=fmt,
    )
