"""The young scrutineers' impact feedback tool: after each scrutiny, did the adults listen, and
what changed because of them.

Young scrutineers answer it once for each published scrutiny from their own page
(`scrutiny.young_scrutineers`, which adds it to the scrutiny with their first answers); the
library ships the same definition, so that adding it from the library, or downloading it as a
workbook, gives the very same instrument (code `YSF`): the one never makes a new version of the
other.

Its kind is `young_people` (young people answering for themselves), but it is deliberately
unscored: no option carries points and no question links to a success factor. It asks about the
young scrutineers' own involvement, not about the practice the scrutiny tests, so it must never
count in a factor's score; and because linking an unscored question to a factor is refused
(SCORING.md §3), nobody can make it count by accident. Its answers are read as counts per option
and comments, scrutiny after scrutiny, by the business unit and the board.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from scrutiny.instruments import InstrumentDefinition, OptionDef, QuestionDef

CODE = "YSF"
LISTENED, CHANGED, WHAT_CHANGED, DIFFERENTLY = (
    "YSF_LISTENED",
    "YSF_CHANGED",
    "YSF_WHAT_CHANGED",
    "YSF_DIFFERENTLY",
)
# The texts are marked for the Welsh catalogue (gettext_noop: the definition stays English); the
# young scrutineers' feedback form (scrutiny.forms_young) shows them in the active language.
SECTION = gettext_noop("Your say")

DEFINITION = InstrumentDefinition(
    code=CODE,
    title=gettext_noop("Young scrutineers' impact feedback"),
    kind="young_people",
    questions=(
        QuestionDef(
            section=SECTION,
            code=LISTENED,
            type="single",
            text=gettext_noop("Did the adults listen to you?"),
            options="listened",
            required=True,
        ),
        QuestionDef(
            section=SECTION,
            code=CHANGED,
            type="single",
            text=gettext_noop("Did anything change because of you?"),
            options="changed",
            required=True,
        ),
        QuestionDef(
            section=SECTION,
            code=WHAT_CHANGED,
            type="text",
            text=gettext_noop("What changed?"),
            show_if=f"{CHANGED} = yes",
        ),
        QuestionDef(
            section=SECTION,
            code=DIFFERENTLY,
            type="text",
            text=gettext_noop("What should we do differently next time?"),
        ),
    ),
    option_lists={
        "listened": (
            OptionDef("5", gettext_noop("5 Yes, all the time")),
            OptionDef("4", gettext_noop("4 Most of the time")),
            OptionDef("3", gettext_noop("3 Some of the time")),
            OptionDef("2", gettext_noop("2 Not much")),
            OptionDef("1", gettext_noop("1 No, not at all")),
        ),
        "changed": (
            OptionDef("yes", gettext_noop("Yes")),
            OptionDef("no", gettext_noop("No")),
            OptionDef("not_sure", gettext_noop("I'm not sure")),
        ),
    },
)
