"""`kam generate orders`: write synthetic sales history as an ERP-style CSV export."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from openkam.catalog.models import Product as CatalogProduct
from openkam.facts.generate import (
    Customer,
    Product,
    exchange_rates,
    generate_order_lines,
    history_period,
    plan_customers,
    priced_products,
    synthetic_customers,
    synthetic_products,
    write_csv,
    write_exchange_rates,
)
from openkam.sales.demo_history import database_customers

ENTITIES = ("orders", "fx")
DEFAULT_ACCOUNTS = 300


def _iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in YYYY-MM-DD form") from error


class Command(BaseCommand):
    help = (
        "Generate synthetic data. `generate orders` writes order lines (invoices and credit "
        "notes) as an ERP-style CSV export, for demos and benchmarks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("entity", help=f"What to generate: {', '.join(ENTITIES)}.")
        parser.add_argument("--out", required=True, help="The CSV file to write.")
        parser.add_argument(
            "--lines", type=int, default=100_000, help="Number of order lines (default 100000)."
        )
        parser.add_argument(
            "--accounts",
            type=int,
            default=None,
            help=f"Number of synthetic customers (default {DEFAULT_ACCOUNTS}).",
        )
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument("--years", type=int, default=3, help="Years of history (default 3).")
        parser.add_argument(
            "--end-date",
            type=_iso_date,
            default=None,
            help="Last day of the history, YYYY-MM-DD (default today).",
        )
        parser.add_argument(
            "--from-database",
            action="store_true",
            help="Take customers from the accounts (prospects buy nothing, lost accounts stop "
            "buying) and products from the catalogue instead of inventing them.",
        )
        parser.add_argument(
            "--force", action="store_true", help="Overwrite the output file if it exists."
        )
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help="Print a JSON summary instead of a sentence.",
        )

    def handle(self, *args: Any, entity: str, **options: Any) -> None:
        if entity not in ENTITIES:
            raise CommandError(
                f"Unknown entity {entity!r}: it must be one of {', '.join(ENTITIES)}."
            )
        if entity == "fx":
            self._fx(**options)
        else:
            self._orders(**options)

    def _fx(
        self,
        *,
        out: str,
        years: int,
        end_date: dt.date | None,
        force: bool,
        as_json: bool,
        **options: Any,
    ) -> None:
        """Monthly exchange rates for the synthetic currencies, for `kam import fx`."""
        path = _output_path(out, force)
        rates = exchange_rates(
            end_date=end_date or timezone.localdate(),
            years=years,
            reporting_currency=settings.REPORTING_CURRENCY,
        )
        written = write_exchange_rates(path, rates)
        summary = {"entity": "fx", "path": str(path), "rates": written}
        self.stdout.write(
            json.dumps(summary) if as_json else f"{written} exchange rates written to {path}"
        )

    def _orders(
        self,
        *,
        out: str,
        lines: int,
        accounts: int | None,
        seed: int,
        years: int,
        end_date: dt.date | None,
        from_database: bool,
        force: bool,
        as_json: bool,
        **options: Any,
    ) -> None:
        path = _output_path(out, force)
        _check_sizes(lines, accounts, years, from_database)
        end_date = end_date or timezone.localdate()
        started = time.perf_counter()
        customers, products = self._inputs(from_database, accounts, seed)
        plans = plan_customers(customers, seed, end_date, years)
        batches = generate_order_lines(
            customers=customers,
            products=products,
            lines=lines,
            seed=seed,
            end_date=end_date,
            years=years,
            plans=plans,
        )
        buyers: set[str] = set()
        with _progress(lines) as advance:
            written = write_csv(path, _noting_customers(batches, buyers), progress=advance)
        summary = {
            "entity": "orders",
            "path": str(path),
            "lines": written,
            "customers": len(buyers),
            "lost_customers": sum(plan.lost_on is not None for plan in plans),
            "products": len(products),
            "first_date": history_period(end_date, years)[0].isoformat(),
            "last_date": end_date.isoformat(),
            "seed": seed,
            "bytes": path.stat().st_size,
            "seconds": round(time.perf_counter() - started, 2),
        }
        self._report(summary, as_json=as_json)

    def _inputs(
        self, from_database: bool, accounts: int | None, seed: int
    ) -> tuple[list[Customer], list[Product]]:
        if from_database:
            return _database_customers(), self._database_products(seed)
        customers = synthetic_customers(accounts or DEFAULT_ACCOUNTS, seed)
        return customers, synthetic_products(None, seed)

    def _database_products(self, seed: int) -> list[Product]:
        rows = (
            CatalogProduct.objects.filter(active=True)
            .order_by("code")
            .values_list("code", "name", "category__name")
        )
        products = priced_products(((c, n, cat or "") for c, n, cat in rows), seed)
        if products:
            return products
        self.stderr.write("The catalogue has no active products: using synthetic products.")
        return synthetic_products(None, seed)

    def _report(self, summary: dict[str, Any], *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(summary))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {_count(summary['lines'], 'order line')} for "
                f"{_count(summary['customers'], 'customer')} "
                f"to {summary['path']} ({summary['bytes'] / 1e6:,.1f} MB) "
                f"in {summary['seconds']:.1f} s."
            )
        )


def _output_path(out: str, force: bool) -> Path:
    path = Path(out)
    if not path.parent.is_dir():
        raise CommandError(f"The directory {path.parent} does not exist.")
    if path.is_dir():
        raise CommandError(f"{path} is a directory; give a file name.")
    if path.exists() and not force:
        raise CommandError(f"{path} already exists; use --force to overwrite it.")
    return path


def _check_sizes(lines: int, accounts: int | None, years: int, from_database: bool) -> None:
    if lines < 1:
        raise CommandError("--lines must be at least 1.")
    if years < 1:
        raise CommandError("--years must be at least 1.")
    if accounts is not None and from_database:
        raise CommandError("--accounts cannot be combined with --from-database.")
    if accounts is not None and accounts < 1:
        raise CommandError("--accounts must be at least 1.")


def _database_customers() -> list[Customer]:
    customers = database_customers()
    if not customers:
        raise CommandError("There are no accounts to generate orders for (prospects buy nothing).")
    return customers


def _noting_customers(
    batches: Iterator[pa.RecordBatch], customers: set[str]
) -> Iterator[pa.RecordBatch]:
    """The batches, adding the customer numbers they contain to `customers`."""
    for batch in batches:
        customers.update(pc.unique(batch.column("Customer No")).to_pylist())
        yield batch


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr when it is a terminal; `advance(n)` moves it by n lines."""
    console = Console(stderr=True)
    columns = (
        TextColumn("Writing order lines"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(
        *columns, console=console, transient=True, disable=not console.is_terminal
    ) as bar:
        task = bar.add_task("orders", total=total)
        yield lambda lines: bar.advance(task, lines)
