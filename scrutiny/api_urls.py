from django.urls import path

from scrutiny.apis import core as apis
from scrutiny.apis import (
    event,
    evidence,
    instruments,
    partnership,
    plan,
    responses,
    scrutinies,
    workspace,
)

urlpatterns = [
    path("", apis.ApiRootApi.as_view(), name="api-root"),
    path("token/", apis.TokenApi.as_view(), name="api-token"),
    path("token/revoke/", apis.TokenRevokeApi.as_view(), name="api-token-revoke"),
    path("me/", apis.MeApi.as_view(), name="api-me"),
    path("agencies/", apis.AgencyListApi.as_view(), name="api-agency-list"),
    path("agencies/<int:agency_id>/", apis.AgencyDetailApi.as_view(), name="api-agency-detail"),
    path("areas/", apis.AreaListApi.as_view(), name="api-area-list"),
    path("jobs/<int:job_id>/", apis.JobDetailApi.as_view(), name="api-job-detail"),
    path("scrutinies/", scrutinies.ScrutinyListApi.as_view(), name="api-scrutiny-list"),
    path(
        "scrutinies/<slug:slug>/",
        scrutinies.ScrutinyDetailApi.as_view(),
        name="api-scrutiny-detail",
    ),
    path(
        "scrutinies/<slug:slug>/factors/",
        scrutinies.ScrutinyFactorListApi.as_view(),
        name="api-scrutiny-factors",
    ),
    path(
        "scrutinies/<slug:slug>/instruments/",
        scrutinies.ScrutinyInstrumentListApi.as_view(),
        name="api-scrutiny-instruments",
    ),
    path(
        "scrutinies/<slug:slug>/instruments/<str:code>/",
        scrutinies.ScrutinyInstrumentDetailApi.as_view(),
        name="api-scrutiny-instrument-detail",
    ),
    path(
        "scrutinies/<slug:slug>/scores/",
        scrutinies.ScrutinyScoresApi.as_view(),
        name="api-scrutiny-scores",
    ),
    path(
        "scrutinies/<slug:slug>/scorecard/",
        workspace.ScorecardApi.as_view(),
        name="api-workspace-scorecard",
    ),
    path(
        "scrutinies/<slug:slug>/findings/",
        workspace.FindingListApi.as_view(),
        name="api-workspace-findings",
    ),
    path(
        "scrutinies/<slug:slug>/findings/sign-off/",
        workspace.FindingsSignOffApi.as_view(),
        name="api-workspace-sign-off",
    ),
    path(
        "scrutinies/<slug:slug>/findings/<str:code>/",
        workspace.FindingUpdateApi.as_view(),
        name="api-workspace-finding",
    ),
    path(
        "scrutinies/<slug:slug>/factors/<str:code>/evidence/",
        workspace.FactorEvidenceApi.as_view(),
        name="api-workspace-evidence",
    ),
    path(
        "scrutinies/<slug:slug>/packs/",
        workspace.PackBuildApi.as_view(),
        name="api-workspace-packs",
    ),
    path(
        "scrutinies/<slug:slug>/packs/<int:pack_id>/",
        workspace.PackDetailApi.as_view(),
        name="api-workspace-pack",
    ),
    path(
        "scrutinies/<slug:slug>/packs/<int:pack_id>/<str:kind>/",
        workspace.PackDownloadApi.as_view(),
        name="api-workspace-pack-download",
    ),
    path(
        "scrutinies/<slug:slug>/instrument-imports/",
        instruments.InstrumentImportApi.as_view(),
        name="api-instrument-import",
    ),
    path(
        "scrutinies/<slug:slug>/instruments/<str:code>/versions/",
        instruments.InstrumentVersionListApi.as_view(),
        name="api-instrument-versions",
    ),
    path(
        "scrutinies/<slug:slug>/instruments/<str:code>/responses/",
        responses.ResponseListApi.as_view(),
        name="api-instrument-responses",
    ),
    path(
        "scrutinies/<slug:slug>/instruments/<str:code>/responses/<int:number>/",
        responses.ResponseDetailApi.as_view(),
        name="api-instrument-response",
    ),
    path(
        "scrutinies/<slug:slug>/factors/<str:code>/quotes/",
        evidence.QuoteListApi.as_view(),
        name="api-factor-quotes",
    ),
    path(
        "scrutinies/<slug:slug>/factors/<str:code>/quotes/<int:quote_id>/",
        evidence.QuoteDeleteApi.as_view(),
        name="api-factor-quote",
    ),
    path(
        "scrutinies/<slug:slug>/factors/<str:code>/notes/",
        evidence.NoteListApi.as_view(),
        name="api-factor-notes",
    ),
    path(
        "scrutinies/<slug:slug>/comparison/",
        event.ComparisonApi.as_view(),
        name="api-scrutiny-comparison",
    ),
    path(
        "scrutinies/<slug:slug>/event/",
        event.EventSettingsApi.as_view(),
        name="api-scrutiny-event",
    ),
    path("partnership/", partnership.PartnershipApi.as_view(), name="api-partnership"),
    path(
        "partnership/redaction-terms/",
        partnership.RedactionTermsApi.as_view(),
        name="api-partnership-redaction-terms",
    ),
    path("plan/", plan.PlanApi.as_view(), name="api-plan"),
    path("actions/", plan.ActionListApi.as_view(), name="api-action-list"),
    path("actions/<int:action_id>/", plan.ActionDetailApi.as_view(), name="api-action-detail"),
    path(
        "actions/<int:action_id>/updates/",
        plan.ActionUpdatesApi.as_view(),
        name="api-action-updates",
    ),
    path(
        "scrutinies/<slug:slug>/actions/draft/",
        plan.ScrutinyActionsDraftApi.as_view(),
        name="api-scrutiny-actions-draft",
    ),
    path(
        "scrutinies/<slug:slug>/actions/carry/",
        plan.ScrutinyActionsCarryApi.as_view(),
        name="api-scrutiny-actions-carry",
    ),
]
