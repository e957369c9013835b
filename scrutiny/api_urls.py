from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token

from scrutiny.apis import core as apis
from scrutiny.apis import scrutinies

urlpatterns = [
    path("", apis.ApiRootApi.as_view(), name="api-root"),
    path("token/", obtain_auth_token, name="api-token"),
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
]
