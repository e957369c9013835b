from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from scrutiny.demo import demo_load
from scrutiny.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Load the demo partnership, its scrutiny learning-from-practice with evidence from all "
        "four sources, and its logins. Running it twice changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = demo_load()
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("Demo loaded."))
        self.stdout.write(
            f"Scrutiny {result.scrutiny.slug} ({result.scrutiny.title}), submitted responses:"
        )
        for code, count in sorted(result.responses.items()):
            self.stdout.write(f"  {code:<4} {count}")
        self.stdout.write(
            f"  of which {result.agreed_audits} agreed case-file audits, each superseding its "
            "agencies' contributions."
        )
        for line in result.extras:
            self.stdout.write(f"  {line}")
        self.stdout.write(f"Demo logins (password for all: {settings.DEMO_PASSWORD}):")
        for login in result.logins:
            agency = f" ({login.agency_code})" if login.agency_code else ""
            self.stdout.write(f"  {login.role:<14} {login.email}{agency}")
        self.stdout.write(
            "The business unit, the scrutineer, auditors and agency leads set up an "
            "authenticator app (or any TOTP app) at their first sign-in: docs/accounts.md."
        )
