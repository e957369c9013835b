"""Seed a migrated database with an anonymous practitioner survey and its invitations, for the
tests that drive a real server: `python -m tests.red_team.seed_survey` prints the survey's id
and the people's personal-link tokens as JSON (in the order of the people, 0 to 11)."""

from __future__ import annotations

import json

import django


def seed() -> dict[str, object]:
    from scrutiny.instruments import instrument_save
    from scrutiny.models import Agency, PractitionerRole, Scrutiny, SuccessFactor
    from tests.factories import PartnershipFactory
    from tests.red_team.anonymity import AGENCY, PEOPLE, ROLE
    from tests.surveys.conftest import make_invitation, make_survey, survey_definition

    partnership = PartnershipFactory()
    council = Agency.objects.create(
        partnership=partnership, code=AGENCY, name="Fernhill Council", type=Agency.Type.OTHER
    )
    social_worker = PractitionerRole.objects.create(
        partnership=partnership, code=ROLE, name="Social worker"
    )
    scrutiny = Scrutiny.objects.create(
        partnership=partnership, slug="learning-2025", title="Learning from Practice 2025"
    )
    SuccessFactor.objects.create(scrutiny=scrutiny, code="SF1", statement="Plans are good.")
    SuccessFactor.objects.create(scrutiny=scrutiny, code="SF2", statement="Learning reaches all.")
    instrument = instrument_save(scrutiny=scrutiny, definition=survey_definition()).instrument
    survey = make_survey(instrument)
    tokens = [
        make_invitation(survey, f"person{i}@fernhill.invalid", council, social_worker)[1]
        for i in range(PEOPLE)
    ]
    return {"survey_id": survey.pk, "tokens": tokens}


if __name__ == "__main__":
    django.setup()
    print(json.dumps(seed()))
