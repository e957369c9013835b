"""Long work by queue (config/celery.py): with TASK_QUEUES_BY_KIND on, packs, imports and email
each go to a queue of their own, through celery's own router; off, every task to the default
queue that a worker started without `-Q` takes."""

from __future__ import annotations

import pytest
from celery import current_app
from django.test import override_settings

from config.celery import DEFAULT_QUEUE, EMAIL_QUEUE, QUEUES

OURS = ("scrutiny.tasks.", "audits.tasks.", "surveys.tasks.")


def queue_of(name: str) -> str:
    """The queue celery sends task `name` to."""
    route = current_app.amqp.router.route({}, name, args=(), kwargs={})
    queue = route["queue"]
    return queue if isinstance(queue, str) else queue.name


def our_tasks() -> list[str]:
    current_app.loader.import_default_modules()
    return sorted(name for name in current_app.tasks if name.startswith(OURS))


def test_every_queued_task_exists():
    named = {name for names in QUEUES.values() for name in names}
    assert named - set(our_tasks()) == set()


@override_settings(TASK_QUEUES_BY_KIND=True)
@pytest.mark.parametrize("queue", sorted(QUEUES))
def test_packs_and_imports_go_to_their_queue(queue):
    assert {queue_of(name) for name in QUEUES[queue]} == {queue}


@override_settings(TASK_QUEUES_BY_KIND=True)
def test_every_email_task_goes_to_the_email_queue_and_nothing_else_does():
    routed = {name: queue_of(name) for name in our_tasks()}
    email = {name for name, queue in routed.items() if queue == EMAIL_QUEUE}
    assert {
        "surveys.tasks.invitations_email",
        "surveys.tasks.reminders_email",
        "audits.tasks.assignments_email",
        "audits.tasks.concern_email",
        "scrutiny.tasks.publication_email",
    } <= email
    assert "surveys.tasks.reminders_schedule" not in email  # finds whom to remind; sends none
    assert routed["scrutiny.tasks.jobs_recover"] == DEFAULT_QUEUE


def test_off_every_task_goes_to_the_default_queue():
    assert {queue_of(name) for name in our_tasks()} == {DEFAULT_QUEUE}
