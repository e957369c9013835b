"""The surveys API's addresses (included under /api/ by config/urls.py)."""

from django.urls import path

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
]
