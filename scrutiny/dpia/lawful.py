"""The lawful basis of each instrument's processing (DOMAIN.md, Obligations).

Every scrutiny is a public task: UK GDPR Art. 6(1)(e), under the Children Act 2004 s.16E and
Working Together. Special category data (health, and what a child's words may reveal) under
Art. 9(2)(g) with DPA 2018 Sch. 1 para 18 (safeguarding of children and individuals at risk),
and Art. 9(2)(h) where health records are audited. These are the starting points the DPO
confirms; the words are theirs to change in the document.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_lazy

from scrutiny.dpia.collection import InstrumentCollection
from scrutiny.models import Agency, Source

PUBLIC_TASK = gettext_lazy(
    "UK GDPR Art. 6(1)(e): public task, the partnership's duties under the Children Act 2004 "
    "s.16E and Working Together to Safeguard Children."
)
SAFEGUARDING = gettext_lazy(
    "Art. 9(2)(g), substantial public interest, with DPA 2018 Sch. 1 para 18 (safeguarding of "
    "children and of individuals at risk)."
)
HEALTH = gettext_lazy("Art. 9(2)(h): health records of a health agency are audited.")
CRIMINAL = gettext_lazy(
    "Police records may hold criminal offence data: Art. 10 with DPA 2018 s.10(5) and Sch. 1 "
    "para 18 (for the DPO to confirm)."
)


def special_category(item: InstrumentCollection, agency_types: set[str]) -> tuple[str, str]:
    """What special category data the instrument may take, and the condition for it."""
    if item.kind == Source.FILE_AUDIT:
        conditions = [str(SAFEGUARDING)]
        if Agency.Type.HEALTH in agency_types:
            conditions.append(str(HEALTH))
        if Agency.Type.POLICE in agency_types:
            conditions.append(str(CRIMINAL))
        return (
            gettext("Yes: case records about children and families (health, family life, harm)."),
            " ".join(conditions),
        )
    if item.kind in (Source.FAMILY_FEEDBACK, Source.YOUNG_PEOPLE):
        return (
            gettext("Yes: children's and families' own words about their care."),
            str(SAFEGUARDING),
        )
    if item.free_text:
        return (
            gettext("Possibly: free text may tell of a child's health or circumstances."),
            str(SAFEGUARDING),
        )
    return (gettext("Not expected: choice questions about practice only."), gettext("None needed."))
