from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScrutinyConfig(AppConfig):
    name = "scrutiny"
    verbose_name = _("Scrutiny")

    def ready(self) -> None:
        # The audit trail's entries that no single page writes: signing in and out, failed
        # sign-ins, changes of people and roles, and the admin's log.
        from scrutiny.trail import signals

        signals.connect()
