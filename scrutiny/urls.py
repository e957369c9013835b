from django.urls import path

from scrutiny.views import core as views

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("partnership/", views.partnership_edit, name="partnership-edit"),
    path("agencies/", views.agency_list, name="agency-list"),
    path("agencies/<int:agency_id>/", views.agency_detail, name="agency-detail"),
    path("health/", views.health, name="health"),
    path("jobs/selfcheck/", views.selfcheck_start, name="selfcheck-start"),
    path("jobs/<int:job_id>/", views.job_detail, name="job-detail"),
]
