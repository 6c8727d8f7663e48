"""Demo sales history: ~3 years of order lines for the demo accounts, imported for real.

The lines are generated as an ERP export (openkam.facts.generate) and go through the same
import as a user's file, so the demo exercises the whole path.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable

from django.conf import settings
from django.db import transaction

from openkam.accounts.models import Account, AccountStatus
from openkam.catalog.models import Product as CatalogProduct
from openkam.facts.generate import (
    Customer,
    Product,
    currency_for,
    exchange_rates,
    generate_order_lines,
    plan_customers,
    priced_products,
    synthetic_products,
    write_csv,
)
from openkam.metrics.models import Snapshot
from openkam.sellout.models import SelloutImport

from . import services
from .models import ExchangeRate, ImportBatch

Progress = Callable[[float, str], None]


def database_customers() -> list[Customer]:
    """Every account that buys (prospects do not), in a stable order: plans depend on it."""
    rows = (
        Account.objects.exclude(status=AccountStatus.PROSPECT)
        .order_by("pk")
        .values_list("external_id", "name", "country", "reporting_currency", "status")
    )
    return [
        Customer(
            key=external_id,
            name=name,
            country=str(country or ""),
            currency=currency or currency_for(str(country or "")),
            status=status,
        )
        for external_id, name, country, currency, status in rows
    ]


def database_products(seed: int) -> list[Product]:
    rows = (
        CatalogProduct.objects.filter(active=True)
        .order_by("code")
        .values_list("code", "name", "category__name")
    )
    return priced_products(((c, n, cat or "") for c, n, cat in rows), seed) or synthetic_products(
        None, seed
    )


@transaction.atomic
def store_exchange_rates(end_date: dt.date, years: int) -> int:
    rates = exchange_rates(
        end_date=end_date, years=years, reporting_currency=settings.REPORTING_CURRENCY
    )
    ExchangeRate.objects.bulk_create(
        [ExchangeRate(currency=c, valid_from=d, rate=r) for c, d, r in rates],
        update_conflicts=True,
        unique_fields=["currency", "valid_from"],
        update_fields=["rate"],
    )
    return len(rates)


def reset_sales_history() -> None:
    """Delete the order and sell-out imports, their facts and every analysis made of them."""
    Snapshot.objects.all().delete()  # with their metrics, series and what-if basis
    SelloutImport.objects.all().delete()
    ImportBatch.objects.all().delete()
    ExchangeRate.objects.all().delete()
    shutil.rmtree(settings.FACTS_DIR, ignore_errors=True)
    shutil.rmtree(settings.IMPORTS_DIR, ignore_errors=True)


def load_demo_sales_history(
    *,
    seed: int,
    lines: int,
    end_date: dt.date,
    years: int = 3,
    progress: Progress | None = None,
) -> ImportBatch:
    """Generate and import the demo order lines; lost accounts get a note of where they went."""
    report = progress or (lambda fraction, phase: None)
    customers = database_customers()
    plans = plan_customers(customers, seed, end_date, years)
    store_exchange_rates(end_date, years)
    settings.IMPORTS_DIR.mkdir(parents=True, exist_ok=True)
    path = settings.IMPORTS_DIR / "demo-orders.csv"
    written = [0]

    def generated(count: int) -> None:
        written[0] += count
        report(0.3 * written[0] / lines, "generating")

    batches = generate_order_lines(
        customers=customers,
        products=database_products(seed),
        lines=lines,
        seed=seed,
        end_date=end_date,
        years=years,
        plans=plans,
    )
    write_csv(path, batches, progress=generated)
    try:
        batch = services.batch_prepare(actor=None, path=path, file_name="demo-orders.csv")
        batch = services.batch_run(batch.pk, progress=lambda f, phase: report(0.3 + 0.7 * f, phase))
    finally:
        path.unlink(missing_ok=True)
    _note_losses(customers, plans)
    return batch


def _note_losses(customers: list[Customer], plans) -> None:
    for customer, plan in zip(customers, plans, strict=True):
        if plan.lost_on is None or not customer.key:
            continue
        account = Account.objects.filter(external_id=customer.key).first()
        if account is None:
            continue
        note = f"Stopped buying in {plan.lost_on:%B %Y}; went to {plan.lost_to}."
        if note not in account.environment_notes:
            account.environment_notes = f"{account.environment_notes}\n{note}".strip()
            account.status = AccountStatus.LOST
            account.save(update_fields=["environment_notes", "status", "updated_at"])
