"""Two finished win-back campaigns for the demo, measured from the generated sales history.

The campaign that worked is a discount for a few *shrinking* accounts (they still buy) and a
few *lost* ones, which came back: `load_comeback_orders` imports, before the snapshot, the
orders they placed after the offer (their last order before the loss, placed again), so the
loss dynamics show them regained and the campaign measures them regained. The one that did not
work is a gift for lost accounts only, dated after they went silent; none of them bought
again. Each account has one or two contact steps (activities). The outcomes are measured at
once (the background task would wait for `kam serve`'s worker).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from openkam.accounts.models import Account, TeamRole
from openkam.activities.models import Activity, ActivityKind
from openkam.catalog.models import Product
from openkam.facts import sources
from openkam.facts.generate import COLUMNS, INVOICE
from openkam.metrics.services import fact_engine, fact_store
from openkam.sales import services
from openkam.sales.models import ImportBatch
from openkam.users.models import User
from openkam.users.roles import Role
from openkam.winback import outcomes
from openkam.winback.models import Campaign, CampaignAccount, CampaignStep, ContactStatus

from .risk import accounts_at_risk

WORKED = {"shrinking": 5, "lost": 3}
FAILED_LOST = 6
COMEBACK_FILE = "demo-win-back-orders.csv"
DEMO_CAMPAIGNS = ("Come-back discount", "Welcome-back gift")


def load_winback(*, seed: int, today: dt.date) -> int:
    """Write the two campaigns and measure them; returns how many campaign accounts."""
    # again after `kam demo --reset`: the accounts are new, the old campaigns go
    Campaign.objects.filter(name__in=DEMO_CAMPAIGNS).delete()
    rng = random.Random(f"openkam-demo-winback-{seed}")
    chosen = _chosen_accounts(seed=seed, today=today)
    worked_start, failed_start = _starts(today)
    worked_ids = chosen.shrinking + chosen.comebacks
    failed_ids = chosen.failed
    if not worked_ids:
        return 0
    director = User.objects.filter(groups__name=Role.SALES_DIRECTOR.value).order_by("pk").first()
    worked = _campaign(
        name="Come-back discount",
        offer_kind="discount",
        description="8 % off every order for three months",
        start=worked_start,
        days=30,
        measure_days=60,
        cost=Decimal("400"),
        accounts=worked_ids,
        owner=director,
        rng=rng,
    )
    failed = _campaign(
        name="Welcome-back gift",
        offer_kind="gift",
        description="A hamper of the new range for the buying team",
        start=failed_start,
        days=30,
        measure_days=30,
        cost=Decimal("250"),
        accounts=failed_ids,
        owner=director,
        rng=rng,
    )
    outcomes.measure([c.pk for c in (worked, failed) if c is not None])
    return len(worked_ids) + len(failed_ids)


def _campaign(
    *,
    name: str,
    offer_kind: str,
    description: str,
    start: dt.date,
    days: int,
    measure_days: int,
    cost: Decimal,
    accounts: list[int],
    owner: User | None,
    rng: random.Random,
) -> Campaign | None:
    if not accounts:
        return None
    campaign = Campaign.objects.create(
        name=name,
        offer_kind=offer_kind,
        offer_description=description,
        budget=cost * len(accounts),
        starts_on=start,
        ends_on=start + dt.timedelta(days=days),
        measure_days=measure_days,
        owner=owner,
    )
    owners = dict(
        Account.objects.filter(team__role=TeamRole.OWNER, pk__in=accounts).values_list(
            "pk", "team__user_id"
        )
    )
    kinds = {k.code: k for k in ActivityKind.objects.filter(code__in=("call", "visit"))}
    statuses = [ContactStatus.CONTACTED, ContactStatus.ACCEPTED, ContactStatus.DECLINED]
    for account_id in accounts:
        target = CampaignAccount.objects.create(
            campaign=campaign,
            account_id=account_id,
            offer_cost=cost,
            status=rng.choice(statuses),
        )
        for step, code in enumerate(("call", "visit")[: rng.randint(1, 2)]):
            if code not in kinds:
                continue
            day = start + dt.timedelta(days=2 + 10 * step + rng.randint(0, 5))
            activity = Activity.objects.create(
                account_id=account_id,
                kind=kinds[code],
                occurred_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10))),
                subject=f"{name}: {'offer presented' if step == 0 else 'follow-up visit'}",
                outcome="Interested" if target.status == ContactStatus.ACCEPTED else "",
                author_id=owners.get(account_id),
            )
            CampaignStep.objects.create(campaign_account=target, activity=activity)
    return campaign


@dataclass(frozen=True)
class _Chosen:
    shrinking: list[int]  # in the campaign that worked; they still buy
    comebacks: list[int]  # lost, in the campaign that worked: they came back
    failed: list[int]  # lost, in the gift campaign: they did not


def _starts(today: dt.date) -> tuple[dt.date, dt.date]:
    """When the campaign that worked and the one that failed started."""
    return today - dt.timedelta(days=210), today - dt.timedelta(days=150)


def _chosen_accounts(*, seed: int, today: dt.date) -> _Chosen:
    """The campaigns' accounts, the same on every call with the same seed and day."""
    rng = random.Random(f"openkam-demo-winback-accounts-{seed}")
    worked_start, _ = _starts(today)
    risks = sorted(accounts_at_risk(seed=seed, today=today).values(), key=lambda r: r.account_id)
    shrinking = [r.account_id for r in risks if r.lost_on is None]
    lost_early = [
        r.account_id for r in risks if r.lost_on and r.lost_on < worked_start - dt.timedelta(30)
    ]
    rng.shuffle(shrinking)
    rng.shuffle(lost_early)
    return _Chosen(
        shrinking=shrinking[: WORKED["shrinking"]],
        comebacks=lost_early[: WORKED["lost"]],
        failed=lost_early[WORKED["lost"] : WORKED["lost"] + FAILED_LOST],
    )


