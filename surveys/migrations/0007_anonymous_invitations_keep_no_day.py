"""An anonymous survey's invitation keeps no day: the days already kept are forgotten.

The one UPDATE rewrites every invitation of every anonymous survey in a single transaction, so
on PostgreSQL their rows no longer carry the transaction ids (`xmin`) of the submissions that
last wrote them, and no longer tell apart who answered when (docs/surveys.md).
"""

from django.db import migrations, models


def forget_started_days(apps, schema_editor):  # type: ignore[no-untyped-def]
    Invitation = apps.get_model("surveys", "Invitation")
    Invitation.objects.filter(survey__anonymous=True).update(started_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0006_invitation_language"),
    ]

    operations = [
        migrations.AlterField(
            model_name="invitation",
            name="started_at",
            field=models.DateField(
                blank=True,
                help_text="The day only, for surveys that are not anonymous only: an anonymous "
                "survey's invitation keeps no day (surveys.services.answering).",
                null=True,
            ),
        ),
        migrations.RunPython(forget_started_days, migrations.RunPython.noop),
    ]
