"""Pages, split by sub-domain: core (home, agencies, statements, jobs) and scrutinies."""
