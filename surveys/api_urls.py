"""The surveys API's addresses (included under /api/ by config/urls.py)."""

from django.urls import path

from surveys import apis_manage
from surveys.apis import (
    DistributionListApi,
    InvitationResponseSubmitApi,
    OpenResponseSubmitApi,
    ResponseRatesApi,
)

urlpatterns = [
    path(
        "surveys/open/<str:public_key>/responses/",
        OpenResponseSubmitApi.as_view(),
        name="api-survey-open-submit",
    ),
    path(
        "surveys/invitations/response/",
        InvitationResponseSubmitApi.as_view(),
        name="api-survey-invitation-submit",
    ),
    path(
        "scrutinies/<slug:slug>/instruments/<str:code>/response-rates/",
        ResponseRatesApi.as_view(),
        name="api-survey-response-rates",
    ),
    path(
        "scrutinies/<slug:slug>/instruments/<str:code>/distributions/",
        DistributionListApi.as_view(),
        name="api-instrument-distributions",
    ),
    path(
        "scrutinies/<slug:slug>/surveys/",
        apis_manage.SurveyListApi.as_view(),
        name="api-survey-list",
    ),
    path(
        "scrutinies/<slug:slug>/surveys/<int:survey_id>/",
        apis_manage.SurveyDetailApi.as_view(),
        name="api-survey-detail",
    ),
    path(
        "scrutinies/<slug:slug>/surveys/<int:survey_id>/invitations/",
        apis_manage.InvitationListApi.as_view(),
        name="api-survey-invitations",
    ),
    path(
        "scrutinies/<slug:slug>/surveys/<int:survey_id>/reminders/",
        apis_manage.RemindersSendApi.as_view(),
        name="api-survey-reminders",
    ),
]
