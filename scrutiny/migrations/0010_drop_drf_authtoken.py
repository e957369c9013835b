"""API tokens moved from DRF's authtoken (kept in plain text, never expiring) to knox (stored as
a hash, expiring): the old tokens' table goes, and every old token with it. Holders sign in at
`/api/token/` again for a new one."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("scrutiny", "0009_partnership_redaction_terms"),
    ]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop),
    ]
