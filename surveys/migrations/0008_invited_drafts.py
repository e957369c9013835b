"""An anonymous survey's invitation holds nothing of its answering: its keyed draft does.

On PostgreSQL a row carries the id of the transaction that last wrote it (`xmin`). Submitting
wrote the response and marked the invitation answered in one transaction, and each page saved
wrote the invitation just before; so the transaction ids linked invitations to responses. From
now on, while someone invited to an anonymous survey answers, only an `OpenDraft` under a key
only the secret key computes (`surveys.models.invited_draft_key`) is written.

Here each invitation of an anonymous survey that was answered or holds a draft has its state
moved to its keyed draft (created in the order of their keys, which is no order of the
invitations'), and then one UPDATE rewrites every invitation of every anonymous survey, so that
their rows no longer carry the transaction ids of the submissions that last wrote them.
"""

import datetime as dt

from django.db import migrations, models
from django.db.models import Q
from django.utils.crypto import salted_hmac


def invited_draft_key(invitation_pk: int) -> str:
    """surveys.models.invited_draft_key as it is at this migration (a migration keeps its own
    copy, so that a later change to the model's cannot change what this one did)."""
    return salted_hmac("surveys.invited-draft", str(invitation_pk), algorithm="sha256").hexdigest()


def invited_drafts_move(apps, schema_editor):  # type: ignore[no-untyped-def]
    Invitation = apps.get_model("surveys", "Invitation")
    OpenDraft = apps.get_model("surveys", "OpenDraft")
    anonymous = Invitation.objects.filter(survey__anonymous=True)
    held = anonymous.filter(
        Q(answered=True) | Q(draft_version__isnull=False) | ~Q(current_step="")
    ).select_related("survey")
    drafts = []
    for invitation in held:
        answered = invitation.answered
        drafts.append(
            OpenDraft(
                survey_id=invitation.survey_id,
                key_sha256=invited_draft_key(invitation.pk),
                by_invitation=True,
                answered=answered,
                draft_version_id=None if answered else invitation.draft_version_id,
                draft_values={} if answered else invitation.draft_values,
                current_step="" if answered else invitation.current_step,
                agency_id=None if answered else invitation.agency_id,
                role_id=None if answered else invitation.role_id,
                started_at=invitation.survey.opens_at.astimezone(dt.UTC).date(),
            )
        )
    drafts.sort(key=lambda draft: draft.key_sha256)
    existing = OpenDraft.objects.filter(key_sha256__in=[d.key_sha256 for d in drafts])
    existing.update(by_invitation=True)  # a key only an invitation's can be (run again)
    kept = set(existing.values_list("key_sha256", flat=True))
    OpenDraft.objects.bulk_create([d for d in drafts if d.key_sha256 not in kept])
    anonymous.update(
        answered=False,
        draft_version=None,
        draft_values={},
        current_step="",
        used_at=None,
        started_at=None,
        response=None,
    )


def invited_drafts_return(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Back to 0007: each keyed draft's state onto its invitation again (the code before this
    migration reads it there), and the keyed drafts gone, so that no one answered is reminded
    or answers twice, and no draft in progress is lost."""
    Invitation = apps.get_model("surveys", "Invitation")
    OpenDraft = apps.get_model("surveys", "OpenDraft")
    keyed = {d.key_sha256: d for d in OpenDraft.objects.filter(by_invitation=True)}
    returned = []
    for invitation in Invitation.objects.filter(survey__anonymous=True):
        draft = keyed.get(invited_draft_key(invitation.pk))
        if draft is None:
            continue
        Invitation.objects.filter(pk=invitation.pk).update(
            answered=draft.answered,
            draft_version_id=draft.draft_version_id,
            draft_values=draft.draft_values,
            current_step=draft.current_step,
        )
        returned.append(draft.pk)
    # Only those returned: one no invitation's key matches (the secret key changed since) is
    # the only record of who answered, should the old key come back.
    OpenDraft.objects.filter(pk__in=returned).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0007_anonymous_invitations_keep_no_day"),
    ]

    operations = [
        migrations.AddField(
            model_name="opendraft",
            name="by_invitation",
            field=models.BooleanField(
                default=False,
                help_text="The answering of an anonymous survey's invitation, kept apart from it.",
            ),
        ),
        migrations.AlterField(
            model_name="opendraft",
            name="used_at",
            field=models.DateField(
                blank=True,
                help_text="The day the answers were submitted (none for an invitation's).",
                null=True,
            ),
        ),
        migrations.RunPython(invited_drafts_move, invited_drafts_return),
    ]