def load_comeback_orders(*, seed: int, today: dt.date) -> ImportBatch | None:
    """Import the orders the lost accounts of the campaign that worked placed after the offer:
    twice their last order before the loss, a few weeks apart, inside the measurement window.
    Through the order import, like every sales line; before the snapshot is computed."""
    comebacks = _chosen_accounts(seed=seed, today=today).comebacks
    store = fact_store()
    if not comebacks or not store.has_order_lines():
        return None
    lines = sources.order_lines(fact_engine(), store)
    mine = lines.filter(lines.account_id.isin(comebacks) & ~lines.is_credit)
    last = mine.group_by("account_id").aggregate(last_day=mine.invoice_date.max())
    last_lines = (
        mine.join(last, [mine.account_id == last.account_id, mine.invoice_date == last.last_day])
        .select(
            "account_id",
            "product_code",
            "quantity",
            "unit_price",
            "discount",
            "net_amount",
            "cost",
            "currency",
            "country",
        )
        .to_pyarrow()
        .to_pylist()
    )
    accounts = Account.objects.in_bulk(comebacks)
    products = {
        p.code: p
        for p in Product.objects.select_related("category").filter(
            code__in={row["product_code"] for row in last_lines}
        )
    }
    worked_start, _ = _starts(today)
    rows = []
    for account_id, account in sorted(accounts.items()):
        for visit, offset in enumerate((12 + account_id % 7, 45 + account_id % 11)):
            day = min(worked_start + dt.timedelta(days=offset), today)
            for row in (r for r in last_lines if r["account_id"] == account_id):
                product = products.get(row["product_code"])
                rows.append(
                    {
                        "Invoice No": f"WB-{account.external_id}-{visit + 1}",
                        "Invoice Date": day.isoformat(),
                        "Customer No": account.external_id,
                        "Customer Name": account.name,
                        "Item Code": row["product_code"],
                        "Description": product.name if product else "",
                        "Category": product.category.name if product and product.category else "",
                        "Qty": row["quantity"],
                        "Unit Price": row["unit_price"],
                        "Discount": row["discount"],
                        "Net Amount": row["net_amount"],
                        "Cost": row["cost"],
                        "Currency": row["currency"],
                        "Country": row["country"],
                        "Doc Type": INVOICE,
                    }
                )
        note = f"Came back in {worked_start:%B %Y} after the come-back discount."
        if note not in account.environment_notes:
            account.environment_notes = f"{account.environment_notes}\n{note}".strip()
            # the status stays "lost": the demo's plans (`risk.accounts_at_risk`) read it
            account.save(update_fields=["environment_notes", "updated_at"])
    if not rows:
        return None
    settings.IMPORTS_DIR.mkdir(parents=True, exist_ok=True)
    path = settings.IMPORTS_DIR / COMEBACK_FILE
    try:
        with path.open("w", newline="", encoding="utf-8") as file:
            writer = csv.DictWriter(file, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
        batch = services.batch_prepare(actor=None, path=path, file_name=COMEBACK_FILE)
        return services.batch_run(batch.pk)
    finally:
        path.unlink(missing_ok=True)
