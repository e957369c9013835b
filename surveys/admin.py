"""Surveys in the admin: for looking and for repair. Surveys are set up and answered on the
platform's pages, so that every change goes through the services. Token and resume-key hashes
are not shown."""

from django.contrib import admin

from scrutiny.admin import ReadOnlyAdmin
from surveys.models import Invitation, OpenDraft, Survey


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ["title", "scrutiny", "instrument", "opens_at", "closes_at", "anonymous"]
    list_filter = ["anonymous", "open_link_enabled", "scrutiny"]
    search_fields = ["title", "scrutiny__slug", "instrument__code"]
    list_select_related = ["scrutiny", "instrument"]
    exclude = ["public_key"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "survey", "agency", "role", "sent_at", "started_at", "answered"]
    list_filter = ["survey__scrutiny", "agency"]
    search_fields = ["email", "survey__title", "agency__code"]
    list_select_related = ["survey", "agency", "role"]
    exclude = ["token_sha256", "draft_values"]


@admin.register(OpenDraft)
class OpenDraftAdmin(ReadOnlyAdmin):
    list_display = ["pk", "survey", "agency", "role", "started_at", "answered"]
    list_filter = ["survey__scrutiny", "agency"]
    search_fields = ["survey__title", "agency__code"]
    list_select_related = ["survey", "agency", "role"]
    exclude = ["key_sha256", "draft_values"]
