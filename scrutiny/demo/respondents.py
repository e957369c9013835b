"""Who answers in the demo, and how their answers lean.

The made-up respondents of each source: the case files audited (CASES, with the agencies that
hold records on them), the practitioners returning the survey by agency, role and area
(SURVEY_AGENCIES), the board members (BOARD) and the families (FAMILIES). TARGETS gives, for each
source, the mean answer score from 0 to 1 its evidence should give each success factor, moved by
the respondent's agency and area (AGENCY_SHIFT, AREA_SHIFT). The targets are set so that the six
factors land on different ratings, with the contradictions a scrutiny looks for: practitioners
say they know the learning from reviews (SF1), but the audits find little of it in the case
files.
"""

from __future__ import annotations

TARGETS: dict[str, dict[str, float]] = {
    "file_audit": {
        "SF1": 0.36,
        "SF2": 0.81,
        "SF3": 0.52,
        "SF4": 0.32,
        "SF5": 0.30,
        "SF6": 0.62,
    },
    "practitioner_survey": {
        "SF1": 0.80,
        "SF2": 0.88,
        "SF3": 0.70,
        "SF4": 0.44,
        "SF5": 0.36,
        "SF6": 0.56,
    },
    "board_questionnaire": {
        "SF1": 0.72,
        "SF2": 0.90,
        "SF3": 0.56,
        "SF4": 0.42,
        "SF5": 0.40,
        "SF6": 0.66,
    },
    "family_feedback": {
        "SF1": 0.55,
        "SF2": 0.88,
        "SF3": 0.72,
        "SF4": 0.40,
        "SF5": 0.50,
        "SF6": 0.62,
    },
}

# How an agency's or area's answers differ from the partnership's.
AGENCY_SHIFT = {
    "NBC": 0.04,
    "WMC": -0.04,
    "POL": -0.08,
    "NHB": 0.05,
    "AVH": 0.0,
    "EDU": 0.04,
    "PRB": -0.10,
    "VOL": -0.06,
}
AREA_SHIFT = {"NBK": 0.02, "WMR": 0.0, "ASH": -0.05}
# Agencies grade their own records more kindly than the moderation meeting does.
SELF_ASSESSMENT_SHIFT = 0.12

# (case ref, the council that holds it, area)
CASES: tuple[tuple[str, str, str], ...] = (
    ("NB-1001", "NBC", "NBK"),
    ("NB-1002", "NBC", "NBK"),
    ("NB-1003", "NBC", "NBK"),
    ("NB-1004", "NBC", "NBK"),
    ("NB-1005", "NBC", "ASH"),
    ("NB-1006", "NBC", "ASH"),
    ("WM-2001", "WMC", "WMR"),
    ("WM-2002", "WMC", "WMR"),
    ("WM-2003", "WMC", "WMR"),
    ("WM-2004", "WMC", "WMR"),
    ("WM-2005", "WMC", "ASH"),
    ("WM-2006", "WMC", "ASH"),
)
# Cases where a parent is supervised by probation, which audits its records too.
PROBATION_CASES = {"NB-1002", "WM-2003", "WM-2005"}

# (agency, returns, roles with their relative numbers, areas its practitioners work in)
SURVEY_AGENCIES: tuple[tuple[str, int, tuple[tuple[str, int], ...], tuple[str, ...]], ...] = (
    ("NBC", 28, (("SW", 3), ("TM", 1)), ("NBK", "NBK", "ASH")),
    ("WMC", 24, (("SW", 3), ("TM", 1)), ("WMR", "WMR", "ASH")),
    ("POL", 16, (("PC", 1),), ("NBK", "WMR", "ASH")),
    ("NHB", 18, (("HV", 3), ("GP", 2)), ("NBK", "WMR")),
    ("AVH", 16, (("HV", 3), ("GP", 2)), ("ASH",)),
    ("EDU", 28, (("DSL", 1),), ("NBK", "WMR", "ASH")),
    ("PRB", 8, (("PO", 1),), ("NBK", "WMR", "ASH")),
    ("VOL", 12, (("YW", 1),), ("NBK", "WMR", "ASH")),
)

# Board members by agency; the two without one are the independent chair and a lay member.
BOARD: tuple[str | None, ...] = (
    "NBC",
    "NBC",
    "WMC",
    "WMC",
    "POL",
    "POL",
    "NHB",
    "NHB",
    "AVH",
    "AVH",
    "EDU",
    "EDU",
    "PRB",
    "VOL",
    "VOL",
    None,
    None,
)

# (service that worked with the family, area, who filled in the form)
FAMILIES: tuple[tuple[str | None, str | None, str], ...] = (
    ("NBC", "NBK", "parent"),
    ("NBC", "NBK", "child"),
    ("NBC", "ASH", "helper"),
    ("WMC", "WMR", "parent"),
    ("WMC", "WMR", "child"),
    ("NHB", "NBK", "parent"),
    ("EDU", "WMR", "child"),
    (None, "ASH", "parent"),
    (None, None, "helper"),
    (None, None, "child"),
)
