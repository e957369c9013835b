"""Audits in the admin: the audits' own trail, to read. Samples, case files, assignments,
moderation and immediate concerns are case data: they are not in the admin at all, but on the
platform's pages, where every change goes through the services and every view is in the trail
(scrutiny/admin.py says who may see what here)."""

from django.contrib import admin

from audits.models import AuditEvent
from scrutiny.admin import TrailAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(TrailAdmin):
    """The business unit's own partnership's audit events; nobody, the operator included,
    adds, changes or deletes one."""

    partnership_field = "scrutiny__partnership"
    list_display = ["at", "action", "user", "case", "assignment", "scrutiny"]
    list_filter = ["action"]
    search_fields = ["case__case_ref", "user__email", "detail"]
    list_select_related = ["user", "case", "assignment", "scrutiny"]
