"""What grows a retailer's sell-out: more shoppers, more frequent visits, or more spent per visit.

The customer revenue-growth model (DOMAIN.md, article 002): a retailer's revenue grows when
there are more shoppers, shoppers come more often and they spend more. Its sell-out value in a
period is the product of three factors,

    V = S × F × B      S = shoppers      F = visits / shoppers      B = value / visits

(shoppers: the distinct buyers the retailer reports per month, added up over the period's
months; visits: shopping trips with our products; B, the basket: spent per shopper per visit).

The change between two periods, V1 − V0, is split exactly with the additive LMDI (log-mean
Divisia index, Ang 2004):

    ΔV_S = L(V1, V0) · ln(S1/S0)    ΔV_F = L(V1, V0) · ln(F1/F0)    ΔV_B = L(V1, V0) · ln(B1/B0)

    L(a, b) = (a − b) / (ln a − ln b),  L(a, a) = a      (the logarithmic mean)

Because ln(V1/V0) = ln(S1/S0) + ln(F1/F0) + ln(B1/B0), the three parts add up to V1 − V0 with
no residual. Money stays decimal: each part is rounded to the cent and the rounding remainder
(a cent or two at most) goes to the largest part, so the parts add up to the change to the cent.

Zeros (a store opened or closed, a month missing): ln is undefined there. LMDI's limit when a
factor goes to zero gives the whole change to that factor; so a store with no shoppers in one
period (new or closed: then it has no visits and no value either) puts its whole change under
*shoppers*, and a store with shoppers and visits but no value puts it under *spend per visit*.
Both periods zero: nothing changes.

Per account: the totals (shoppers, visits and value of every store added up) are decomposed the
same way, and each store's own change and its parts are given too (the stores' changes add up
to the account's; their parts need not add up to the account's parts, since a shopper moving
from one store to another is no new shopper for the account).

The Ibis part (`monthly`, `store_windows`) runs on every engine; the rest is plain Python on the
few rows per account it returns.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

import ibis

CENT = Decimal("0.01")
LEVERS = ("shoppers", "frequency", "spend")


# -- the engine part (Ibis) ------------------------------------------------------------------
def monthly(sellout: ibis.Table) -> ibis.Table:
    """Per account, store and month: shoppers, visits, units and value (reporting currency)."""
    return sellout.group_by(["account_id", "store", "period"]).aggregate(
        shoppers=sellout.shoppers.sum(),
        visits=sellout.visits.sum(),
        units=sellout.units.sum(),
        value=sellout.value_rc.sum(),
    )


def store_windows(
    sellout: ibis.Table, before: tuple[dt.date, dt.date], after: tuple[dt.date, dt.date]
) -> ibis.Table:
    """Per account and store, the shoppers, visits and value of two periods (first and last
    month, inclusive): columns shoppers_0, visits_0, value_0 and shoppers_1, visits_1, value_1
    (zero where the store sold nothing in a period). Stores with nothing in either are left out."""
    zero_money = ibis.literal(Decimal("0"), type="decimal(18, 2)")
    in_before = sellout.period.between(before[0], before[1])
    in_after = sellout.period.between(after[0], after[1])
    lines = sellout.filter(in_before | in_after)
    return lines.group_by(["account_id", "store"]).aggregate(
        shoppers_0=ibis.ifelse(in_before, lines.shoppers, 0).sum(),
        visits_0=ibis.ifelse(in_before, lines.visits, 0).sum(),
        value_0=ibis.ifelse(in_before, lines.value_rc, zero_money).sum(),
        shoppers_1=ibis.ifelse(in_after, lines.shoppers, 0).sum(),
        visits_1=ibis.ifelse(in_after, lines.visits, 0).sum(),
        value_1=ibis.ifelse(in_after, lines.value_rc, zero_money).sum(),
    )


# -- periods ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    """A run of whole months, first and last month given as their first days."""

    first: dt.date
    last: dt.date
    key: str

    @property
    def months(self) -> int:
        return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1

    def contains(self, month: dt.date) -> bool:
        return self.first <= month <= self.last


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


_PERIOD = re.compile(r"(\d{4})(?:-(?:Q([1-4])|(\d{2})))?(?:\.\.(\d{4})-(\d{2}))?")


def parse_period(text: str) -> Period:
    """`2025` (a year), `2025-Q2` (a quarter), `2025-03` (a month) or `2024-07..2025-06` (a run
    of months). Raises ValueError with what is expected."""
    text = (text or "").strip()
    match = _PERIOD.fullmatch(text)
    if match is None:
        raise ValueError(text)
    year, quarter, month, to_year, to_month = match.groups()
    try:
        if to_year:
            if quarter or not month:
                raise ValueError(text)
            first = dt.date(int(year), int(month), 1)
            last = dt.date(int(to_year), int(to_month), 1)
        elif quarter:
            first = dt.date(int(year), 3 * int(quarter) - 2, 1)
            last = add_months(first, 2)
        elif month:
            first = last = dt.date(int(year), int(month), 1)
        else:
            first, last = dt.date(int(year), 1, 1), dt.date(int(year), 12, 1)
    except ValueError as error:
        raise ValueError(text) from error
    if last < first:
        raise ValueError(text)
    return Period(first, last, text)


def run_of_months(first: dt.date, last: dt.date) -> Period:
    return Period(first, last, f"{first:%Y-%m}..{last:%Y-%m}")


def last_twelve_months(latest: dt.date) -> tuple[Period, Period]:
    """The twelve months up to `latest` and the twelve before them."""
    after = run_of_months(add_months(latest, -11), latest)
    before = run_of_months(add_months(latest, -23), add_months(latest, -12))
    return before, after


# -- the decomposition (plain Python) --------------------------------------------------------
@dataclass(frozen=True)
class Figures:
    shoppers: int = 0
    visits: int = 0
    value: Decimal = Decimal("0")

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.shoppers + other.shoppers, self.visits + other.visits, self.value + other.value
        )

    @property
    def frequency(self) -> float | None:
        """Visits per shopper."""
        return self.visits / self.shoppers if self.shoppers else None

    @property
    def spend(self) -> Decimal | None:
        """Spent per visit (the basket)."""
        return (self.value / self.visits).quantize(CENT) if self.visits else None


@dataclass(frozen=True)
class Decomposition:
    before: Figures
    after: Figures
    shoppers: Decimal  # the change owed to more (fewer) shoppers
    frequency: Decimal  # … to more (less) frequent visits
    spend: Decimal  # … to more (less) spent per visit

    @property
    def change(self) -> Decimal:
        return self.after.value - self.before.value

    @property
    def growth(self) -> float | None:
        if not self.before.value:
            return None
        return float(self.change / self.before.value)

    def part(self, lever: str) -> Decimal:
        return getattr(self, lever)


def logarithmic_mean(a: float, b: float) -> float:
    """L(a, b) = (a − b) / (ln a − ln b), and a where a = b (both positive)."""
    if math.isclose(a, b, rel_tol=1e-15):
        return a
    return (a - b) / (math.log(a) - math.log(b))


def _ratio_logs(before: Figures, after: Figures) -> tuple[float, float, float]:
    s = math.log(after.shoppers / before.shoppers)
    f = math.log((after.visits / after.shoppers) / (before.visits / before.shoppers))
    b = math.log((float(after.value) / after.visits) / (float(before.value) / before.visits))
    return s, f, b


def _positive(figures: Figures) -> bool:
    return figures.shoppers > 0 and figures.visits > 0 and figures.value > 0


def _zero_lever(figures: Figures) -> str:
    """Which factor is zero when a period's value is: no shoppers first, then no spend."""
    if not figures.shoppers or not figures.visits:
        return "shoppers"
    return "spend"


