"""Background work of the sell-out app (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def recompute() -> dict:
    """Recompute every account's sell-out months and lever split (after imports and analyses)."""
    from . import services

    result = services.sellout_recompute()
    return {"accounts": result.accounts, "months": result.months, "seconds": result.seconds}
