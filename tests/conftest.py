"""Personas shared by every test: one partnership, two agencies, and a person of each role.

- `business_unit`: the partnership administrator (Robin);
- `scrutineer`: the Independent Scrutineer (Morgan);
- `auditor_council`, `auditor_police`: auditors in two different agencies;
- `agency_lead`: the council's agency lead;
- `board_member`;
- `practitioner`: a practitioner with an account (most answer with none: use `client`).
"""

from __future__ import annotations

import os

import pytest
from django.test import Client

from scrutiny.models import Agency, Area, Partnership, User
from tests.factories import PASSWORD, AgencyFactory, AreaFactory, PartnershipFactory, UserFactory

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    """Persona passwords are hashed and checked in most tests: the production hasher adds over
    half a second each time and checks nothing these tests are about."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def partnership(db) -> Partnership:
    return PartnershipFactory()


@pytest.fixture
def council(partnership) -> Agency:
    return AgencyFactory(
        partnership=partnership,
        code="FHC",
        name="Fernhill Council",
        type=Agency.Type.LOCAL_AUTHORITY,
    )


@pytest.fixture
def police(partnership) -> Agency:
    return AgencyFactory(
        partnership=partnership, code="POL", name="Fernhill Police", type=Agency.Type.POLICE
    )


@pytest.fixture
def area(partnership) -> Area:
    return AreaFactory(partnership=partnership, code="NTH", name="Fernhill North")


def _person(partnership: Partnership, email: str, role: str, agency: Agency | None = None) -> User:
    return UserFactory(
        partnership=partnership,
        email=email,
        role=role,
        agency=agency,
        is_staff=role == User.Role.ADMINISTRATOR,
    )


@pytest.fixture
def business_unit(partnership) -> User:
    return _person(partnership, "robin@fernhill.invalid", User.Role.ADMINISTRATOR)


@pytest.fixture
def scrutineer(partnership) -> User:
    return _person(partnership, "morgan@fernhill.invalid", User.Role.SCRUTINEER)


@pytest.fixture
def auditor_council(partnership, council) -> User:
    return _person(partnership, "sam@fernhill.invalid", User.Role.AUDITOR, council)


@pytest.fixture
def auditor_police(partnership, police) -> User:
    return _person(partnership, "jo@fernhill.invalid", User.Role.AUDITOR, police)


@pytest.fixture
def agency_lead(partnership, council) -> User:
    return _person(partnership, "kit@fernhill.invalid", User.Role.AGENCY_LEAD, council)


@pytest.fixture
def board_member(partnership) -> User:
    return _person(partnership, "alex@fernhill.invalid", User.Role.BOARD_MEMBER)


@pytest.fixture
def practitioner(partnership, council) -> User:
    return _person(partnership, "charlie@fernhill.invalid", User.Role.PRACTITIONER, council)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def password() -> str:
    return PASSWORD
