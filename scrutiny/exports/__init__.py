"""Exports for analysts: an instrument's responses, one row a response (`responses`), written
by a job (`jobs`) from the instrument's page, `manage.py export_responses` and tests alike."""
