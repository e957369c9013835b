"""The audits API's addresses (under /api/), one an operation: the sample, the audits and their
assignment, the overview, agreement and moderation of a scrutiny's audits."""

from django.urls import URLPattern, path

from audits.apis import completion, moderation, samples

audits = "scrutinies/<slug:slug>/audits/"

urlpatterns: list[URLPattern] = [
    # The sample
    path(
        "scrutinies/<slug:slug>/sample/",
        samples.SampleDetailApi.as_view(),
        name="api-audit-sample",
    ),
    path(
        "scrutinies/<slug:slug>/sample/draw/",
        samples.SampleDrawApi.as_view(),
        name="api-audit-sample-draw",
    ),
    # Completing audits, concerns, assigning
    path("audits/", completion.AuditListApi.as_view(), name="api-audit-list"),
    path(
        "audits/<int:assignment_id>/",
        completion.AuditDetailApi.as_view(),
        name="api-audit-detail",
    ),
    path(
        "audits/<int:assignment_id>/draft/",
        completion.AuditDraftApi.as_view(),
        name="api-audit-draft",
    ),
    path(
        "audits/<int:assignment_id>/submit/",
        completion.AuditSubmitApi.as_view(),
        name="api-audit-submit",
    ),
    path(
        "audits/<int:assignment_id>/reopen/",
        completion.AuditReopenApi.as_view(),
        name="api-audit-reopen",
    ),
    path(
        "audits/<int:assignment_id>/concern/",
        completion.AuditConcernApi.as_view(),
        name="api-audit-concern",
    ),
    path(
        "scrutinies/<slug:slug>/assignments/",
        completion.AssignmentCreateApi.as_view(),
        name="api-assignment-create",
    ),
    # Progress, agreement, moderation
    path(f"{audits}progress/", moderation.AuditProgressApi.as_view(), name="api-audit-progress"),
    path(f"{audits}agreement/", moderation.AuditAgreementApi.as_view(), name="api-audit-agreement"),
    path(
        f"{audits}cases/<int:case_id>/moderation/",
        moderation.AuditModerationApi.as_view(),
        name="api-audit-moderation",
    ),
]
