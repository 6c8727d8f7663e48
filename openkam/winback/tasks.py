"""Background work of the win-back app (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def measure_campaigns(campaign_id: int | None = None) -> dict:
    """Measure one campaign's outcomes (on demand) or every campaign's (after an analysis)."""
    from . import outcomes

    measured = outcomes.measure(None if campaign_id is None else [campaign_id])
    return {"campaign": campaign_id, "accounts": measured}
