"""A demo scrutiny's four instruments from the template library, with their evidence.

The same for this year's scrutiny and the earlier one of the theme (`scrutiny.demo.earlier`):
each gets the case-file audit, the practitioner survey, the board questionnaire and the family
feedback form, and the responses its round of evidence (`evidence.Wave`) draws.
"""

from __future__ import annotations

import random

from scrutiny.demo import evidence
from scrutiny.instruments import instrument_save, version_compile
from scrutiny.library import Template, template_get
from scrutiny.models import Agency, Area, PractitionerRole, Scrutiny

# The library templates a demo scrutiny uses, loaded in this order.
INSTRUMENTS = ("case-file-audit", "practitioner-survey", "board-questionnaire", "family-feedback")

LOADERS = {
    "case-file-audit": evidence.audits_load,
    "practitioner-survey": evidence.survey_load,
    "board-questionnaire": evidence.board_load,
    "family-feedback": evidence.family_load,
}


def evidence_load(*, scrutiny: Scrutiny, seed: int, wave: evidence.Wave) -> None:
    """The scrutiny's instruments and the responses drawn for them with `seed`."""
    partnership = scrutiny.partnership
    codes = evidence.Codes(
        agencies=dict(Agency.objects.filter(partnership=partnership).values_list("code", "pk")),
        areas=dict(Area.objects.filter(partnership=partnership).values_list("code", "pk")),
        roles=dict(
            PractitionerRole.objects.filter(partnership=partnership).values_list("code", "pk")
        ),
    )
    # One generator for everything, always consumed in the same order: the same answers on
    # every run and every machine.
    rng = random.Random(seed)  # noqa: S311 (made-up answers, not secrets)
    for slug in INSTRUMENTS:
        template: Template = template_get(slug)
        saved = instrument_save(scrutiny=scrutiny, definition=template.definition)
        LOADERS[slug](
            rng=rng,
            compiled=version_compile(saved.version),
            definition=template.definition,
            codes=codes,
            wave=wave,
        )
