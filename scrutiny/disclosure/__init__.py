"""What may leave the scrutineer's screen: small-number suppression and redaction (SCORING.md).

Everything that leaves the scrutineer's own screen (event packs, exports, API answers, the
`scores` command) goes through this package, so nothing can bypass it by another route:

- `suppression`: the rule for small cells (`suppressed_codes`), what each row of a row-level
  output may show (`rows_coarsen`, `ResponseLabels`) and the counts per option that may be shown
  (`distributions_for_publication`), SCORING.md §9;
- `redaction`: identifiers removed from free text (`Redactor`, `HeldTerms`, `redact`), §10;
- `publication`: the scores as they may be published (`scores_for_publication`), and a
  finding's, a quote's and a comment's words and labels as they leave the screen
  (`finding_published`, `quote_published`, `CommentLabels`), for the workspace's pages, its API
  and the event pack alike.

Every public name of the three modules is importable from `scrutiny.disclosure` itself, as it
was when this was one module, so that its importers need not know which module holds it.
"""

from scrutiny.disclosure.publication import (
    SOURCE_LABELS,
    CommentLabels,
    FindingPublished,
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
    NAMED_SOURCES,
    ROW_FIELDS,
    SMALL_POPULATION,
    SUPPRESSED,
    DistributionShown,
    OptionShown,
    ResponseLabels,
    RowKey,
    distribution_shown,
    distributions_for_publication,
    distributions_protected,
    rows_coarsen,
    suppressed_codes,
)

__all__ = [
    "NAMED_SOURCES",
    "REMOVED",
    "ROW_FIELDS",
    "SMALL_POPULATION",
    "SOURCE_LABELS",
    "SUPPRESSED",
    "UPN_LETTERS",
    "CommentLabels",
    "DistributionShown",
    "FindingPublished",
    "HeldTerms",
    "OptionShown",
    "QuotePublished",
    "Redactor",
    "ResponseLabels",
    "RowKey",
    "distribution_shown",
    "distributions_for_publication",
    "distributions_protected",
    "finding_published",
    "nhs_number_is_valid",
    "quote_published",
    "redact",
    "rows_coarsen",
    "scores_for_publication",
    "shown_labels",
    "suppressed_codes",
    "upn_check_letter",
    "upn_is_valid",
]
