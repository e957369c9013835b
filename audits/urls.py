"""The audits' pages and their addresses: the sample, assigning auditors, the audit wizard,
reading and reopening audits, immediate concerns, the overview, moderation, agreement and the
trail."""

from django.urls import URLPattern, path

from audits.views import (
    assignments,
    completion,
    concerns,
    moderation,
    reading,
    reopening,
    samples,
)

sample = "scrutinies/<slug:slug>/audits/sample/"
audits = "scrutinies/<slug:slug>/audits/"

urlpatterns: list[URLPattern] = [
    # The sample
    path(sample, samples.sample_detail, name="audit-sample"),
    path(f"{sample}draw/", samples.sample_draw, name="audit-sample-draw"),
    # Completing audits
    path("audits/", reading.audit_mine, name="audit-mine"),
    path("audits/<int:assignment_id>/", reading.audit_detail, name="audit-detail"),
    path("audits/<int:assignment_id>/fill/", completion.audit_complete, name="audit-complete"),
    path(
        "audits/<int:assignment_id>/fill/<str:step>/",
        completion.audit_complete,
        name="audit-complete",
    ),
    path("audits/<int:assignment_id>/reopen/", reopening.audit_reopen, name="audit-reopen"),
    path("audits/<int:assignment_id>/concern/", concerns.audit_concern, name="audit-concern"),
    path(
        "audits/concerns/<int:concern_id>/",
        concerns.audit_concern_detail,
        name="audit-concern-detail",
    ),
    path(f"{audits}assign/", assignments.audit_assign, name="audit-assign"),
    # The overview, moderation, agreement, the trail
    path(audits, moderation.audit_overview, name="audit-overview"),
    path(f"{audits}agreement/", moderation.audit_agreement, name="audit-agreement"),
    path(
        f"{audits}cases/<int:case_id>/moderate/", moderation.audit_moderate, name="audit-moderate"
    ),
    path(f"{audits}cases/<int:case_id>/trail/", moderation.audit_trail, name="audit-trail"),
]
