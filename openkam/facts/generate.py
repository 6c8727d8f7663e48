"""Synthetic sales history: order lines as an ERP export gives them, for demos and benchmarks.

`synthetic_customers` and `synthetic_products` invent a customer base and a catalogue
(`priced_products` prices a catalogue from elsewhere, e.g. the database); `plan_customers`
decides how each customer buys: its size, rhythm, trend and haggling, and whether and when it
is lost and to whom.
`generate_order_lines` turns customers, products and plans into invoice and credit-note lines,
in Arrow record batches of bounded size; `write_csv` writes them to a file atomically.

Everything is a function of the seed. A line's product, quantity and discount are hashed from
the seed and the line's position in the history, so the output does not depend on how the
lines are cut into batches.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from openkam.demo.names import COMPETITORS, COUNTRY_SHARES, PRODUCTS

COLUMNS: tuple[str, ...] = (
    "Invoice No",
    "Invoice Date",
    "Customer No",
    "Customer Name",
    "Item Code",
    "Description",
    "Category",
    "Qty",
    "Unit Price",
    "Discount",
    "Net Amount",
    "Cost",
    "Currency",
    "Country",
    "Doc Type",
)
INVOICE = "INV"
CREDIT_NOTE = "CN"
CHUNK_LINES = 500_000

MONTHLY, QUARTERLY, ANNUAL, IRREGULAR = "monthly", "quarterly", "annual", "irregular"
PATTERNS: tuple[str, ...] = (MONTHLY, QUARTERLY, ANNUAL, IRREGULAR)
PATTERN_SHARES = (0.35, 0.25, 0.15, 0.25)
# Regular buyers tend to be the big ones.
PATTERN_SIZE = {MONTHLY: 1.6, QUARTERLY: 1.0, ANNUAL: 0.6, IRREGULAR: 0.5}

# The values of openkam.accounts.models.AccountStatus, which this Django-free module cannot import.
ACTIVE, KEY, LOST, PROSPECT = "active", "key", "lost", "prospect"

CURRENCY_BY_COUNTRY: dict[str, str] = {
    "TH": "THB",
    "VN": "VND",
    "RS": "RSD",
    "PH": "PHP",
    "DE": "EUR",
}
# Units of each currency per US dollar: list prices are in USD, invoices in the customer's currency.
USD_RATES: dict[str, float] = {
    "USD": 1.0,
    "THB": 35.0,
    "VND": 25_000.0,
    "RSD": 108.0,
    "PHP": 57.0,
    "EUR": 0.92,
    "MYR": 4.6,
    "SGD": 1.35,
    "IDR": 16_000.0,
    "GBP": 0.79,
    "CHF": 0.88,
    "JPY": 150.0,
    "CNY": 7.2,
    "AUD": 1.5,
}
# Currencies without minor units in practice: amounts are whole, unit prices whole hundreds.
WHOLE_CURRENCIES = frozenset({"VND", "IDR", "JPY", "KRW"})

LOST_SHARE = 0.08
CREDIT_SHARE = 0.015
SIZE_SIGMA = 1.7
KEY_ACCOUNT_BOOST = 4.0
LINES_EXPONENT = 0.7  # lines ∝ size^0.7, quantities ∝ size^0.3: revenue ∝ size
HAGGLER_SHARE = 0.25
PRICE_RISE = 0.03  # list prices rise 3 % every calendar year
MAX_LINES_PER_INVOICE = 12

# Demand by calendar month: a Q4 peak, holiday dips (Tết, Songkran, summer, Christmas).
BASE_SEASON = (0.9, 0.95, 1.0, 0.95, 1.0, 1.0, 0.95, 0.95, 1.05, 1.15, 1.3, 1.4)
HOLIDAY_DIPS: dict[str, dict[int, float]] = {
    "TH": {4: 0.55},
    "VN": {2: 0.5},
    "RS": {1: 0.7, 8: 0.8},
    "PH": {4: 0.8},
    "DE": {8: 0.75, 12: 0.85},
    "MY": {4: 0.8},
    "ID": {4: 0.75},
    "SG": {2: 0.85},
}
# When annual buyers run their project: budget year-ends and Q4 are favourites.
PROJECT_MONTHS = (1, 1, 2, 1, 1, 2, 1, 1, 2, 3, 3, 3)

CATEGORY_PRICES: dict[str, tuple[float, float]] = {
    "Beverages": (6, 25),
    "Coffee & tea": (12, 80),
    "Snacks": (10, 40),
    "Dairy": (12, 45),
    "Personal care": (15, 60),
    "Household cleaning": (10, 50),
    "Professional hygiene": (25, 150),
    "Food service": (15, 90),
}
DEFAULT_PRICES = (10.0, 100.0)
PRODUCT_VARIANTS = ("Value Pack", "Family Pack", "Bulk", "Twin Pack", "Mini", "Export")

_PREFIXES: dict[str, tuple[str, ...]] = {
    "TH": ("Siam", "Chao Phraya", "Lanna", "Krung Thep", "Rattana", "Sukhothai", "Andaman"),
    "VN": ("Saigon", "Mekong", "Hoang Long", "Sao Mai", "Thanh Cong", "Hong Ha", "Phu Gia"),
    "RS": ("Dunav", "Morava", "Vojvodina", "Beogradska", "Zlatibor", "Sava", "Fruska"),
    "PH": ("Luzon", "Visayas", "Bayanihan", "Maharlika", "Mindanao", "Manila Bay", "Ilustre"),
    "MY": ("Klang", "Permata", "Seri Wangsa"),
    "SG": ("Merlion", "Orchard", "Harbourfront"),
    "ID": ("Nusantara", "Sinar Jaya", "Bintang"),
    "DE": ("Nordstern", "Rheinland", "Alpen"),
    "US": ("Pacific Crest", "Lakeshore", "Redwood"),
}
_TRADES = (
    "Retail",
    "Trading",
    "Foods",
    "Supermarket",
    "Hospitality",
    "Distribution",
    "Mart",
    "Wholesale",
    "Hotels",
    "Catering",
    "Pharmacy",
    "Industries",
)
_LEGAL = {
    "TH": "Co., Ltd.",
    "VN": "JSC",
    "RS": "d.o.o.",
    "PH": "Inc.",
    "MY": "Sdn Bhd",
    "SG": "Pte Ltd",
    "ID": "Tbk",
    "DE": "GmbH",
    "US": "LLC",
}

_EPOCH = dt.date(1970, 1, 1)
_STREAM_CUSTOMERS, _STREAM_PRODUCTS, _STREAM_PLAN, _STREAM_LINES, _STREAM_HASH = range(1, 6)
_FIELD_PRODUCT, _FIELD_QTY, _FIELD_ANGLE, _FIELD_DISCOUNT, _FIELD_RATE, _FIELD_RETURN = range(6)


@dataclass(frozen=True)
class Customer:
    """A customer as the ERP knows it. An empty `pattern` lets `plan_customers` choose one."""

    key: str
    name: str
    country: str
    currency: str
    pattern: str = ""
    status: str = ACTIVE


@dataclass(frozen=True)
class Product:
    """A product; `list_price` is in US dollars, converted to each customer's currency."""

    code: str
    name: str
    category: str
    list_price: float
    cost_ratio: float


