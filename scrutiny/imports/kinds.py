"""The apps' imports that run as jobs through `running.import_run` (a sample drawn from a case
list, an invitation list): the core knows them only by the headings their apps declare."""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext

PLAN_IMPORT = "plan import"


def app_import_headings() -> dict[str, str]:
    """{job kind: the heading of its job's page} for the apps' imports, each app's from its
    AppConfig's `import_job_headings()` (as audits/apps.py declares its hooks)."""
    # The core's own import that runs this way too: a delivery plan (scrutiny.plan.importing_job).
    headings: dict[str, str] = {PLAN_IMPORT: gettext("Importing a delivery plan")}
    for config in apps.get_app_configs():
        hook = getattr(config, "import_job_headings", None)
        if callable(hook):
            headings.update(hook())
    return headings
