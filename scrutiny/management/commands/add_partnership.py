"""`manage.py add_partnership --name NAME --slug SLUG --admin-email EMAIL [--admin-name NAME]`:
the operator adds a partnership to the installation with its first business-unit administrator,
and gets a one-time link for that person to set their password (docs/production.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutiny.errors import ApplicationError
from scrutiny.partnerships import partnership_add


class Command(BaseCommand):
    help = (
        "Add a partnership and its first administrator (the business unit), and print a "
        "one-time link for them to set their password. A name, slug or email already taken "
        "changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="The partnership's name.")
        parser.add_argument(
            "--slug",
            required=True,
            help="Its short name in addresses and commands, e.g. northbrook-westmere.",
        )
        parser.add_argument(
            "--admin-email", required=True, help="The first administrator's email address."
        )
        parser.add_argument("--admin-name", default="", help="The administrator's full name.")

    def handle(
        self,
        *args: Any,
        name: str,
        slug: str,
        admin_email: str,
        admin_name: str,
        **options: Any,
    ) -> None:
        try:
            added = partnership_add(
                name=name, slug=slug, admin_email=admin_email, admin_name=admin_name
            )
        except ApplicationError as exc:
            raise CommandError(f"{exc.message} Nothing was added.") from exc
        partnership, administrator = added.partnership, added.administrator
        self.stdout.write(self.style.SUCCESS(f"Added {partnership.name} ({partnership.slug})."))
        self.stdout.write(
            f"Its administrator {administrator.email} sets a password at this link, which "
            "works once (and for a few days only): send it to them alone.\n"
            f"{added.set_password_link}"
        )
