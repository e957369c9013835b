"""The one instrument engine: a compiled instrument version becomes Django forms, a page a section.

Every channel that shows an instrument to a person builds its pages here: the audit wizard, the
survey wizard and the scrutineer's preview. So a question looks, reads and validates the same
wherever it is answered, and what a page gives back is the raw values dict (question code to
value, or a list for multiple choice) that `scrutiny.evidence.answers_clean` checks and stores.

- `conditions`: show_if on pages (which questions a page asks, the hint on a follow-up);
- `forms`: the question fields, the page forms and the values they give back;
- `wizard`: django-formtools over the pages, and the channels' draft wizard.

The names the channels use are importable from here.
"""

from scrutiny.questionnaires.conditions import (
    CONDITIONAL,
    HIDDEN,
    SHOWN,
    condition_hint,
    question_visibility,
    section_shown,
)
from scrutiny.questionnaires.forms import (
    DATE_INPUT_FORMATS,
    NumberField,
    QuestionnairePage,
    answer_display,
    form_list_for,
    question_field,
    section_form_class,
    values_from_data,
    values_from_forms,
)
from scrutiny.questionnaires.wizard import DraftWizardView, InstrumentWizardView

__all__ = [
    "CONDITIONAL",
    "DATE_INPUT_FORMATS",
    "HIDDEN",
    "SHOWN",
    "DraftWizardView",
    "InstrumentWizardView",
    "NumberField",
    "QuestionnairePage",
    "answer_display",
    "condition_hint",
    "form_list_for",
    "question_field",
    "question_visibility",
    "section_form_class",
    "section_shown",
    "values_from_data",
    "values_from_forms",
]
