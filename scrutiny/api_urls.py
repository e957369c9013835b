from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token

from scrutiny.apis import core as apis

urlpatterns = [
    path("", apis.ApiRootApi.as_view(), name="api-root"),
    path("token/", obtain_auth_token, name="api-token"),
    path("me/", apis.MeApi.as_view(), name="api-me"),
    path("agencies/", apis.AgencyListApi.as_view(), name="api-agency-list"),
    path("agencies/<int:agency_id>/", apis.AgencyDetailApi.as_view(), name="api-agency-detail"),
    path("areas/", apis.AreaListApi.as_view(), name="api-area-list"),
    path("jobs/<int:job_id>/", apis.JobDetailApi.as_view(), name="api-job-detail"),
]
