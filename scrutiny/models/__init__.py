from scrutiny.models.actions import Action, ActionUpdate, Brag, Outcome, Priority
from scrutiny.models.disclosures import DisclosureReview
from scrutiny.models.evidence import Answer, Response
from scrutiny.models.findings import EventPack, EvidenceNote, Finding, Quote
from scrutiny.models.instruments import (
    FactorLink,
    Instrument,
    InstrumentVersion,
    Option,
    OptionList,
    Question,
    Section,
)
from scrutiny.models.jobs import Job
from scrutiny.models.people import Agency, Area, Partnership, User
from scrutiny.models.publication import Publication
from scrutiny.models.scrutinies import PractitionerRole, Scrutiny, Source, SuccessFactor
from scrutiny.models.trail import TrailEntry

__all__ = [
    "Action",
    "ActionUpdate",
    "Agency",
    "Answer",
    "Area",
    "Brag",
    "DisclosureReview",
    "EventPack",
    "EvidenceNote",
    "FactorLink",
    "Finding",
    "Instrument",
    "InstrumentVersion",
    "Job",
    "Option",
    "OptionList",
    "Outcome",
    "Partnership",
    "PractitionerRole",
    "Priority",
    "Publication",
    "Question",
    "Quote",
    "Response",
    "Scrutiny",
    "Section",
    "Source",
    "SuccessFactor",
    "TrailEntry",
    "User",
]
