"""The retention what-if: what raising retention by a few points is worth, from the portfolio's
own cohorts.

A **cohort** is the accounts whose first purchase fell in the same year (years are counted
back from the as-of date, like the engine's periods: year 0 is the 12 months ending on it).
An account's **cohort age** in a year is how many years that year lies after its first one
(age 0: the year it started). Over the years the history shows (four by default: the suite's
account × month table), every year-on-year transition gives, per cohort age k ≥ 1:

- `previously_active`: accounts of age k − 1 that bought in the year before,
- `retained`: those of them that bought again in the year after (at age k),
- `retained_revenue`: what the retained accounts spent in that year (whole cents).

Retention at age k is retained(k) / previously_active(k) and revenue per retained account is
retained_revenue(k) / retained(k), pooled over the cohorts and years. `active_now` and
`revenue_now` are the accounts that bought in year 0 by their age and what they spent: the
base the projection starts from.

Stage one (`cohort_basis`) is Ibis and runs on DuckDB, PostgreSQL and PySpark alike; stage two
(`project`, `what_if`) is plain Python on that small table: next year, an account of age a
still buys with the rate of age a + 1 and spends the revenue per retained account of that age,
and so on, compounding. Raising retention by N points adds N / 100 to every rate (at most
100 %); the uplift is the raised projection against the baseline from the same rates. New
accounts won in the future are left out of both: the what-if is about keeping the base.

Accounts that came back after a year without purchases are not counted as retained (the rate
is year on year), so the projection is cautious.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

import ibis
import ibis.expr.types as ir

from .daily import account_days, account_lines
from .metrics import revenue
from .periods import period_index

YEARS_OBSERVED = 4  # the suite's account × month table covers 48 months
HORIZONS = (1, 3, 5)  # years ahead the what-if adds up
DEFAULT_POINTS = 5
# "A 5 % increase in retention can raise revenue by 25 %" (DOMAIN.md, article 003). Its origin
# (Reichheld and Bain) measured *profit*, over a customer's lifetime and in industries with
# high acquisition costs; the article quotes it as revenue. It is a ceiling, not a forecast.
RULE_OF_THUMB_POINTS = 5
RULE_OF_THUMB_UPLIFT = 0.25
CENT = Decimal("0.01")


# -- stage 1: Ibis, on any engine --------------------------------------------------------------


def account_years(order_lines: ir.Table, as_of: dt.date, years: int = YEARS_OBSERVED) -> ir.Table:
    """Per account and year back from `as_of` (index 0..years-1) with lines: revenue (cents)
    and purchase_days (days with a purchase, not only credit notes)."""
    days = account_days(account_lines(order_lines, as_of))
    periods = revenue.account_periods(days, as_of, "year", years)
    return periods.select("account_id", "index", "revenue", "purchase_days")


def first_purchase_years(order_lines: ir.Table, as_of: dt.date) -> ir.Table:
    """Per account that ever bought by `as_of`: `cohort`, the year (back from `as_of`) of its
    first purchase."""
    days = account_days(account_lines(order_lines, as_of))
    bought = days.filter(days.purchase_lines > 0)
    first = bought.group_by("account_id").aggregate(first_purchase=bought.day.min())
    return cohorts_of(first, as_of)


def cohorts_of(first_purchases: ir.Table, as_of: dt.date) -> ir.Table:
    """`account_id`, `cohort` from a table with each account's `first_purchase` date."""
    return first_purchases.select(
        "account_id", cohort=period_index(first_purchases.first_purchase, as_of, "year")
    )


