"""Who sees what: each role's capabilities, found by asking the permission rules themselves.

Nothing here restates a rule. For every role a person of that role is made in memory (never
saved: no row is written) and the real functions of `scrutiny.permissions` are called on it;
the apps answer for their own rules through the app registry (an app's config may offer
`dpia_capabilities(user=...)`, a list of (capability, whether the user has it)). A change to a
rule changes the table. Every label is made text here, in the active language (the document's:
`dpia_document` calls this inside `translation.override`); an app's labels may be lazy.
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.utils.translation import gettext, gettext_lazy

from scrutiny import permissions
from scrutiny.models import Action, Agency, Partnership, User

# In-memory agencies: the person's own, and another. Only their ids are compared.
OWN_AGENCY_ID = -1
OTHER_AGENCY_ID = -2

OPERATOR = gettext_lazy("Platform operator (superuser)")

Rule = Callable[[User], bool]


def _rules() -> list[tuple[str, Rule]]:
    own = Agency(pk=OWN_AGENCY_ID)
    other = Agency(pk=OTHER_AGENCY_ID)
    own_action = Action(responsible_id=OWN_AGENCY_ID)
    other_action = Action(responsible_id=OTHER_AGENCY_ID)
    return [
        (
            gettext("Must prove a second factor (a TOTP code) to sign in"),
            permissions.needs_second_factor,
        ),
        (
            gettext(
                "Manage the partnership: its details, agencies, areas, people and redaction terms"
            ),
            permissions.can_manage_partnership,
        ),
        (gettext("Read and export the audit trail"), permissions.can_read_trail),
        (
            gettext("Answer subject access requests and erase a person's data"),
            permissions.can_manage_people_data,
        ),
        (gettext("Write the record of processing and this DPIA draft"), permissions.can_read_dpia),
        (gettext("See every agency of the partnership"), permissions.can_see_all_agencies),
        (
            gettext("See who works for their own agency"),
            lambda user: permissions.can_see_agency_people(user, own),
        ),
        (
            gettext("See who works for another agency"),
            lambda user: permissions.can_see_agency_people(user, other),
        ),
        (
            gettext("Read scrutinies, instruments and published scores (small numbers suppressed)"),
            permissions.can_read_scrutinies,
        ),
        (
            gettext(
                "Set up scrutinies, import evidence and work in the scrutineer's workspace "
                "(evidence, comments and scores before suppression)"
            ),
            permissions.can_configure_scrutinies,
        ),
        (gettext("Read the delivery plan"), permissions.can_read_plan),
        (gettext("Write the plan: priorities, outcomes, actions"), permissions.can_plan),
        (
            gettext("Update an action their own agency leads"),
            lambda user: permissions.can_update_action(user, own_action),
        ),
        (
            gettext("Update another agency's action"),
            lambda user: permissions.can_update_action(user, other_action),
        ),
        (gettext("Use the API and its documentation"), permissions.can_use_api_docs),
    ]


def person_of_role(role: str, *, partnership: Partnership) -> User:
    """A person of `role` in the partnership, in memory only; of an agency where the role
    works for one."""
    agency_roles = (*User.ROLES_NEEDING_AGENCY, User.Role.PRACTITIONER)
    return User(
        email=f"{role}@dpia.invalid",
        role=role,
        partnership=partnership,
        agency_id=OWN_AGENCY_ID if role in agency_roles else None,
        is_active=True,
    )


def operator() -> User:
    """The platform's operator (a superuser of no partnership), in memory only."""
    return User(email="operator@dpia.invalid", is_superuser=True, is_staff=True, is_active=True)


def _app_capabilities(user: User) -> list[tuple[str, bool]]:
    answers: list[tuple[str, bool]] = []
    for config in apps.get_app_configs():
        provider = getattr(config, "dpia_capabilities", None)
        if callable(provider):
            answers.extend(provider(user=user))
    return answers


def role_capabilities(
    *, partnership: Partnership
) -> tuple[list[str], list[tuple[str, list[bool]]]]:
    """The roles' names (and the platform's operator, last), and each capability with whether
    each has it, in that order."""
    roles = list(User.Role)
    people = [person_of_role(role, partnership=partnership) for role in roles] + [operator()]
    rows = [(label, [bool(rule(person)) for person in people]) for label, rule in _rules()]
    by_app: dict[str, list[bool]] = {}
    for person in people:
        for label, allowed in _app_capabilities(person):
            by_app.setdefault(str(label), []).append(bool(allowed))
    rows += list(by_app.items())
    return [*(str(role.label) for role in roles), str(OPERATOR)], rows
