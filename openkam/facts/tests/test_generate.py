"""The synthetic sales history: exact, deterministic, and shaped like real key accounts."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from openkam.facts.generate import (
    ANNUAL,
    COLUMNS,
    CREDIT_NOTE,
    INVOICE,
    KEY,
    LOST,
    MONTHLY,
    PROSPECT,
    QUARTERLY,
    USD_RATES,
    Customer,
    currency_for,
    generate_order_lines,
    history_period,
    plan_customers,
    synthetic_customers,
    synthetic_products,
    write_csv,
)

END = dt.date(2025, 6, 30)
SEED = 11


def _lines(customers: list[Customer], lines: int, seed: int = SEED, **kwargs) -> pa.Table:
    batches = generate_order_lines(
        customers=customers,
        products=synthetic_products(None, seed),
        lines=lines,
        seed=seed,
        end_date=END,
        **kwargs,
    )
    return pa.Table.from_batches(list(batches))


@pytest.fixture(scope="module")
def customers() -> list[Customer]:
    return synthetic_customers(200, SEED)


@pytest.fixture(scope="module")
def table(customers: list[Customer]) -> pa.Table:
    return _lines(customers, 60_000)


@pytest.fixture(scope="module")
def plans(customers: list[Customer]) -> dict:
    return {p.key: p for p in plan_customers(customers, SEED, END, 3)}


def _rows(table: pa.Table) -> list[dict]:
    return table.to_pylist()


def _usd(row: dict) -> float:
    return float(row["Net Amount"]) / USD_RATES[row["Currency"]]


# -- Shape --------------------------------------------------------------------------------


@pytest.mark.parametrize("lines", [1, 7, 999, 12_345])
def test_exact_line_count(customers: list[Customer], lines: int) -> None:
    assert _lines(customers, lines).num_rows == lines


def test_batches_are_bounded_and_independent_of_their_size(customers: list[Customer]) -> None:
    small = _lines(customers, 20_000, chunk_lines=3_000)
    assert small.equals(_lines(customers, 20_000))
    batches = list(
        generate_order_lines(
            customers=customers,
            products=synthetic_products(None, SEED),
            lines=20_000,
            seed=SEED,
            end_date=END,
            chunk_lines=3_000,
        )
    )
    assert len(batches) >= 6
    assert max(b.num_rows for b in batches) <= 3_000 + 12


def test_csv_header_and_format(tmp_path: Path, customers: list[Customer]) -> None:
    path = tmp_path / "orders.csv"
    batches = generate_order_lines(
        customers=customers,
        products=synthetic_products(None, SEED),
        lines=2_000,
        seed=SEED,
        end_date=END,
    )
    seen: list[int] = []
    assert write_csv(path, batches, progress=seen.append) == 2_000
    assert sum(seen) == 2_000
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(COLUMNS)
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) == 2_000
    for row in rows:
        dt.date.fromisoformat(row["Invoice Date"])
        for money in ("Unit Price", "Discount", "Net Amount", "Cost"):
            assert Decimal(row[money]).as_tuple().exponent == -2, row[money]
        assert Decimal(row["Qty"]) * Decimal(row["Unit Price"]) - Decimal(
            row["Discount"]
        ) == Decimal(row["Net Amount"])
        assert row["Doc Type"] in (INVOICE, CREDIT_NOTE)


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    def write(name: str, seed: int) -> bytes:
        customers = synthetic_customers(50, seed)
        batches = generate_order_lines(
            customers=customers,
            products=synthetic_products(None, seed),
            lines=3_000,
            seed=seed,
            end_date=END,
        )
        write_csv(tmp_path / name, batches)
        return (tmp_path / name).read_bytes()

    assert write("a.csv", 5) == write("b.csv", 5)
    assert write("c.csv", 6) != write("a.csv", 5)


def test_write_csv_leaves_nothing_behind_on_failure(tmp_path: Path) -> None:
    def broken():
        yield from _lines(synthetic_customers(10, 1), 100).to_batches()
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_csv(tmp_path / "orders.csv", broken())
    assert list(tmp_path.iterdir()) == []


def test_dates_within_period_and_invoices_of_one_to_twelve_lines(table: pa.Table) -> None:
    start, end = history_period(END, 3)
    assert pc.min(table["Invoice Date"]).as_py() >= start
    assert pc.max(table["Invoice Date"]).as_py() <= end
    sizes = table.group_by("Invoice No").aggregate([("Qty", "count")])["Qty_count"]
    assert pc.min(sizes).as_py() >= 1
    assert pc.max(sizes).as_py() <= 12


def test_history_period_handles_leap_days() -> None:
    assert history_period(dt.date(2024, 2, 29), 1) == (dt.date(2023, 3, 1), dt.date(2024, 2, 29))


# -- Credit notes -------------------------------------------------------------------------


def test_credit_notes_are_few_negative_and_credit_an_earlier_invoice(table: pa.Table) -> None:
    rows = _rows(table)
    invoices = {(r["Invoice No"], r["Item Code"]): r for r in rows if r["Doc Type"] == INVOICE}
    credits = [r for r in rows if r["Doc Type"] == CREDIT_NOTE]
    assert 0.01 * len(rows) <= len(credits) <= 0.02 * len(rows)
    for credit in credits:
        assert credit["Qty"] < 0
        assert credit["Net Amount"] < 0
        assert credit["Invoice No"].startswith("CN-")
        original = invoices[(credit["Invoice No"].replace("CN-", "INV-"), credit["Item Code"])]
        assert original["Customer No"] == credit["Customer No"]
        assert original["Invoice Date"] < credit["Invoice Date"]
        assert -credit["Qty"] <= original["Qty"]
        assert credit["Unit Price"] == original["Unit Price"]


# -- Customers ----------------------------------------------------------------------------


def test_currencies_follow_countries(table: pa.Table, customers: list[Customer]) -> None:
    pairs = set(zip(table["Country"].to_pylist(), table["Currency"].to_pylist(), strict=True))
    assert pairs == {(c.country, currency_for(c.country)) for c in customers} & pairs
    assert {("TH", "THB"), ("VN", "VND"), ("RS", "RSD"), ("PH", "PHP")} <= pairs
    assert currency_for("DE") == "EUR"
    assert currency_for("SG") == "USD"


def test_synthetic_customers_are_unique_and_mostly_in_the_four_countries() -> None:
    customers = synthetic_customers(1_000, 3)
    assert len({c.key for c in customers}) == len({c.name for c in customers}) == 1_000
    main = sum(c.country in {"TH", "VN", "RS", "PH"} for c in customers)
    assert main >= 850
    assert 40 <= sum(c.status == LOST for c in customers) <= 130


def test_synthetic_products_follow_the_demo_catalogue() -> None:
    products = synthetic_products(60, 1)
    assert products[0].code == "SKU-0001"
    assert len({p.code for p in products}) == len({p.name for p in products}) == 60
    assert len({p.category for p in products}) == 8
    assert all(0 < p.cost_ratio < 1 and p.list_price > 0 for p in products)


def test_pareto_top_fifth_of_customers_bring_most_revenue() -> None:
    table = _lines(synthetic_customers(2_000, 7), 40_000, seed=7)
    revenue: dict[str, float] = defaultdict(float)
    for row in _rows(table.select(["Customer No", "Net Amount", "Currency"])):
        revenue[row["Customer No"]] += _usd(row)
    ranked = sorted(revenue.values(), reverse=True)
    top = ranked[: len(ranked) // 5]
    assert sum(top) / sum(ranked) >= 0.6


def test_lost_customers_stop_buying(table: pa.Table, plans: dict) -> None:
    lost = {key: p for key, p in plans.items() if p.lost_on}
    assert lost
    assert all(p.lost_to for p in lost.values())
    last: dict[str, dt.date] = {}
    for row in _rows(table.select(["Customer No", "Invoice Date"])):
        key = row["Customer No"]
        last[key] = max(last.get(key, row["Invoice Date"]), row["Invoice Date"])
    assert all(last[key] <= p.lost_on for key, p in lost.items() if key in last)
    active_last = [last[k] for k, p in plans.items() if not p.lost_on and p.pattern == MONTHLY]
    assert max(active_last) > max(p.lost_on for p in lost.values())


def test_customers_lost_before_their_first_project_stop_too() -> None:
    customers = [replace(c, pattern=ANNUAL, status=LOST) for c in synthetic_customers(30, 2)]
    plans = {p.key: p for p in plan_customers(customers, 2, END, 1)}
    table = _lines(customers, 3_000, seed=2, years=1)
    assert table.num_rows == 3_000
    for row in _rows(table.select(["Customer No", "Invoice Date"])):
        assert row["Invoice Date"] <= plans[row["Customer No"]].lost_on


def test_monthly_buyers_buy_in_most_months(table: pa.Table, plans: dict) -> None:
    invoices = table.filter(pc.equal(table["Doc Type"], INVOICE))
    months: dict[str, set] = defaultdict(set)
    lines: dict[str, int] = defaultdict(int)
    for row in _rows(invoices.select(["Customer No", "Invoice Date"])):
        months[row["Customer No"]].add(row["Invoice Date"].strftime("%Y-%m"))
        lines[row["Customer No"]] += 1
    monthly = [k for k, p in plans.items() if p.pattern == MONTHLY and not p.lost_on]
    regular = [k for k in monthly if lines[k] >= 2 * 37]
    assert len(regular) >= 10
    assert all(len(months[k]) >= 33 for k in regular)
    quarterly = [k for k, p in plans.items() if p.pattern == QUARTERLY and lines[k] >= 50]
    assert all(len(months[k]) <= 13 for k in quarterly)
    annual = [k for k, p in plans.items() if p.pattern == ANNUAL and lines[k] >= 10]
    assert all(len(months[k]) <= 4 for k in annual)


def test_hagglers_get_deeper_discounts(table: pa.Table, plans: dict) -> None:
    rates: dict[bool, list[float]] = defaultdict(list)
    invoices = table.filter(pc.equal(table["Doc Type"], INVOICE))
    for row in _rows(invoices.select(["Customer No", "Qty", "Unit Price", "Discount"])):
        gross = row["Qty"] * row["Unit Price"]
        rates[plans[row["Customer No"]].haggler].append(float(row["Discount"] / gross))
    haggler, other = (sum(rates[h]) / len(rates[h]) for h in (True, False))
    assert haggler > 0.1
    assert other < 0.03
    assert max(rates[False]) <= 0.0301


def test_plans_honour_status_and_pattern() -> None:
    base = synthetic_customers(40, 2)
    customers = [
        replace(base[0], status=PROSPECT),
        replace(base[1], status=KEY),
        replace(base[2], status=LOST),
        replace(base[3], pattern=""),
        *base[4:],
    ]
    plans = plan_customers(customers, 2, END, 3)
    assert plans == plan_customers(customers, 2, END, 3)
    assert plans[0].size == 0
    assert plans[2].lost_on is not None and plans[2].lost_to
    assert plans[3].pattern in {"monthly", "quarterly", "annual", "irregular"}
    assert all(p.pattern == c.pattern for p, c in zip(plans[4:], customers[4:], strict=True))
    keys = set(_lines(customers, 3_000, seed=2)["Customer No"].to_pylist())
    assert customers[0].key not in keys


def test_rejects_impossible_requests(customers: list[Customer]) -> None:
    products = synthetic_products(None, 1)
    with pytest.raises(ValueError):
        generate_order_lines(customers=customers, products=[], lines=10, seed=1, end_date=END)
    prospects = [replace(c, status=PROSPECT) for c in customers]
    with pytest.raises(ValueError):
        generate_order_lines(customers=prospects, products=products, lines=10, seed=1, end_date=END)
    with pytest.raises(ValueError):
        generate_order_lines(
            customers=customers, products=products, lines=10, seed=1, end_date=END, years=0
        )
