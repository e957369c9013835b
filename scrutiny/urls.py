from django.urls import path

from scrutiny.views import core as views
from scrutiny.views import disclosures as disclosure_views
from scrutiny.views import dpia as dpia_views
from scrutiny.views import instrument_builder as builder
from scrutiny.views import library, plan, plan_import, published, scrutinies, workspace
from scrutiny.views import people_data as people_data_views
from scrutiny.views import responses_export as export_views
from scrutiny.views import trail as trail_views
from scrutiny.views import young_scrutineers as young

instrument = "scrutinies/<slug:slug>/instruments/<int:instrument_id>/"
space = "scrutinies/<slug:slug>/workspace/"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path(
        "p/<slug:partnership_slug>/accessibility/",
        views.partnership_accessibility,
        name="partnership-accessibility",
    ),
    path(
        "p/<slug:partnership_slug>/privacy/", views.partnership_privacy, name="partnership-privacy"
    ),
    path("partnership/", views.partnership_edit, name="partnership-edit"),
    path("disclosures/", disclosure_views.disclosure_list, name="disclosure-list"),
    path(
        "disclosures/<int:answer_id>/review/",
        disclosure_views.disclosure_review_record,
        name="disclosure-review",
    ),
    path("people-data/", people_data_views.people_data, name="people-data"),
    path("agencies/", views.agency_list, name="agency-list"),
    path("agencies/<int:agency_id>/", views.agency_detail, name="agency-detail"),
    path("dpia/", dpia_views.dpia, name="dpia"),
    # The document in either format: fixed addresses, nothing of a partnership's in them.
    path("dpia/dpia.xlsx", dpia_views.dpia_download, {"fmt": "xlsx"}, name="dpia-download"),
    path("dpia/dpia.pdf", dpia_views.dpia_download, {"fmt": "pdf"}, name="dpia-download"),
    path("trail/", trail_views.trail, name="trail"),
    path("published/", published.published_list, name="published-list"),
    path("published/<slug:slug>/", published.published_detail, name="published-detail"),
    path("published/<slug:slug>/pack/", published.published_pack, name="published-pack"),
    path(
        "published/<slug:slug>/event-pack.pdf",
        published.published_pack_pdf,
        name="published-pack-pdf",
    ),
    # Young scrutineers (scrutiny.views.young_scrutineers).
    path("young-scrutineers/", young.young_home, name="young-home"),
    path(
        "young-scrutineers/feedback/", young.young_feedback_results, name="young-feedback-results"
    ),
    path("young-scrutineers/scrutinies/<slug:slug>/", young.young_scrutiny, name="young-scrutiny"),
    path(
        "young-scrutineers/scrutinies/<slug:slug>/observation/",
        young.young_observation,
        name="young-observation",
    ),
    path(
        "young-scrutineers/scrutinies/<slug:slug>/feedback/",
        young.young_feedback,
        name="young-feedback",
    ),
    path(
        "young-scrutineers/scrutinies/<slug:slug>/summary/",
        young.young_summary,
        name="young-summary",
    ),
    path("health/", views.health, name="health"),
    path("jobs/selfcheck/", views.selfcheck_start, name="selfcheck-start"),
    path("jobs/<int:job_id>/", views.job_detail, name="job-detail"),
    path("jobs/<int:job_id>/start-again/", views.job_restart, name="job-restart"),
    # Scrutinies: set up, instruments, builder, preview, workbooks.
    path("scrutinies/", scrutinies.scrutiny_list, name="scrutiny-list"),
    path("scrutinies/new/", scrutinies.scrutiny_new, name="scrutiny-new"),
    path("scrutinies/import/", scrutinies.scrutiny_import, name="scrutiny-import"),
    path("scrutinies/<slug:slug>/", scrutinies.scrutiny_detail, name="scrutiny-detail"),
    path("scrutinies/<slug:slug>/settings/", scrutinies.scrutiny_edit, name="scrutiny-edit"),
    path("scrutinies/<slug:slug>/library/", library.template_library, name="template-library"),
    path(
        "scrutinies/<slug:slug>/library/<slug:template>.xlsx",
        library.template_workbook,
        name="template-workbook",
    ),
    path(
        "scrutinies/<slug:slug>/instruments/new/",
        scrutinies.instrument_new,
        name="instrument-new",
    ),
    path(
        "scrutinies/<slug:slug>/instruments/import/",
        scrutinies.instrument_import,
        name="instrument-import",
    ),
    path(instrument, scrutinies.instrument_detail, name="instrument-detail"),
    path(f"{instrument}settings/", builder.instrument_settings, name="instrument-settings"),
    path(f"{instrument}questions/", builder.question_edit, name="instrument-question"),
    path(
        f"{instrument}questions/remove/",
        builder.question_delete,
        name="instrument-question-remove",
    ),
    path(f"{instrument}questions/move/", builder.question_move, name="instrument-question-move"),
    path(f"{instrument}lists/", builder.option_list_edit, name="instrument-list"),
    path(
        f"{instrument}lists/remove/",
        builder.option_list_delete,
        name="instrument-list-remove",
    ),
    path(f"{instrument}workbook/", scrutinies.instrument_workbook, name="instrument-workbook"),
    path(
        f"{instrument}responses/import/",
        scrutinies.responses_import,
        name="instrument-responses-import",
    ),
    path(
        f"{instrument}responses/export/",
        export_views.responses_export,
        name="instrument-responses-export",
    ),
    path(
        f"{instrument}responses/export/<int:job_id>/",
        export_views.responses_export_download,
        name="instrument-responses-export-download",
    ),
    path(f"{instrument}preview/", scrutinies.instrument_preview, name="instrument-preview"),
    path(f"{instrument}copy/", library.instrument_copy_page, name="instrument-copy"),
    # The scrutineer's workspace: scorecard, evidence, findings, event packs.
    path(space, workspace.workspace, name="workspace"),
    path(f"{space}compare/", workspace.workspace_compare, name="workspace-compare"),
    path(f"{space}settings/", workspace.workspace_settings, name="workspace-settings"),
    path(f"{space}sign-off/", workspace.workspace_sign_off, name="workspace-sign-off"),
    path(f"{space}packs/", workspace.workspace_pack_build, name="workspace-pack-build"),
    path(
        f"{space}packs/<int:pack_id>/<str:kind>/",
        workspace.workspace_pack_download,
        name="workspace-pack-download",
    ),
    path(f"{space}factors/<str:code>/", workspace.workspace_factor, name="workspace-factor"),
    path(
        f"{space}factors/<str:code>/finding/",
        workspace.workspace_finding,
        name="workspace-finding",
    ),
    path(f"{space}factors/<str:code>/quotes/", workspace.workspace_quote, name="workspace-quote"),
    path(
        f"{space}factors/<str:code>/quotes/<int:quote_id>/remove/",
        workspace.workspace_quote_remove,
        name="workspace-quote-remove",
    ),
    path(f"{space}factors/<str:code>/notes/", workspace.workspace_note, name="workspace-note"),
    # A scrutiny's action plan, and the partnership's delivery plan that it rolls up into.
    path("scrutinies/<slug:slug>/actions/", plan.scrutiny_actions, name="scrutiny-actions"),
    path(
        "scrutinies/<slug:slug>/actions/draft/",
        plan.scrutiny_actions_draft,
        name="scrutiny-actions-draft",
    ),
    path(
        "scrutinies/<slug:slug>/actions/carry/",
        plan.scrutiny_actions_carry,
        name="scrutiny-actions-carry",
    ),
    path(
        "scrutinies/<slug:slug>/actions/delivery-plan.<str:fmt>",
        plan.scrutiny_actions_export,
        name="scrutiny-actions-export",
    ),
    path("plan/", plan.plan_overview, name="plan"),
    path("plan/delivery-plan.<str:fmt>", plan.plan_export, name="plan-export"),
    path("plan/import/", plan_import.plan_import_page, name="plan-import"),
    path("plan/priorities/new/", plan.plan_priority_new, name="plan-priority-new"),
    path("plan/priorities/<int:priority_id>/", plan.plan_priority, name="plan-priority"),
    path(
        "plan/priorities/<int:priority_id>/rename/",
        plan.plan_priority_edit,
        name="plan-priority-edit",
    ),
    path(
        "plan/priorities/<int:priority_id>/outcomes/",
        plan.plan_outcome_new,
        name="plan-outcome-new",
    ),
    path("plan/actions/new/", plan.plan_action_new, name="plan-action-new"),
    path("plan/actions/<int:action_id>/", plan.plan_action, name="plan-action"),
    path("plan/actions/<int:action_id>/edit/", plan.plan_action_edit, name="plan-action-edit"),
    path(
        "plan/actions/<int:action_id>/updates/",
        plan.plan_action_update,
        name="plan-action-update",
    ),
    path("plan/updates/<int:update_id>/document/", plan.plan_document, name="plan-document"),
]