def cohort_basis(
    years: ir.Table,
    cohorts: ir.Table,
    *,
    dimension: ir.Table | None = None,
    groups: Mapping[str, str] | None = None,
    observed: int = YEARS_OBSERVED,
) -> ir.Table:
    """The what-if's basis per group, key and cohort age (see the module docstring): columns
    group, key, age, previously_active, retained, retained_revenue, active_now, revenue_now.

    `years` is `account_years` (or the suite's months re-cut into years), `cohorts` is
    `first_purchase_years`. The portfolio is group "portfolio" with key ""; with a `dimension`
    (account_id and the columns `groups` names, e.g. {"owner": "owner_id"}), each group's
    key is the column as text ("" where it is empty or the account is not in the dimension).
    """
    years = years.filter(years.index < observed)
    active = years.filter(years.purchase_days > 0)
    active = active.join(cohorts, "account_id").select(
        "account_id", "index", "revenue", age=ibis._.cohort - ibis._.index
    )
    # each active year beside the year after it (index − 1), where the account bought again
    before = active.filter(active.index >= 1).select(
        "account_id", index=active.index - 1, age=active.age + 1
    )
    after = active.select("account_id", "index", kept_revenue="revenue")
    pairs = before.left_join(after, ["account_id", "index"]).select(
        "account_id", "age", kept=ibis._.kept_revenue.notnull(), kept_revenue=ibis._.kept_revenue
    )
    now = active.filter(active.index == 0).select("account_id", "age", "revenue")

    keyed = [cohorts.select("account_id", group=ibis.literal("portfolio"), key=ibis.literal(""))]
    if dimension is not None:
        for group, column in (groups or {}).items():
            keys = dimension.select("account_id", key=dimension[column].cast("string"))
            with_key = cohorts.select("account_id").left_join(keys, "account_id")
            keyed.append(
                with_key.select(
                    "account_id", group=ibis.literal(group), key=with_key.key.fill_null("")
                )
            )
    keys = keyed[0]
    for more in keyed[1:]:
        keys = keys.union(more)

    transitions = (
        pairs.join(keys, "account_id")
        .group_by("group", "key", "age")
        .aggregate(
            previously_active=ibis._.account_id.count(),
            retained=ibis.ifelse(ibis._.kept, 1, 0).sum(),
            retained_revenue=ibis._.kept_revenue.sum(),
        )
    )
    current = (
        now.join(keys, "account_id")
        .group_by("group", "key", "age")
        .aggregate(active_now=ibis._.account_id.count(), revenue_now=ibis._.revenue.sum())
    )
    basis = transitions.outer_join(current, ["group", "key", "age"])
    return basis.select(
        group=basis.group.coalesce(basis.group_right),
        key=basis.key.coalesce(basis.key_right),
        age=basis.age.coalesce(basis.age_right),
        previously_active=basis.previously_active.fill_null(0),
        retained=basis.retained.fill_null(0),
        retained_revenue=basis.retained_revenue.fill_null(0),
        active_now=basis.active_now.fill_null(0),
        revenue_now=basis.revenue_now.fill_null(0),
    )


def basis_from_lines(
    order_lines: ir.Table,
    as_of: dt.date,
    *,
    dimension: ir.Table | None = None,
    groups: Mapping[str, str] | None = None,
    observed: int = YEARS_OBSERVED,
) -> ir.Table:
    """`cohort_basis` straight from the order lines (the suite builds it from its own tables)."""
    return cohort_basis(
        account_years(order_lines, as_of, observed),
        first_purchase_years(order_lines, as_of),
        dimension=dimension,
        groups=groups,
        observed=observed,
    )


# -- stage 2: the arithmetic, plain Python on one group's rows ---------------------------------


@dataclass(frozen=True)
class AgeRow:
    """One cohort age of one group (money in the reporting currency)."""

    age: int
    previously_active: int = 0
    retained: int = 0
    retained_revenue: Decimal = Decimal(0)
    active_now: int = 0
    revenue_now: Decimal = Decimal(0)

    @property
    def retention(self) -> Decimal | None:
        if self.previously_active <= 0:
            return None
        return Decimal(self.retained) / Decimal(self.previously_active)

    @property
    def revenue_per_retained(self) -> Decimal | None:
        if self.retained <= 0:
            return None
        return Decimal(self.retained_revenue) / Decimal(self.retained)


@dataclass(frozen=True)
class Assumption:
    """What the projection assumes at one cohort age; `observed` is False where the age had no
    transition of its own and took the nearest younger age's figure."""

    age: int
    retention: Decimal
    revenue_per_retained: Decimal
    raised_retention: Decimal
    observed: bool
    previously_active: int
    retained: int
    active_now: int
    revenue_now: Decimal


@dataclass(frozen=True)
class Horizon:
    years: int
    baseline: Decimal
    raised: Decimal

    @property
    def uplift(self) -> Decimal:
        return self.raised - self.baseline

    @property
    def uplift_share(self) -> float | None:
        return float(self.raised / self.baseline - 1) if self.baseline > 0 else None