@dataclass(frozen=True)
class CustomerPlan:
    """How a customer buys over the period.

    `size` weighs its share of revenue (0: buys nothing); `trend` multiplies its volume every
    year; discounts are fractions of the gross amount, given on `discount_share` of its lines.
    `order_day` is its usual day of the month; `order_month` is the project month (1–12) of an
    annual buyer and the month within the quarter (1–3) of a quarterly one. A lost customer
    buys nothing after `lost_on` and went to `lost_to`.
    """

    key: str
    pattern: str
    size: float
    trend: float
    haggler: bool
    discount_share: float
    discount_low: float
    discount_high: float
    basket: int
    order_day: int
    order_month: int
    lost_on: dt.date | None = None
    lost_to: str | None = None


def currency_for(country: str) -> str:
    """The invoicing currency of a customer in `country`."""
    return CURRENCY_BY_COUNTRY.get(country, "USD")


def history_period(end_date: dt.date, years: int) -> tuple[dt.date, dt.date]:
    """The first and last day of `years` years of history ending on `end_date`."""
    try:
        before = end_date.replace(year=end_date.year - years)
    except ValueError:  # 29 February
        before = end_date.replace(year=end_date.year - years, day=28)
    return before + dt.timedelta(days=1), end_date


def _rng(seed: int, stream: int) -> np.random.Generator:
    return np.random.default_rng([stream, seed % 2**64])


# -- Customers and products -----------------------------------------------------------------


def synthetic_customers(n: int, seed: int) -> list[Customer]:
    """`n` invented customers, mostly in TH/VN/RS/PH, about 8 % of them lost."""
    rng = _rng(seed, _STREAM_CUSTOMERS)
    countries = list(COUNTRY_SHARES)
    shares = np.array(list(COUNTRY_SHARES.values()))
    drawn = rng.choice(len(countries), size=n, p=shares / shares.sum())
    patterns = rng.choice(len(PATTERNS), size=n, p=PATTERN_SHARES)
    lost = rng.random(n) < LOST_SHARE
    picks = rng.integers(0, 2**31, size=(n, 2))
    used: Counter[str] = Counter()
    customers = []
    for i in range(n):
        country = countries[drawn[i]]
        customers.append(
            Customer(
                key=f"C{i + 1:06d}",
                name=_customer_name(country, picks[i], used),
                country=country,
                currency=currency_for(country),
                pattern=PATTERNS[patterns[i]],
                status=LOST if lost[i] else ACTIVE,
            )
        )
    return customers


