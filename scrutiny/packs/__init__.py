"""The scrutiny event pack: `data` gathers what may be published (plain data, already suppressed
and redacted), `pdf` and `xlsx` render it and never query, `build` stores the files."""
