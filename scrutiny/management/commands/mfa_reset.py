"""`manage.py mfa_reset EMAIL`: for someone who lost their phone and their recovery codes,
remove their authenticator app and recovery codes. At their next sign-in they set up a new
one (where their role needs it) with their password. Recorded in the audit trail."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutiny.mfa.services import second_factor_remove
from scrutiny.models import User


def _person(email: str, what: str) -> User:
    try:
        return User.objects.get(email__iexact=email.strip())
    except User.DoesNotExist:
        raise CommandError(f"There is no account for {email} ({what}).") from None


class Command(BaseCommand):
    help = (
        "Reset a person's two-factor authentication (a lost phone): their app and recovery "
        "codes stop working and they set up a new app at their next sign-in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", metavar="EMAIL", help="The person whose phone was lost.")
        parser.add_argument(
            "--by",
            metavar="EMAIL",
            help="Who in the business unit asked for it (named in the audit trail).",
        )

    def handle(self, *args: Any, email: str, by: str | None, **options: Any) -> None:
        person = _person(email, "the person to reset")
        asked_by = _person(by, "--by") if by else None
        removed = second_factor_remove(user=person, by=asked_by, reset=True)
        if not removed:
            self.stdout.write(f"{person.email} had no two-factor authentication set up.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Two-factor authentication reset for {person.email}: their app and recovery "
                "codes no longer work. At their next sign-in they set up a new app."
            )
        )
