from django.urls import path

from scrutiny.apis import core as apis
from scrutiny.apis import plan, scrutinies, workspace

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
