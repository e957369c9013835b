"""The business unit's page for a person's data: what the partnership holds about an email
address, its downloads (JSON, workbook), and its erasure after a confirmation step.

The address travels in POSTs only, never in an address bar or a server log.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from scrutiny import permissions
from scrutiny.errors import ApplicationError
from scrutiny.models import Partnership, User
from scrutiny.people_data import as_json, as_xlsx, erase, subject_access
from scrutiny.trail import trail_record

ACTIONS = ("find", "json", "xlsx", "erase", "erase-confirmed")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PersonForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        help_text=gettext_lazy(
            "The address of the person who asked, e.g. someone invited to a survey."
        ),
        error_messages={
            "required": gettext_lazy("Enter an email address, like name@example.org"),
            "invalid": gettext_lazy(
                "Enter an email address in the correct format, like name@example.org"
            ),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


def _partnership(request: HttpRequest) -> tuple[Partnership, User]:
    user = request.user
    if not permissions.can_manage_people_data(user):
        raise PermissionDenied(
            gettext("Only the partnership's business unit can answer these requests.")
        )
    partnership = permissions.partnership_of(user)
    if partnership is None or not isinstance(user, User):
        raise PermissionDenied(gettext("This account belongs to no partnership."))
    return partnership, user


def _download(partnership: Partnership, user: User, email: str, kind: str) -> HttpResponse:
    data = subject_access(partnership=partnership, email=email)
    body, content_type = (
        (as_xlsx(data), XLSX) if kind == "xlsx" else (as_json(data), "application/json")
    )
    # Recorded once the file is built: a download that failed gave nobody the data.
    trail_record(
        action="subject_access",
        user=user,
        partnership=partnership,
        detail="A person's data was downloaded for a subject access request.",
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="personal-data.{kind}"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def people_data(request: HttpRequest) -> HttpResponse:
    partnership, user = _partnership(request)
    action = request.POST.get("action", "find")
    form = PersonForm(request.POST if request.method == "POST" else None)
    context: dict[str, object] = {"form": form}
    if request.method != "POST" or action not in ACTIONS or not form.is_valid():
        return render(request, "scrutiny/people_data.html", context)
    email = form.cleaned_data["email"]
    if action in ("json", "xlsx"):
        return _download(partnership, user, email, action)
    if action == "erase-confirmed":
        try:
            context["erasure"] = erase(partnership=partnership, email=email, user=user)
        except ApplicationError as exc:
            context["error"] = str(exc)
        return render(request, "scrutiny/people_data_erased.html", context)
    context["data"] = subject_access(partnership=partnership, email=email)
    template = "people_data_confirm" if action == "erase" else "people_data"
    return render(request, f"scrutiny/{template}.html", context)
