"""The partnership's audit trail: the business unit reads it, filtered by person, object, action
and date, and exports what it filtered (the export is itself recorded, by the trail's
middleware: scrutiny.trail.routes)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from scrutiny import permissions
from scrutiny.forms_trail import TrailFilterForm
from scrutiny.models import TrailEntry, User
from scrutiny.trail import ACTIONS
from scrutiny.trail.exports import trail_csv, trail_xlsx
from scrutiny.trail.selectors import (
    OBJECT_TYPES,
    TrailFilters,
    entry_rows,
    trail_actions,
    trail_entries,
    trail_object_types,
)

PER_PAGE = 50
FORMATS = ("csv", "xlsx")
_NO_FILTERS = TrailFilters()


@login_required
@require_GET
def trail(request: HttpRequest) -> HttpResponseBase:
    if not permissions.can_read_trail(request.user):
        raise PermissionDenied(gettext("Only the business unit can read the audit trail."))
    assert isinstance(request.user, User)  # the business unit
    partnership_id = request.user.partnership_id
    form = TrailFilterForm(
        request.GET or None,
        object_types=trail_object_types(partnership_id=partnership_id),
        actions=trail_actions(partnership_id=partnership_id),
    )
    wanted = request.GET.get("format", "")
    if form.is_bound and not form.is_valid():
        return render(request, "scrutiny/trail.html", {"form": form}, status=400)
    filters = form.filters() if form.is_bound else _NO_FILTERS
    entries = trail_entries(partnership_id=partnership_id, filters=filters)
    if wanted in FORMATS:
        return _export(entries, wanted)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "scrutiny/trail.html",
        {
            "form": form,
            "page": page,
            "rows": [
                {
                    "entry": entry,
                    "action": ACTIONS.get(entry.action, entry.action),
                    "object_type": OBJECT_TYPES.get(entry.object_type, entry.object_type),
                }
                for entry in page
            ],
            "filtered": filters != _NO_FILTERS,
        },
    )


def _export(entries: QuerySet[TrailEntry], wanted: str) -> HttpResponseBase:
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    filename = f"audit-trail-{stamp}.{wanted}"
    if wanted == "csv":
        response = StreamingHttpResponse(
            trail_csv(entry_rows(entries)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(trail_xlsx(entry_rows(entries)), as_attachment=True, filename=filename)
