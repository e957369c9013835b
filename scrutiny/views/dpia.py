"""The DPIA starter's page: a summary of the record of processing and the DPIA draft, and the
document itself as a workbook or a PDF. For the business unit only (docs/dpia.md)."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import never_cache

from scrutiny import permissions
from scrutiny.dpia import RENDERERS, dpia_document
from scrutiny.models import Partnership

# The sections shown on the page; the downloads hold them all.
SUMMARY = ("collected", "retention", "access")


def _partnership(request: HttpRequest) -> Partnership:
    if not permissions.can_read_dpia(request.user):
        raise PermissionDenied(
            gettext("Only the partnership's business unit can write the DPIA draft.")
        )
    partnership = permissions.partnership_of(request.user)
    if partnership is None:
        raise PermissionDenied(gettext("This account belongs to no partnership."))
    return partnership


@login_required
@never_cache
def dpia(request: HttpRequest) -> HttpResponse:
    language = "cy" if (get_language() or "").startswith("cy") else "en"
    document = dpia_document(partnership=_partnership(request), language=language)
    return render(
        request,
        "scrutiny/dpia.html",
        {"document": document, "summary": [document.section(key) for key in SUMMARY]},
    )


@login_required
@never_cache
def dpia_download(request: HttpRequest, fmt: str) -> HttpResponse:
    partnership = _partnership(request)
    if fmt not in RENDERERS:
        raise Http404(gettext("The DPIA draft comes as a workbook (.xlsx) or a PDF."))
    render_document, content_type = RENDERERS[fmt]
    buffer = io.BytesIO()
    # In the reader's language: Welsh if they read the page in Welsh, else English.
    language = "cy" if (get_language() or "").startswith("cy") else "en"
    render_document(dpia_document(partnership=partnership, language=language), out=buffer)
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="dpia-{partnership.slug}.{fmt}"'
    return response
