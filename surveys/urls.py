"""The surveys' pages: the business unit's (setting up, inviting, response rates), the
respondents' by link (no account), and those answered signed in. The API's addresses are in
surveys/api_urls.py."""

from django.urls import path

from surveys.views import manage, respond, signed_in

urlpatterns = [
    # The business unit's pages (surveys/views/manage.py)
    path("scrutinies/<slug:slug>/surveys/", manage.survey_list, name="survey-list"),
    path("scrutinies/<slug:slug>/surveys/new/", manage.survey_new, name="survey-new"),
    path(
        "scrutinies/<slug:slug>/surveys/<int:survey_id>/",
        manage.survey_detail,
        name="survey-detail",
    ),
    path(
        "scrutinies/<slug:slug>/surveys/rates/<str:code>/",
        manage.survey_rates,
        name="survey-rates",
    ),
    path(
        "scrutinies/<slug:slug>/surveys/<int:survey_id>/invite/",
        manage.survey_invite,
        name="survey-invite",
    ),
    # Respondents' pages by link (surveys/views/respond.py)
    path("i/<str:token>/", respond.invitation_start, name="survey-invitation"),
    # An older page of the same link (a bookmark, a reminder of an earlier version): exchanged
    # the same way.
    path("i/<str:token>/<path:rest>", respond.invitation_start),
    path("invited/<int:survey_id>/", respond.invited_start, name="survey-invited"),
    path("invited/<int:survey_id>/thanks/", respond.invited_thanks, name="survey-invited-thanks"),
    path(
        "invited/<int:survey_id>/<str:step>/",
        respond.InvitationWizard.as_view(),
        name="survey-invited-step",
    ),
    path("s/<str:public_key>/", respond.open_start, name="survey-open"),
    path("s/<str:public_key>/thanks/", respond.open_thanks, name="survey-open-thanks"),
    path("s/<str:public_key>/<str:step>/", respond.OpenWizard.as_view(), name="survey-open-step"),
    # Answered signed in (surveys/views/signed_in.py)
    path("answer/", signed_in.answer_list, name="answer-list"),
    path("answer/<int:survey_id>/start/", signed_in.answer_start, name="answer-start"),
    path("answer/draft/<int:draft_id>/thanks/", signed_in.answer_thanks, name="answer-thanks"),
    path(
        "answer/draft/<int:draft_id>/<str:step>/",
        signed_in.SignedInWizard.as_view(),
        name="answer-step",
    ),
]
