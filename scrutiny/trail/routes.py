"""Which pages and API operations the trail records, by the name of their URL.

Every URL name of the project is in exactly one of three places, and a test
(tests/scrutiny/test_trail.py) walks the URL resolver and fails on a name in none of them, so a
new page cannot be forgotten:

- `ROUTES`: recorded. `read` is the action of a successful GET (a view of case data, a
  download); `write` that of a successful POST, PUT, PATCH or DELETE (an import, a change);
  `download` that of a GET asking for `?format=` (an export of a page's list).
- `NOT_RECORDED`: deliberately not, with the reason.
- `ANSWERING`: a survey being answered, with or without an account. Never recorded, by
  anything: the time and the person of a request there would link a respondent to a response
  the partnership promised to keep anonymous.

The Django admin's names (`admin:…`) are classified by `admin_route`: a view of one object is
recorded; its additions, changes and deletions are recorded from the admin's own log
(scrutiny.trail.signals), once.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Route:
    read: str = ""
    write: str = ""
    download: str = ""
    # What `<code>` in the URL names: a success factor (the workspace) or an instrument.
    code: str = "successfactor"


# The URL's arguments that name an object, most specific first: (argument, object type, word).
OBJECT_ARGUMENTS: tuple[tuple[str, str, str], ...] = (
    ("quote_id", "quote", "quote"),
    ("update_id", "actionupdate", "update"),
    ("action_id", "action", "action"),
    ("priority_id", "priority", "priority"),
    ("pack_id", "eventpack", "pack"),
    ("case_id", "casefile", "case file"),
    ("assignment_id", "assignment", "audit"),
    ("concern_id", "immediateconcern", "concern"),
    ("survey_id", "survey", "survey"),
    ("instrument_id", "instrument", "instrument"),
    ("code", "", ""),  # the route's `code`
    ("agency_id", "agency", "agency"),
    ("job_id", "job", "job"),
    ("object_id", "", ""),  # the admin's: the model is in the URL's name
    ("slug", "scrutiny", "scrutiny"),
)
CODE_WORDS = {"successfactor": "factor", "instrument": "instrument"}

_INSTRUMENT = Route(write="instrument_changed")
_SETTINGS = Route(write="settings_changed")
_FINDING = Route(write="finding_changed")
_PLAN = Route(write="plan_changed")
_IMPORT = Route(write="imported")
_API_WRITE = Route(write="api_changed")

ROUTES: dict[str, Route] = {
    # The partnership and the scrutiny's set-up
    "partnership-edit": Route(write="partnership_changed"),
    "scrutiny-new": _SETTINGS,
    "scrutiny-import": _IMPORT,
    "scrutiny-edit": _SETTINGS,
    "template-workbook": Route(read="file_downloaded"),
    "dpia-download": Route(read="file_downloaded"),
    "job-restart": Route(write="job_restarted"),
    "trail": Route(download="trail_exported"),
    # Instruments
    "instrument-new": _INSTRUMENT,
    "instrument-import": _IMPORT,
    "instrument-settings": _INSTRUMENT,
    "instrument-question": _INSTRUMENT,
    "instrument-question-remove": _INSTRUMENT,
    "instrument-question-move": _INSTRUMENT,
    "instrument-list": _INSTRUMENT,
    "instrument-list-remove": _INSTRUMENT,
    "instrument-copy": _INSTRUMENT,
    "instrument-workbook": Route(read="file_downloaded"),
    "instrument-responses-import": _IMPORT,
    "instrument-responses-export-download": Route(read="file_downloaded"),
    # The workspace
    "workspace": Route(read="responses_viewed"),
    "workspace-compare": _SETTINGS,
    "workspace-settings": _SETTINGS,
    "workspace-sign-off": Route(write="findings_signed_off"),
    "workspace-pack-build": Route(write="pack_built"),
    "workspace-pack-download": Route(read="pack_downloaded"),
    "published-pack-pdf": Route(read="pack_downloaded"),
    # Young scrutineers: an observation (a note) and the plain-language summary of the findings.
    "young-observation": _FINDING,
    "young-summary": _FINDING,
    "workspace-factor": Route(read="evidence_viewed"),
    # Children's answers that may be disclosures of harm, in their own words (scrutiny.disclosure)
    "disclosure-list": Route(read="responses_viewed"),
    "disclosure-review": Route(write="disclosure_reviewed"),
    "workspace-finding": _FINDING,
    "workspace-quote": _FINDING,
    "workspace-quote-remove": _FINDING,
    "workspace-note": _FINDING,
    # The plan
    "scrutiny-actions-draft": _PLAN,
    "scrutiny-actions-carry": _PLAN,
    "scrutiny-actions-export": Route(read="plan_downloaded"),
    "plan-export": Route(read="plan_downloaded"),
    "plan-import": _IMPORT,
    "plan-priority-new": _PLAN,
    "plan-priority-edit": _PLAN,
    "plan-outcome-new": _PLAN,
    "plan-action-new": _PLAN,
    "plan-action": _PLAN,
    "plan-action-edit": _PLAN,
    "plan-action-update": _PLAN,
    "plan-document": Route(read="file_downloaded"),
    # Case-file audits
    "audit-sample": Route(read="case_list_viewed", write="imported"),
    "audit-sample-draw": _IMPORT,
    "audit-mine": Route(read="case_list_viewed"),
    "audit-detail": Route(read="case_file_viewed"),
    "audit-complete": Route(read="case_file_viewed", write="case_file_changed"),
    "audit-reopen": Route(write="case_file_changed"),
    "audit-concern": Route(write="concern_raised"),
    "audit-concern-detail": Route(read="concern_viewed"),
    "audit-assign": Route(read="case_list_viewed", write="audits_assigned"),
    "audit-overview": Route(read="case_list_viewed"),
    "audit-moderate": Route(read="moderation_viewed", write="moderation_changed"),
    "audit-trail": Route(read="case_trail_viewed"),
    # Surveys, as the business unit sets them up
    "survey-new": Route(write="survey_changed"),
    "survey-invite": _IMPORT,
    # The API
    "api-scrutiny-list": _API_WRITE,
    "api-scrutiny-detail": _API_WRITE,
    "api-scrutiny-factors": _API_WRITE,
    "api-scrutiny-instruments": Route(write="instrument_changed"),
    "api-scrutiny-instrument-detail": Route(write="instrument_changed", code="instrument"),
    "api-scrutiny-scores": Route(read="responses_viewed"),
    "api-workspace-scorecard": Route(read="responses_viewed"),
    "api-workspace-findings": _FINDING,
    "api-workspace-sign-off": Route(write="findings_signed_off"),
    "api-workspace-finding": _FINDING,
    "api-workspace-evidence": Route(read="evidence_viewed"),
    "api-workspace-packs": Route(write="pack_built"),
    "api-workspace-pack": _API_WRITE,
    "api-workspace-pack-download": Route(read="pack_downloaded"),
    "api-plan": _PLAN,
    "api-action-list": _PLAN,
    "api-action-detail": _PLAN,
    "api-action-updates": _PLAN,
    "api-scrutiny-actions-draft": _PLAN,
    "api-scrutiny-actions-carry": _PLAN,
    "api-agency-list": _API_WRITE,
    "api-agency-detail": _API_WRITE,
    "api-area-list": _API_WRITE,
    "api-job-detail": _API_WRITE,
    "api-audit-sample": Route(read="case_list_viewed", write="imported"),
    "api-audit-sample-draw": _IMPORT,
    "api-audit-list": Route(read="case_list_viewed"),
    "api-audit-detail": Route(read="case_file_viewed", write="case_file_changed"),
    "api-audit-draft": Route(write="case_file_changed"),
    "api-audit-submit": Route(write="case_file_changed"),
    "api-audit-reopen": Route(write="case_file_changed"),
    "api-audit-concern": Route(write="concern_raised"),
    "api-assignment-create": Route(write="audits_assigned"),
    "api-audit-progress": _API_WRITE,
    "api-audit-agreement": _API_WRITE,
    "api-audit-moderation": Route(read="moderation_viewed", write="moderation_changed"),
    "api-survey-response-rates": Route(write="api_changed", code="instrument"),
    "api-instrument-distributions": Route(read="responses_viewed", code="instrument"),
    # Issue 17: what users manage, through the API (scrutiny/apis/, surveys/apis_manage.py)
    "api-instrument-import": _IMPORT,
    "api-instrument-versions": Route(write="api_changed", code="instrument"),
    "api-instrument-responses": Route(read="responses_viewed", write="imported", code="instrument"),
    "api-instrument-response": Route(read="responses_viewed", code="instrument"),
    "api-factor-quotes": Route(read="evidence_viewed", write="finding_changed"),
    "api-factor-quote": _FINDING,
    "api-factor-notes": Route(read="evidence_viewed", write="finding_changed"),
    "api-scrutiny-comparison": _SETTINGS,
    "api-scrutiny-event": _SETTINGS,
    "api-partnership": Route(write="partnership_changed"),
    "api-partnership-redaction-terms": Route(write="partnership_changed"),
    "api-survey-list": _API_WRITE,
    "api-survey-detail": _API_WRITE,
    "api-survey-invitations": _IMPORT,
    "api-survey-reminders": Route(write="survey_changed"),
}

_PUBLIC = "a public page: nothing of a person or a case"
_ACCOUNT = (
    "signing in and out and password changes are recorded from Django's signals and the "
    "account's save (scrutiny.trail.signals), not from the page"
)
_OWN_SERVICE = "recorded by its own service, which knows what was done (trail_record)"
_SET_UP = "the set-up of a scrutiny, a survey or the plan: no case data or answers"
_AGGREGATE = "counts and agreement across many responses, never one response's answers"
_PUBLISHED = (
    "results published to the board: aggregate scores and redacted words, suppressed and "
    "frozen at sign-off (scrutiny.publishing), never one response's answers"
)

NOT_RECORDED: dict[str, str] = {
    "home": _PUBLIC,
    "accessibility": _PUBLIC,
    "privacy": _PUBLIC,
    "health": "the platform's health check",
    "set_language": "the language chosen at the top of every page (docs/welsh.md)",
    "api-schema": "the API's description",
    "api-docs": "the API's description",
    "api-redoc": "the API's description",
    "api-root": "the API's index of addresses",
    "api-me": "the person's own account",
    "agency-list": "the partnership's agencies",
    "agency-detail": "an agency and its staff's names: no case data",
    "selfcheck-start": "checks the background workers and changes no data",
    "job-detail": "a job's progress",
    "scrutiny-list": _SET_UP,
    "scrutiny-detail": _SET_UP,
    "template-library": "the shipped templates of instruments",
    "instrument-detail": "an instrument's questions: no answers",
    "instrument-preview": "the questions as a respondent sees them; nothing is saved",
    "scrutiny-actions": _SET_UP,
    "plan": _SET_UP,
    "plan-priority": _SET_UP,
    "audit-agreement": _AGGREGATE,
    "survey-list": _SET_UP,
    "survey-detail": _SET_UP,
    "survey-rates": _AGGREGATE,
    "login": _ACCOUNT,
    "logout": _ACCOUNT,
    "password_reset": _ACCOUNT,
    "password_reset_done": _ACCOUNT,
    "password_reset_confirm": _ACCOUNT,
    "password_reset_complete": _ACCOUNT,
    "password_change": _ACCOUNT,
    "password_change_done": _ACCOUNT,
    "api-token": _ACCOUNT,
    "api-token-revoke": _ACCOUNT,
    "oidc_authentication_init": _ACCOUNT,
    "oidc_authentication_callback": _ACCOUNT,
    "oidc_logout": _ACCOUNT,
    "oidc_sign_in_failed": _ACCOUNT,
    "partnership-accessibility": _PUBLIC,
    "partnership-privacy": _PUBLIC,
    "published-list": "the list of scrutinies published to the board: no case data",
    "published-detail": _PUBLISHED,
    "published-pack": _PUBLISHED,
    "young-home": "the list of scrutinies published to the board: no case data",
    "young-scrutiny": _PUBLISHED,
    "young-feedback-results": _AGGREGATE,
    "dpia": "the record of processing, written from the partnership's configuration",
    # Subject access and erasure: scrutiny.people_data; the second factor: scrutiny.mfa.
    "people-data": _OWN_SERVICE,
    "instrument-responses-export": _OWN_SERVICE,  # the export's job: responses_exported
    "two-factor": _OWN_SERVICE,
    "two-factor-set-up": _OWN_SERVICE,
    "two-factor-qr": _OWN_SERVICE,
    "two-factor-verify": _OWN_SERVICE,
    "two-factor-recovery-codes": _OWN_SERVICE,
    "two-factor-remove": _OWN_SERVICE,
    # A children's survey session: its setting, code and who arranged it, never an answer; the
    # session's row keeps who started and ended it, and when.
    "youth-session-list": "a survey's sessions: settings and codes, no answers",
    "youth-session-detail": "a session's setting and code: no answers",
    "youth-session-new": "a session's setting and code: no answers (the session keeps who)",
    "youth-session-end": "a session's setting and code: no answers (the session keeps who)",
}

# Answering a survey: by its open link, by a personal invitation, or signed in. Unnamed routes
# are named by their view's dotted path, as Django's `ResolverMatch.view_name` does.
ANSWERING: frozenset[str] = frozenset(
    {
        "survey-invitation",
        "young-code",
        "young-start",
        "young-step",
        "young-thanks",
        "surveys.views.respond.invitation_start",
        "survey-invited",
        "survey-invited-thanks",
        "survey-invited-step",
        "survey-open",
        "survey-open-thanks",
        "survey-open-step",
        "answer-list",
        "answer-start",
        "answer-thanks",
        "answer-step",
        "api-survey-open-submit",
        "api-survey-invitation-submit",
        # A young scrutineer's impact feedback, kept without their name.
        "young-feedback",
    }
)

ADMIN = "admin:"


def admin_route(view_name: str) -> Route:
    """The admin's pages: a view of one object (its change page) is recorded; its writes are
    recorded from the admin's log, and its lists and forms are not."""
    if view_name.endswith("_change"):
        return Route(read="admin_viewed")
    return Route()


def admin_model(view_name: str) -> str:
    """The model of an admin object page's name, e.g. `admin:scrutiny_user_change` → `user`
    (model names have no underscore; app labels may: `otp_totp_totpdevice_change`)."""
    name = view_name.removeprefix(ADMIN).removesuffix("_change")
    return name.rsplit("_", 1)[-1] if "_" in name else ""


def route_for(view_name: str) -> Route | None:
    """The route's rule; None when it is not recorded (or not known)."""
    if view_name in ANSWERING:
        return None
    if view_name.startswith(ADMIN):
        return admin_route(view_name)
    return ROUTES.get(view_name)


def is_classified(view_name: str) -> bool:
    return (
        view_name in ROUTES
        or view_name in NOT_RECORDED
        or view_name in ANSWERING
        or view_name.startswith(ADMIN)
    )