def _customer_name(country: str, picks: np.ndarray, used: Counter[str]) -> str:
    """A name like Siam Retail Co., Ltd., numbered when taken: Siam Retail 2 Co., Ltd."""
    prefixes = _PREFIXES[country]
    base = f"{prefixes[picks[0] % len(prefixes)]} {_TRADES[picks[1] % len(_TRADES)]}"
    used[base] += 1
    name = base if used[base] == 1 else f"{base} {used[base]}"
    return f"{name} {_LEGAL[country]}"


def synthetic_products(n: int | None, seed: int) -> list[Product]:
    """`n` products (default: the demo catalogue, SKU-0001…SKU-0057, in 8 categories)."""
    catalogue = [(name, category) for _c, category, _u, names in PRODUCTS for name in names]
    count = len(catalogue) if n is None else n
    items = []
    for i in range(count):
        name, category = catalogue[i % len(catalogue)]
        items.append((f"SKU-{i + 1:04d}", _variant(name, i // len(catalogue)), category))
    return priced_products(items, seed)


def _variant(name: str, variant: int) -> str:
    """The name of the `variant`-th repetition of a catalogue product (0: the product)."""
    if not variant:
        return name
    label = PRODUCT_VARIANTS[(variant - 1) % len(PRODUCT_VARIANTS)]
    round_ = (variant - 1) // len(PRODUCT_VARIANTS)
    return f"{name} {label}" + (f" {round_ + 1}" if round_ else "")


def priced_products(items: Iterable[tuple[str, str, str]], seed: int) -> list[Product]:
    """Products from (code, name, category) with invented list prices and cost ratios."""
    rng = _rng(seed, _STREAM_PRODUCTS)
    products = []
    for code, name, category in items:
        low, high = CATEGORY_PRICES.get(category, DEFAULT_PRICES)
        price = float(np.exp(rng.uniform(np.log(low), np.log(high))))
        products.append(
            Product(
                code=code,
                name=name,
                category=category,
                list_price=round(price * 20) / 20,
                cost_ratio=round(float(rng.uniform(0.45, 0.78)), 2),
            )
        )
    return products


# -- Plans ----------------------------------------------------------------------------------


def plan_customers(
    customers: Sequence[Customer], seed: int, end_date: dt.date, years: int
) -> list[CustomerPlan]:
    """How each customer buys. Honours each customer's pattern and status: key accounts are
    bigger, prospects buy nothing, lost customers stop on a day between 30 % and 90 % of the
    period."""
    start, end = history_period(end_date, years)
    draws = _plan_draws(_rng(seed, _STREAM_PLAN), len(customers))
    rows = [dict(zip(draws, values, strict=True)) for values in zip(*draws.values(), strict=True)]
    span = (end - start).days
    return [_plan(c, row, start, span) for c, row in zip(customers, rows, strict=True)]


def _plan_draws(rng: np.random.Generator, n: int) -> dict[str, list]:
    size = np.exp(SIZE_SIGMA * np.clip(rng.standard_normal(n), -3, 3))
    haggler = rng.random(n) < HAGGLER_SHARE
    share, low, high = _discount_terms(rng, haggler)
    projects = np.array(PROJECT_MONTHS) / sum(PROJECT_MONTHS)
    draws = {
        "pattern": rng.choice(len(PATTERNS), size=n, p=PATTERN_SHARES),
        "size": size,
        "trend": np.clip(np.exp(rng.normal(0.05, 0.18, n)), 0.7, 1.5).round(3),
        "haggler": haggler,
        "share": share,
        "low": low,
        "high": high,
        "basket": np.clip(np.rint(rng.normal(3.5, 1.5, n) + 1.2 * np.log1p(size)), 1, 12),
        "day": rng.integers(1, 29, n),
        "project": rng.choice(12, size=n, p=projects) + 1,
        "quarter": rng.choice(3, size=n, p=(0.25, 0.25, 0.5)) + 1,
        "lost_after": rng.uniform(0.3, 0.9, n),
        "lost_to": rng.integers(0, len(COMPETITORS), n),
    }
    return {name: values.tolist() for name, values in draws.items()}


def _plan(customer: Customer, draw: dict[str, Any], start: dt.date, span: int) -> CustomerPlan:
    pattern = customer.pattern or PATTERNS[int(draw["pattern"])]
    boost = KEY_ACCOUNT_BOOST if customer.status == KEY else 1.0
    lost = customer.status == LOST
    return CustomerPlan(
        key=customer.key,
        pattern=pattern,
        size=0.0
        if customer.status == PROSPECT
        else float(draw["size"]) * PATTERN_SIZE[pattern] * boost,
        trend=float(draw["trend"]),
        haggler=bool(draw["haggler"]),
        discount_share=float(draw["share"]),
        discount_low=float(draw["low"]),
        discount_high=float(draw["high"]),
        basket=int(draw["basket"]),
        order_day=int(draw["day"]),
        order_month=int(draw["project"] if pattern == ANNUAL else draw["quarter"]),
        lost_on=start + dt.timedelta(days=int(span * float(draw["lost_after"]))) if lost else None,
        lost_to=COMPETITORS[int(draw["lost_to"])] if lost else None,
    )


def _discount_terms(
    rng: np.random.Generator, haggler: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(share of discounted lines, lowest, highest discount) per customer."""
    n = len(haggler)
    share = np.where(haggler, rng.uniform(0.7, 0.95, n), rng.uniform(0.05, 0.3, n))
    low = np.where(haggler, rng.uniform(0.10, 0.15, n), 0.005)
    high = np.where(haggler, rng.uniform(0.25, 0.35, n), rng.uniform(0.015, 0.03, n))
    return share.round(3), low.round(3), high.round(3)


# -- Documents: invoices and credit notes ---------------------------------------------------


@dataclass(frozen=True)
class _Customers:
    """The plans as arrays, one element per customer."""

    pattern: np.ndarray
    size: np.ndarray
    trend: np.ndarray
    basket: np.ndarray
    order_day: np.ndarray
    order_month: np.ndarray
    first_day: np.ndarray
    last_day: np.ndarray
    season: np.ndarray  # (customers, 12)
    currency: np.ndarray  # index into the batch's currency list
    qty_scale: np.ndarray
    breadth: np.ndarray
    preference: np.ndarray  # (customers, products): products in order of preference
    discount_share: np.ndarray
    discount_low: np.ndarray
    discount_high: np.ndarray


@dataclass(frozen=True)
class _Documents:
    """Invoices and credit notes in file order, one element per document.

    Each document repeats (an invoice) or credits (a credit note) `count` lines of one invoice:
    that invoice's `ref_count` lines have the line ids `ref_first`, `ref_first + 1`, ..., and the
    document takes them from position `ref_start` on, wrapping around. `ref_day` is the
    invoice's date, which sets the list price.
    """

    day: np.ndarray
    customer: np.ndarray
    number: np.ndarray
    credit: np.ndarray
    count: np.ndarray
    ref_first: np.ndarray
    ref_count: np.ndarray
    ref_start: np.ndarray
    ref_day: np.ndarray


def _days(day: dt.date) -> int:
    return (day - _EPOCH).days


def _customer_arrays(
    customers: Sequence[Customer],
    plans: Sequence[CustomerPlan],
    products: int,
    currencies: list[str],
    period: tuple[dt.date, dt.date],
    rng: np.random.Generator,
) -> _Customers:
    first, last = _days(period[0]), _days(period[1])
    size = np.array([p.size for p in plans])
    buying = size > 0
    median = float(np.median(size[buying])) if buying.any() else 1.0
    rank = np.argsort(np.argsort(size)) / max(len(size) - 1, 1)
    lost_on = [p.lost_on for p in plans]
    return _Customers(
        pattern=np.array([PATTERNS.index(p.pattern) for p in plans], dtype=np.int8),
        size=size,
        trend=np.array([p.trend for p in plans]),
        basket=np.array([p.basket for p in plans]),
        order_day=np.array([p.order_day for p in plans]),
        order_month=np.array([p.order_month for p in plans]),
        first_day=np.full(len(plans), first),
        last_day=np.array([last if d is None else min(_days(d), last) for d in lost_on]),
        season=_seasons([c.country for c in customers]),
        currency=np.array([currencies.index(c.currency) for c in customers], dtype=np.int32),
        qty_scale=10.0 * (np.maximum(size, 1e-9) / median) ** (1 - LINES_EXPONENT),
        breadth=_breadth(products, rank),
        preference=np.argsort(rng.random((len(plans), products)), axis=1).astype(np.int32),
        discount_share=np.array([p.discount_share for p in plans]),
        discount_low=np.array([p.discount_low for p in plans]),
        discount_high=np.array([p.discount_high for p in plans]),
    )


def _breadth(products: int, rank: np.ndarray) -> np.ndarray:
    """How many products each customer buys: the bigger, the more of the range."""
    least = min(MAX_LINES_PER_INVOICE, products)
    return np.clip(np.rint(products * (0.15 + 0.85 * rank)), least, products).astype(np.int64)


def _seasons(countries: list[str]) -> np.ndarray:
    """Each customer's demand by calendar month: (customers, 12)."""
    names, index = np.unique(np.array(countries, dtype=object), return_inverse=True)
    table = np.array([_season(str(country)) for country in names]).reshape(len(names), 12)
    return table[index]


def _season(country: str) -> list[float]:
    dips = HOLIDAY_DIPS.get(country, {})
    return [factor * dips.get(month, 1.0) for month, factor in enumerate(BASE_SEASON, start=1)]


@dataclass(frozen=True)
class _Months:
    first: np.ndarray
    last: np.ndarray
    month: np.ndarray  # calendar month, 0 = January
    years: np.ndarray  # years since the start of the period


def _months(period: tuple[dt.date, dt.date]) -> _Months:
    months = np.arange(np.datetime64(period[0], "M"), np.datetime64(period[1], "M") + 1)
    first = months.astype("datetime64[D]").astype(np.int64)
    last = (months + 1).astype("datetime64[D]").astype(np.int64) - 1
    index = months.astype(np.int64)
    return _Months(first, last, index % 12, (index - index[0]) / 12)


def _month_weights(cust: _Customers, months: _Months, rng: np.random.Generator) -> np.ndarray:
    """How much each customer buys in each month, before scaling: (customers, months)."""
    lo = np.maximum(months.first[None, :], cust.first_day[:, None])
    hi = np.minimum(months.last[None, :], cust.last_day[:, None])
    active = np.clip(hi - lo + 1, 0, None) / (months.last - months.first + 1)[None, :]
    weights = active * cust.season[:, months.month] * cust.trend[:, None] ** months.years
    pattern = cust.pattern[:, None]
    quarterly = months.month[None, :] % 3 == (cust.order_month[:, None] - 1)
    annual = months.month[None, :] == (cust.order_month[:, None] - 1)
    rhythm = np.select(
        [pattern == PATTERNS.index(QUARTERLY), pattern == PATTERNS.index(ANNUAL)],
        [quarterly, annual],
        True,
    )
    noise = np.where(pattern == PATTERNS.index(IRREGULAR), rng.gamma(0.5, 2.0, weights.shape), 1.0)
    rhythmic = weights * rhythm * noise
    # A customer lost before its first project or quarter month buys off-rhythm instead.
    return np.where(rhythmic.sum(axis=1, keepdims=True) > 0, rhythmic, weights)


def _apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to `weights` that add up to `total` (largest remainders)."""
    if total == 0 or weights.sum() <= 0:
        return np.zeros(len(weights), dtype=np.int64)
    exact = weights / weights.sum() * total
    counts = np.floor(exact).astype(np.int64)
    short = total - int(counts.sum())
    counts[np.argsort(-(exact - counts), kind="stable")[:short]] += 1
    return counts


def _month_lines(
    cust: _Customers, weights: np.ndarray, total: int, rng: np.random.Generator
) -> np.ndarray:
    """Lines per customer and month, adding up to `total`: (customers, months)."""
    active_share = (cust.last_day - cust.first_day + 1) / (
        cust.last_day.max() - cust.first_day.min() + 1
    )
    per_customer = _apportion(total, cust.size**LINES_EXPONENT * active_share)
    slots = weights > 0
    rhythmic = cust.pattern != PATTERNS.index(IRREGULAR)
    base = slots & (rhythmic & (per_customer >= slots.sum(axis=1)))[:, None]
    rest = per_customer - base.sum(axis=1)
    sums = weights.sum(axis=1, keepdims=True)
    pvals = np.divide(
        weights, sums, out=np.full_like(weights, 1 / weights.shape[1]), where=sums > 0
    )
    return base + rng.multinomial(rest, pvals)


def _invoices(
    cust: _Customers, months: _Months, lines: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Invoices (day, customer, line count) from lines per customer and month, by date."""
    c, m = np.nonzero(lines)
    cell_lines = lines[c, m]
    basket = np.clip(cust.basket[c] + rng.integers(-2, 3, len(c)), 1, MAX_LINES_PER_INVOICE)
    per_cell = -(-cell_lines // basket)
    cell = np.repeat(np.arange(len(c)), per_cell)
    r = np.arange(len(cell)) - np.repeat(np.cumsum(per_cell) - per_cell, per_cell)
    count = cell_lines[cell] // per_cell[cell] + (r < cell_lines[cell] % per_cell[cell])
    customer, month = c[cell], m[cell]
    lo = np.maximum(months.first[month], cust.first_day[customer])
    hi = np.minimum(months.last[month], cust.last_day[customer])
    usual = months.first[month] + cust.order_day[customer] - 1
    usual = usual + np.rint(rng.normal(0, 1.5, len(cell))).astype(np.int64)
    anywhere = _working_day(lo, hi, rng.random(len(cell)))
    regular = (r == 0) & (cust.pattern[customer] != PATTERNS.index(IRREGULAR))
    day = np.where(regular, np.clip(_weekday(usual), lo, hi), anywhere)
    order = np.lexsort((r, customer, day))
    return day[order], customer[order], count[order]


def _working_day(lo: np.ndarray, hi: np.ndarray, u: np.ndarray) -> np.ndarray:
    """A working day drawn uniformly from `lo`…`hi` by `u` (`lo` if there is none)."""
    first = lo.astype("datetime64[D]")
    working = np.busday_count(first, (hi + 1).astype("datetime64[D]"))
    offset = np.floor(u * working).astype(np.int64)
    day = np.busday_offset(first, offset, roll="forward").astype(np.int64)
    return np.where(working > 0, day, lo)


def _weekday(day: np.ndarray) -> np.ndarray:
    """Saturdays moved to Friday, Sundays to Monday."""
    weekday = (day + 3) % 7
    return day - (weekday == 5) + (weekday == 6)


def _credit_picks(
    day: np.ndarray,
    customer: np.ndarray,
    count: np.ndarray,
    last_day: np.ndarray,
    target: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which invoices get a credit note: (invoice index, lines credited, credit day)."""
    delay = rng.integers(3, 46, len(day))
    credited = np.minimum(count, rng.integers(1, 4, len(day)))
    order = rng.permutation(len(day))
    order = order[day[order] + delay[order] <= last_day[customer[order]]]
    total = np.cumsum(credited[order])
    picked = order[: int(np.searchsorted(total, target)) + 1] if target else order[:0]
    lines = credited[picked].copy()
    if len(picked):
        lines[-1] -= max(int(total[len(picked) - 1]) - target, 0)
    credit_day = np.minimum(_weekday(day[picked] + delay[picked]), last_day[customer[picked]])
    return picked, lines, credit_day


def _pad(count: np.ndarray, extra: int) -> np.ndarray:
    """Add `extra` lines to the first invoices with room for them."""
    room = MAX_LINES_PER_INVOICE - count
    if extra > room.sum():
        raise ValueError("too few invoices for the requested number of lines")
    before = np.cumsum(room) - room
    return count + np.clip(extra - before, 0, room)


def _documents(
    cust: _Customers, lines: int, period: tuple[dt.date, dt.date], rng: np.random.Generator
) -> _Documents:
    months = _months(period)
    credits = round(lines * CREDIT_SHARE)
    per_month = _month_lines(cust, _month_weights(cust, months, rng), lines - credits, rng)
    day, customer, count = _invoices(cust, months, per_month, rng)
    picked, credit_lines, credit_day = _credit_picks(
        day, customer, count, cust.last_day, credits, rng
    )
    count = _pad(count, credits - int(credit_lines.sum()))
    first = np.cumsum(count) - count
    number = np.arange(1, len(day) + 1)
    credit_start = np.floor(rng.random(len(picked)) * count[picked]).astype(np.int64)
    invoices = len(day)
    docs = {
        "day": np.concatenate([day, credit_day]),
        "customer": np.concatenate([customer, customer[picked]]),
        "number": np.concatenate([number, number[picked]]),
        "credit": np.concatenate([np.zeros(invoices, bool), np.ones(len(picked), bool)]),
        "count": np.concatenate([count, credit_lines]),
        "ref_first": np.concatenate([first, first[picked]]),
        "ref_count": np.concatenate([count, count[picked]]),
        "ref_start": np.concatenate([np.zeros(invoices, np.int64), credit_start]),
        "ref_day": np.concatenate([day, day[picked]]),
    }
    order = np.lexsort((docs["number"], docs["credit"], docs["day"]))
    return _Documents(**{name: values[order] for name, values in docs.items()})


# -- Lines ----------------------------------------------------------------------------------


def generate_order_lines(
    *,
    customers: Sequence[Customer],
    products: Sequence[Product],
    lines: int,
    seed: int,
    end_date: dt.date,
    years: int = 3,
    plans: Sequence[CustomerPlan] | None = None,
    chunk_lines: int = CHUNK_LINES,
) -> Iterator[pa.RecordBatch]:
    """Exactly `lines` order lines over `years` years ending on `end_date`, in batches of about
    `chunk_lines` lines, in date order. `plans` defaults to `plan_customers(...)` with the same
    arguments. About 1.5 % of the lines are credit-note lines."""
    if lines < 0 or years < 1:
        raise ValueError("lines must be ≥ 0 and years ≥ 1")
    plans = plans if plans is not None else plan_customers(customers, seed, end_date, years)
    if len(plans) != len(customers):
        raise ValueError("one plan per customer")
    if lines and (not products or not any(p.size > 0 for p in plans)):
        raise ValueError("order lines need products and at least one buying customer")
    period = history_period(end_date, years)
    currencies = sorted({c.currency for c in customers})
    rng = _rng(seed, _STREAM_LINES)
    cust = _customer_arrays(customers, plans, len(products), currencies, period, rng)
    docs = _documents(cust, lines, period, rng)
    context = _LineContext.build(customers, products, currencies, cust, period, seed)
    return _batches(docs, context, chunk_lines)


@dataclass(frozen=True)
class _LineContext:
    cust: _Customers
    hash_keys: np.ndarray
    prices: np.ndarray  # cents: (currencies, years, products)
    first_year: int
    cost_ratio: np.ndarray
    step: np.ndarray  # amount rounding step per currency, in cents
    customer_text: tuple[pa.Array, pa.Array, pa.Array, pa.Array]  # key, name, currency, country
    product_text: tuple[pa.Array, pa.Array, pa.Array]  # code, name, category

    @classmethod
    def build(
        cls,
        customers: Sequence[Customer],
        products: Sequence[Product],
        currencies: list[str],
        cust: _Customers,
        period: tuple[dt.date, dt.date],
        seed: int,
    ) -> _LineContext:
        years = period[1].year - period[0].year + 1
        return cls(
            cust=cust,
            hash_keys=_rng(seed, _STREAM_HASH).integers(0, 2**63, 8, dtype=np.uint64),
            prices=_price_table(products, currencies, years),
            first_year=period[0].year,
            cost_ratio=np.array([p.cost_ratio for p in products]),
            step=np.array([100 if c in WHOLE_CURRENCIES else 1 for c in currencies]),
            customer_text=(
                pa.array([c.key for c in customers], pa.string()),
                pa.array([c.name for c in customers], pa.string()),
                pa.array([c.currency for c in customers], pa.string()),
                pa.array([c.country for c in customers], pa.string()),
            ),
            product_text=(
                pa.array([p.code for p in products], pa.string()),
                pa.array([p.name for p in products], pa.string()),
                pa.array([p.category for p in products], pa.string()),
            ),
        )


def _price_table(products: Sequence[Product], currencies: list[str], years: int) -> np.ndarray:
    """List prices in cents by currency, calendar year of the period and product."""
    usd = np.array([p.list_price for p in products])
    rates = np.array([USD_RATES.get(c, 1.0) for c in currencies])
    rise = (1 + PRICE_RISE) ** np.arange(years)
    raw = rates[:, None, None] * rise[None, :, None] * usd[None, None, :] * 100
    step = np.array([10_000 if c in WHOLE_CURRENCIES else 1 for c in currencies])[:, None, None]
    return (np.maximum(np.rint(raw / step), 1) * step).astype(np.int64)


def _batches(docs: _Documents, context: _LineContext, chunk_lines: int) -> Iterator[pa.RecordBatch]:
    ends = np.cumsum(docs.count)
    total = int(ends[-1]) if len(ends) else 0
    cuts = np.searchsorted(ends, np.arange(chunk_lines, total, chunk_lines), side="right")
    bounds = np.unique(np.concatenate([[0], cuts, [len(ends)]]))
    for start, stop in itertools.pairwise(bounds.tolist()):
        if stop > start:
            yield _batch(docs, slice(start, stop), context)


class _Lines(NamedTuple):
    """One batch of lines, one element per line."""

    line_id: np.ndarray  # the invoice line the line is, or credits
    invoice_id: np.ndarray  # the line id of that invoice's first line
    position: np.ndarray  # the line's position in that invoice
    customer: np.ndarray
    credit: np.ndarray
    number: np.ndarray
    day: np.ndarray
    ref_day: np.ndarray


class _Amounts(NamedTuple):
    product: np.ndarray
    qty: np.ndarray
    price: np.ndarray  # all amounts in cents
    discount: np.ndarray
    net: np.ndarray
    cost: np.ndarray


def _batch(docs: _Documents, part: slice, ctx: _LineContext) -> pa.RecordBatch:
    lines = _expand(docs, part)
    return _record_batch(lines, _amounts(lines, ctx), ctx)


def _expand(docs: _Documents, part: slice) -> _Lines:
    count = docs.count[part]
    doc = np.repeat(np.arange(len(count)), count)
    position = np.arange(len(doc)) - np.repeat(np.cumsum(count) - count, count)
    offset = (docs.ref_start[part][doc] + position) % docs.ref_count[part][doc]
    return _Lines(
        line_id=(docs.ref_first[part][doc] + offset).astype(np.uint64),
        invoice_id=docs.ref_first[part][doc].astype(np.uint64),
        position=offset,
        customer=docs.customer[part][doc],
        credit=docs.credit[part][doc],
        number=docs.number[part][doc],
        day=docs.day[part][doc],
        ref_day=docs.ref_day[part][doc],
    )


def _amounts(lines: _Lines, ctx: _LineContext) -> _Amounts:
    product, qty, rate = _line_draws(lines, ctx)
    qty = np.where(lines.credit, -_returned(qty, lines.line_id, ctx), qty)
    currency = ctx.cust.currency[lines.customer]
    price = ctx.prices[currency, _years(lines.ref_day) - ctx.first_year, product]
    step = ctx.step[currency]
    gross = qty * price
    discount = np.rint(gross * rate / step).astype(np.int64) * step
    cost = np.rint(gross * ctx.cost_ratio[product] / step).astype(np.int64) * step
    return _Amounts(product, qty, price, discount, gross - discount, cost)


def _record_batch(lines: _Lines, amounts: _Amounts, ctx: _LineContext) -> pa.RecordBatch:
    credit = pa.array(lines.credit.astype(np.int8))
    key, name, currency, country = (t.take(pa.array(lines.customer)) for t in ctx.customer_text)
    code, description, category = (t.take(pa.array(amounts.product)) for t in ctx.product_text)
    number = pc.utf8_lpad(pc.cast(pa.array(lines.number), pa.string()), 7, "0")
    prefix = pa.array([f"{INVOICE}-", f"{CREDIT_NOTE}-"]).take(credit)
    columns = [
        pc.binary_join_element_wise(prefix, number, ""),
        _dates(lines.day),
        key,
        name,
        code,
        description,
        category,
        pa.array(amounts.qty),
        _money(amounts.price),
        _money(amounts.discount),
        _money(amounts.net),
        _money(amounts.cost),
        currency,
        country,
        pa.array([INVOICE, CREDIT_NOTE]).take(credit),
    ]
    return pa.RecordBatch.from_arrays(columns, names=list(COLUMNS))


def _years(day: np.ndarray) -> np.ndarray:
    return day.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def _dates(day: np.ndarray) -> pa.Array:
    return pa.Array.from_buffers(pa.date32(), len(day), [None, pa.py_buffer(day.astype(np.int32))])


def _money(cents: np.ndarray) -> pa.Array:
    """Cents as DECIMAL(18, 2), built directly from 128-bit little-endian integers."""
    words = np.empty((len(cents), 2), dtype=np.int64)
    words[:, 0] = cents
    words[:, 1] = cents >> 63
    return pa.Array.from_buffers(pa.decimal128(18, 2), len(cents), [None, pa.py_buffer(words)])


def _uniform(line_id: np.ndarray, key: np.uint64) -> np.ndarray:
    """A uniform number in (0, 1) per line id, from a SplitMix64 hash keyed by seed and field."""
    z = line_id * np.uint64(0x9E3779B97F4A7C15)
    z ^= key
    z ^= z >> np.uint64(30)
    z *= np.uint64(0xBF58476D1CE4E5B9)
    z ^= z >> np.uint64(27)
    z *= np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    return ((z >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53


def _line_draws(lines: _Lines, ctx: _LineContext) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The product, quantity and discount rate of invoice lines. An invoice's lines take
    consecutive products in the customer's order of preference, from a favourite one on, so
    that no product appears twice on one invoice."""
    cust, keys, line_id, customer = ctx.cust, ctx.hash_keys, lines.line_id, lines.customer
    breadth = cust.breadth[customer]
    first = np.floor(breadth * _uniform(lines.invoice_id, keys[_FIELD_PRODUCT]) ** 2).astype(
        np.int64
    )
    product = cust.preference[customer, (first + lines.position) % breadth]
    spread = np.sqrt(-2 * np.log(_uniform(line_id, keys[_FIELD_QTY])))
    normal = spread * np.cos(2 * np.pi * _uniform(line_id, keys[_FIELD_ANGLE]))
    qty = np.maximum(np.rint(cust.qty_scale[customer] * np.exp(0.6 * normal)), 1).astype(np.int64)
    hit = _uniform(line_id, keys[_FIELD_DISCOUNT]) < cust.discount_share[customer]
    low, high = cust.discount_low[customer], cust.discount_high[customer]
    rate = low + (high - low) * _uniform(line_id, keys[_FIELD_RATE])
    return product, qty, np.where(hit, np.round(rate * 200) / 200, 0.0)


def _returned(qty: np.ndarray, line_id: np.ndarray, ctx: _LineContext) -> np.ndarray:
    """How much of each line comes back on a credit note: all of it, or a part."""
    u = _uniform(line_id, ctx.hash_keys[_FIELD_RETURN])
    part = np.maximum(np.ceil(qty * u * 2), 1).astype(np.int64)
    return np.where(u < 0.5, np.minimum(part, qty), qty)


# -- Writing --------------------------------------------------------------------------------


def write_csv(
    path: str | os.PathLike[str],
    batches: Iterable[pa.RecordBatch],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write `batches` as CSV with the header `COLUMNS`; return the number of lines written.

    The file appears only when complete: it is written under a temporary name in the same
    directory and then renamed. `progress` is called with the size of each batch written.
    """
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
    written = 0
    try:
        with pa.OSFile(str(temporary), "wb") as sink:
            sink.write((",".join(COLUMNS) + "\n").encode())
            writer = None
            for batch in batches:
                writer = writer or pacsv.CSVWriter(sink, batch.schema, write_options=options)
                writer.write_batch(batch)
                written += batch.num_rows
                if progress is not None:
                    progress(batch.num_rows)
            if writer is not None:
                writer.close()
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return written


def exchange_rates(
    *, end_date: dt.date, years: int = 3, reporting_currency: str = "USD"
) -> list[tuple[str, dt.date, Decimal]]:
    """Monthly rates for the synthetic currencies over the history period, as
    (currency, valid from, reporting-currency units per unit): a gentle, deterministic drift
    around `USD_RATES`, so that conversions differ a little from month to month."""
    start, _ = history_period(end_date, years)
    base = USD_RATES[reporting_currency]
    rates = []
    month = dt.date(start.year, start.month, 1)
    index = 0
    while month <= end_date:
        for currency, per_usd in sorted(USD_RATES.items()):
            if currency == reporting_currency:
                continue
            drift = 1 + 0.03 * math.sin(index / 5 + len(currency) + ord(currency[0]))
            rate = Decimal(base / (per_usd * drift)).quantize(Decimal("1e-8"))
            rates.append((currency, month, max(rate, Decimal("1e-8"))))
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        index += 1
    return rates


def write_exchange_rates(path: Path, rates: list[tuple[str, dt.date, Decimal]]) -> int:
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", encoding="utf-8", newline="") as handle:
        handle.write("currency,date,rate\n")
        handle.writelines(f"{c},{d.isoformat()},{r}\n" for c, d, r in rates)
    temporary.replace(path)
    return len(rates)
