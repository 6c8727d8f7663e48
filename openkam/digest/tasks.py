"""Background work of the digest (django-tasks): sending it to everyone."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from . import services
from .models import DigestRun, RunTrigger


@task()
def send_weekly_digests(
    run_id: int | None = None, as_of: str | None = None, usernames: list[str] | None = None
) -> dict:
    """Send the weekly digest: the scheduled run `run_id`, or a new run as of `as_of` (today)
    to everyone (or to `usernames`)."""
    if run_id is not None:
        run = DigestRun.objects.get(pk=run_id)
    else:
        run = services.run_create(
            trigger=RunTrigger.MANUAL,
            as_of=dt.date.fromisoformat(as_of) if as_of else None,
        )
    run = services.run_send(run, usernames=usernames)
    return {"run": run.pk, "sent": run.sent, "skipped": run.skipped, "failed": run.failed}
