from django.apps import AppConfig


class ScrutinyConfig(AppConfig):
    name = "scrutiny"
    verbose_name = "Scrutiny"

    def ready(self) -> None:
        # The audit trail's entries that no single page writes: signing in and out, failed
        # sign-ins, changes of people and roles, and the admin's log.
        from scrutiny.trail import signals

        signals.connect()
