"""The campaigns' outcomes, measured from the sales history on the fact engine and stored on
each campaign account: pages and the API read them, never compute them per request.

Measured after every analysis (the facts may have changed) and on demand (a campaign's page);
`openkam.analytics.campaigns` does the work on the fact engine.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from openkam.analytics.campaigns import campaign_outcomes, windows_table
from openkam.facts import sources
from openkam.metrics.services import fact_engine, fact_store

from .models import Campaign, CampaignAccount

log = logging.getLogger(__name__)
CENT = Decimal("0.01")
FIELDS = ["regained", "first_purchase", "revenue_after", "margin_after", "measured_at"]


def _money(cents: int | None) -> Decimal | None:
    return None if cents is None else (Decimal(cents) * CENT).quantize(CENT)


def measure(campaign_ids: Iterable[int] | None = None) -> int:
    """Measure the campaigns (all, or those of `campaign_ids`) that have started: per account
    whether it bought again from the start until the end + the measured days, and its revenue
    and margin in that window. Returns how many campaign accounts were measured."""
    today = timezone.localdate()
    campaigns = Campaign.objects.filter(starts_on__lte=today)
    if campaign_ids is not None:
        campaigns = campaigns.filter(pk__in=list(campaign_ids))
    targets = list(
        CampaignAccount.objects.filter(campaign__in=campaigns).select_related("campaign")
    )
    if not targets:
        return 0
    store = fact_store()
    if not store.has_order_lines():
        return 0
    windows = windows_table(
        (t.pk, t.account_id, t.campaign.starts_on, t.campaign.window_end) for t in targets
    )
    lines = sources.order_lines(fact_engine(), store)
    rows = campaign_outcomes(lines, windows).to_pyarrow()
    by_key = {row["key"]: row for row in rows.to_pylist()}
    now = timezone.now()
    for target in targets:
        row = by_key.get(target.pk, {})
        target.first_purchase = row.get("first_purchase")
        target.regained = target.first_purchase is not None
        target.revenue_after = _money(row.get("revenue", 0))
        target.margin_after = _money(row.get("margin"))
        target.measured_at = now
    with transaction.atomic():
        CampaignAccount.objects.bulk_update(targets, FIELDS, batch_size=2000)
        Campaign.objects.filter(pk__in={t.campaign_id for t in targets}).update(measured_at=now)
    log.info("measured %d campaign accounts", len(targets))
    return len(targets)
