"""What may leave the scrutineer's screen: small-number suppression and redaction (SCORING.md).

Everything that leaves the scrutineer's own screen (event packs, exports, API answers, the
`scores` command) goes through this package, so nothing can bypass it by another route:

- `suppression`: the rule for small cells (`suppressed_codes`) and what each row of a row-level
  output may show (`rows_coarsen`, `ResponseLabels`), SCORING.md §9;
- `distributions`: the counts per option that may be shown (`distributions_protected`, the one
  place that decides which are protected, and `distributions_for_publication`), and a
  question's own score as it may be shown beside them (`question_score_shown`), §9;
- `redaction`: identifiers removed from free text (`Redactor`, `HeldTerms`, `redact`), §10;
- `publication`: the scores as they may be published (`scores_for_publication`), and a
  finding's, a quote's and a comment's words and labels as they leave the screen
  (`finding_published`, `quote_published`, `CommentLabels`), for the workspace's pages, its API
  and the event pack alike, a quote's label worked out as it leaves (`QuoteLabels`);
- `harm`: possible disclosures of harm in children's answers (`HarmPhrases`, `answers_flag`),
  and the one filter every output of answers' words goes through (`answers_shown`,
  `quotes_shown`); `flagged`: the flagged answers for the business unit, and the email that
  tells the safeguarding lead; `pseudonyms`: the name a response leaves under in row-level
  outputs (`responses_numbered`).

Every public name of its modules is importable from `scrutiny.disclosure` itself, as it
was when this was one module, so that its importers need not know which module holds it.
"""

from scrutiny.disclosure.distributions import (
    NAMED_SOURCES,
    SMALL_POPULATION,
    DistributionProtection,
    DistributionShown,
    OptionShown,
    distribution_shown,
    distributions_for_publication,
    distributions_protected,
    question_score_shown,
)
from scrutiny.disclosure.flagged import (
    FlaggedAnswer,
    disclosure_notify,
    disclosure_review,
    disclosure_told,
    flagged_answers,
)
from scrutiny.disclosure.harm import (
    DEFAULT_PHRASES,
    DISCLOSURE_SOURCES,
    HarmPhrases,
    answers_flag,
    answers_shown,
    disclosures_recheck,
    phrases_clean,
    phrases_parse,
    quotes_shown,
    text_shown,
)
from scrutiny.disclosure.pseudonyms import responses_numbered
from scrutiny.disclosure.publication import (
    SOURCE_LABELS,
    CommentLabels,
    FindingPublished,
    QuoteLabels,
    QuotePublished,
    finding_published,
    quote_published,
    scores_for_publication,
    shown_labels,
)
from scrutiny.disclosure.redaction import (
    REMOVED,
    UPN_LETTERS,
    HeldTerms,
    Redactor,
    nhs_number_is_valid,
    redact,
    upn_check_letter,
    upn_is_valid,
)
from scrutiny.disclosure.suppression import (
    ROW_FIELDS,
    SUPPRESSED,
    ResponseLabels,
    RowKey,
    rows_coarsen,
    suppressed_codes,
)

__all__ = [
    "DEFAULT_PHRASES",
    "DISCLOSURE_SOURCES",
    "NAMED_SOURCES",
    "REMOVED",
    "ROW_FIELDS",
    "SMALL_POPULATION",
    "SOURCE_LABELS",
    "SUPPRESSED",
    "UPN_LETTERS",
    "CommentLabels",
    "DistributionProtection",
    "DistributionShown",
    "FindingPublished",
    "FlaggedAnswer",
    "HarmPhrases",
    "HeldTerms",
    "OptionShown",
    "QuoteLabels",
    "QuotePublished",
    "Redactor",
    "ResponseLabels",
    "RowKey",
    "answers_flag",
    "answers_shown",
    "disclosure_notify",
    "disclosure_review",
    "disclosure_told",
    "disclosures_recheck",
    "distribution_shown",
    "distributions_for_publication",
    "distributions_protected",
    "finding_published",
    "flagged_answers",
    "nhs_number_is_valid",
    "phrases_clean",
    "phrases_parse",
    "question_score_shown",
    "quote_published",
    "quotes_shown",
    "redact",
    "responses_numbered",
    "rows_coarsen",
    "scores_for_publication",
    "shown_labels",
    "suppressed_codes",
    "text_shown",
    "upn_check_letter",
    "upn_is_valid",
]
