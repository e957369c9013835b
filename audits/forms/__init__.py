"""The audits' forms, a module for each group of pages: `samples` (the case list, the audit tool,
the draw's options), `completion` (assigning auditors, reopening an audit, raising a concern) and
`moderation` (the agreed answers and their rationales). The pages are in audits/views/."""