def _to_cents(parts: dict[str, float], change: Decimal) -> dict[str, Decimal]:
    cents = {
        lever: Decimal(repr(value)).quantize(CENT, ROUND_HALF_EVEN)
        for lever, value in parts.items()
    }
    remainder = change - sum(cents.values(), Decimal("0"))
    if remainder:
        largest = max(LEVERS, key=lambda lever: (abs(cents[lever]), -LEVERS.index(lever)))
        cents[largest] += remainder
    return cents


def decompose(before: Figures, after: Figures) -> Decomposition:
    """Split after.value − before.value into the shoppers, frequency and spend parts (LMDI)."""
    change = after.value - before.value
    parts = dict.fromkeys(LEVERS, 0.0)
    if _positive(before) and _positive(after):
        weight = logarithmic_mean(float(after.value), float(before.value))
        for lever, log_ratio in zip(LEVERS, _ratio_logs(before, after), strict=True):
            parts[lever] = weight * log_ratio
    elif change:
        parts[_zero_lever(after if _positive(before) else before)] = float(change)
    cents = _to_cents(parts, change)
    return Decomposition(before, after, cents["shoppers"], cents["frequency"], cents["spend"])


@dataclass(frozen=True)
class StoreDecomposition:
    store: str
    decomposition: Decomposition

    @property
    def status(self) -> str:
        """new, closed or continuing (sold in both periods)."""
        if not self.decomposition.before.value and self.decomposition.after.value:
            return "new"
        if self.decomposition.before.value and not self.decomposition.after.value:
            return "closed"
        return "continuing"


@dataclass(frozen=True)
class AccountDecomposition:
    total: Decomposition
    stores: list[StoreDecomposition] = field(default_factory=list)


def decompose_account(
    stores: Iterable[tuple[str, Figures, Figures]],
) -> AccountDecomposition:
    """The account's totals decomposed, and each store's own decomposition (largest change
    first, then by name)."""
    per_store = [StoreDecomposition(name, decompose(b, a)) for name, b, a in stores]
    before = sum((s.decomposition.before for s in per_store), Figures())
    after = sum((s.decomposition.after for s in per_store), Figures())
    per_store.sort(key=lambda s: (-abs(s.decomposition.change), s.store))
    return AccountDecomposition(decompose(before, after), per_store)


def decompose_months(
    months: Iterable[tuple[str, dt.date, int, int, Decimal]], before: Period, after: Period
) -> AccountDecomposition:
    """From an account's monthly rows (store, month, shoppers, visits, value), as `monthly`
    returns and the app stores them."""
    sums: dict[str, list[Figures]] = {}
    for store, month, shoppers, visits, value in months:
        pair = sums.setdefault(store, [Figures(), Figures()])
        figures = Figures(int(shoppers), int(visits), Decimal(value))
        if before.contains(month):
            pair[0] = pair[0] + figures
        if after.contains(month):
            pair[1] = pair[1] + figures
    return decompose_account(
        (store, b, a)
        for store, (b, a) in sums.items()
        if b.value or a.value or b.shoppers or a.shoppers
    )