@dataclass(frozen=True)
class WhatIf:
    points: int
    assumptions: list[Assumption]
    yearly_baseline: list[Decimal]  # revenue in year 1, 2, … of the projection
    yearly_raised: list[Decimal]
    horizons: list[Horizon]
    active_now: int
    revenue_now: Decimal
    current: list[AgeRow]  # the accounts active now by cohort age, youngest first

    @property
    def computable(self) -> bool:
        return bool(self.assumptions) and self.active_now > 0

    @property
    def rule_of_thumb(self) -> dict[str, float | int]:
        return {"points": RULE_OF_THUMB_POINTS, "uplift_share": RULE_OF_THUMB_UPLIFT}


def assumptions_by_age(rows: Iterable[AgeRow], points: int, up_to: int) -> list[Assumption]:
    """Retention and revenue per retained account for every age 1..`up_to`: an age without
    its own figure takes the nearest younger age's (the oldest ages have the fewest accounts,
    and ages beyond the history are never observed); empty when no age has a transition."""
    by_age = {row.age: row for row in rows}
    raise_by = Decimal(points) / 100
    result = []
    rate = value = None
    for age in range(1, up_to + 1):
        row = by_age.get(age, AgeRow(age))
        observed = row.retention is not None
        rate = row.retention if observed else rate
        value = row.revenue_per_retained if row.revenue_per_retained is not None else value
        if rate is None:
            continue
        result.append(
            Assumption(
                age=age,
                retention=rate,
                revenue_per_retained=value if value is not None else Decimal(0),
                raised_retention=min(Decimal(1), rate + raise_by),
                observed=observed,
                previously_active=row.previously_active,
                retained=row.retained,
                active_now=row.active_now,
                revenue_now=row.revenue_now,
            )
        )
    if not result:
        return []
    # ages younger than the first observed one (none, in practice: age 1 is the commonest)
    first = result[0]
    filled = [
        Assumption(
            age=age,
            retention=first.retention,
            revenue_per_retained=first.revenue_per_retained,
            raised_retention=first.raised_retention,
            observed=False,
            previously_active=0,
            retained=0,
            active_now=by_age.get(age, AgeRow(age)).active_now,
            revenue_now=by_age.get(age, AgeRow(age)).revenue_now,
        )
        for age in range(1, first.age)
    ]
    return filled + result


def project(
    active_now: Mapping[int, int],
    assumptions: Mapping[int, Assumption],
    years: int,
    *,
    raised: bool,
) -> list[Decimal]:
    """Revenue in each of the next `years` years from the accounts active now by age: an
    account of age a is still buying in year t with the product of the rates of ages
    a+1..a+t and then spends the revenue per retained account of age a+t."""
    yearly = [Decimal(0)] * years
    for age, count in active_now.items():
        expected = Decimal(count)
        for year in range(1, years + 1):
            assumption = assumptions[age + year]
            rate = assumption.raised_retention if raised else assumption.retention
            expected *= rate
            yearly[year - 1] += expected * assumption.revenue_per_retained
    return yearly


def what_if(
    rows: Iterable[AgeRow], points: int = DEFAULT_POINTS, horizons: tuple[int, ...] = HORIZONS
) -> WhatIf:
    """The baseline and raised revenue over each horizon for one group's basis rows."""
    rows = list(rows)
    active = {row.age: row.active_now for row in rows if row.active_now > 0}
    revenue_now = sum((row.revenue_now for row in rows), Decimal(0))
    longest = max(horizons)
    oldest = max([*active, *(row.age for row in rows)], default=0)
    assumptions = assumptions_by_age(rows, points, oldest + longest)
    current = sorted((row for row in rows if row.active_now > 0), key=lambda row: row.age)
    if not assumptions or not active:
        return WhatIf(points, assumptions, [], [], [], sum(active.values()), revenue_now, current)
    by_age = {a.age: a for a in assumptions}
    baseline = project(active, by_age, longest, raised=False)
    raised = project(active, by_age, longest, raised=True)
    result = [
        Horizon(
            years,
            sum(baseline[:years], Decimal(0)).quantize(CENT),
            sum(raised[:years], Decimal(0)).quantize(CENT),
        )
        for years in horizons
    ]
    shown = [a for a in assumptions if a.age <= oldest + 1 or a.observed]
    return WhatIf(
        points,
        shown,
        [value.quantize(CENT) for value in baseline],
        [value.quantize(CENT) for value in raised],
        result,
        sum(active.values()),
        revenue_now,
        current,
    )
