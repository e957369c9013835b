"""Surveys are not in the admin. Surveys, invitations and drafts are case data: they are set
up, answered and seen on the platform's pages, through the services, by those
`surveys.permissions` allows (scrutiny/admin.py says what the admin holds)."""
