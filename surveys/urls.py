"""The surveys' pages: the business unit's (setting up, inviting, response rates), the
respondents' by link (no account), and those answered signed in. The API's addresses are in
surveys/api_urls.py."""

from django.urls import path

from surveys.views import manage, respond, sessions, signed_in, young

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
    # Children's sessions, for the adult running one (surveys/views/sessions.py)
    path("sessions/", sessions.youth_session_list, name="youth-session-list"),
    path("sessions/new/<int:survey_id>/", sessions.youth_session_new, name="youth-session-new"),
    path("sessions/<int:session_id>/", sessions.youth_session_detail, name="youth-session-detail"),
    path("sessions/<int:session_id>/end/", sessions.youth_session_end, name="youth-session-end"),
    # Children's pages, no account (surveys/views/young.py)
    path("young/", young.young_code, name="young-code"),
    path("young/<str:code>/", young.young_start, name="young-start"),
    path("young/<str:code>/thanks/", young.young_thanks, name="young-thanks"),
    path("young/<str:code>/<str:step>/", young.YoungWizard.as_view(), name="young-step"),
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
