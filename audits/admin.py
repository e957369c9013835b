"""Audits in the admin: for looking and for repair. Samples are drawn, audits completed and
moderated on the platform's pages, so that every change goes through the services and the trail."""

from django.contrib import admin
from django.http import HttpRequest

from audits.models import Assignment, AuditEvent, CaseFile, ImmediateConcern, Moderation, Sample
from scrutiny.admin import ReadOnlyAdmin


@admin.register(Sample)
class SampleAdmin(ReadOnlyAdmin):
    list_display = ["scrutiny", "by", "per", "seed", "population", "drawn_at", "drawn_by"]
    list_filter = ["scrutiny"]
    search_fields = ["scrutiny__slug", "file_name", "file_sha256"]
    list_select_related = ["scrutiny", "drawn_by"]


@admin.register(CaseFile)
class CaseFileAdmin(ReadOnlyAdmin):
    list_display = ["case_ref", "group", "area", "sample"]
    list_filter = ["sample__scrutiny", "area"]
    search_fields = ["case_ref", "group"]
    list_select_related = ["sample__scrutiny", "area"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["case", "agency", "role", "auditor", "due", "revision"]
    list_filter = ["role", "agency", "case__sample__scrutiny"]
    search_fields = ["case__case_ref", "auditor__email", "agency__code"]
    list_select_related = ["case", "agency", "auditor"]
    readonly_fields = ["case", "response", "revision", "current_step", "notified_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Moderation)
class ModerationAdmin(ReadOnlyAdmin):
    list_display = ["case", "moderated_by", "moderated_at"]
    list_filter = ["case__sample__scrutiny"]
    search_fields = ["case__case_ref"]
    list_select_related = ["case", "moderated_by"]


@admin.register(ImmediateConcern)
class ImmediateConcernAdmin(ReadOnlyAdmin):
    list_display = ["case", "raised_by", "raised_at", "lead_notified_at", "acknowledged_at"]
    list_filter = ["raised_at"]
    search_fields = ["case__case_ref", "raised_by__email"]
    list_select_related = ["case", "raised_by"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "user", "case", "assignment", "scrutiny"]
    list_filter = ["action", "scrutiny"]
    search_fields = ["case__case_ref", "user__email", "detail"]
    list_select_related = ["user", "case", "assignment", "scrutiny"]
