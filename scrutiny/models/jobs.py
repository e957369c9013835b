"""Long work (imports, exports, packs, invitations) runs as a celery task recorded as a Job.

A page polls the job for its progress; the task updates it as it goes. Nothing about the work
itself lives here: each task calls its own service and reports through `job_progress`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("job status", "Waiting to start")
        RUNNING = "running", pgettext_lazy("job status", "In progress")
        DONE = "done", pgettext_lazy("job status", "Finished")
        FAILED = "failed", pgettext_lazy("job status", "Failed")

    kind = models.CharField(max_length=50)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done, 0 to 100.")
    message = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    worker = models.CharField(max_length=200, blank=True, help_text="Where the task ran.")
    # What to run again when the worker running it died (see scrutiny/jobs): the task's name
    # and keyword arguments, how many times it started, and when it last said it was alive.
    task = models.CharField(max_length=200, blank=True)
    arguments = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The partnership the job is the work of: its starter's when it started, kept whatever
    # becomes of them, so that its progress and result stay with that partnership's business
    # unit (scrutiny.permissions.jobs_visible_to). None for work no one of a partnership started.
    partnership = models.ForeignKey(
        "scrutiny.Partnership", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
