"""The qualification scorecard and the key-account type suggestion: pure rules, no queries
(their explanations in the reader's language).

Six criteria, each scored 1–5 (None: not known yet, it then counts 0):

- product/service fit, relationship, similarity of culture — the account team's latest rating;
- repurchase frequency — the purchase rhythm of the latest metrics snapshot: monthly 5,
  quarterly 4, yearly 2; an irregular buyer by its median days between purchases (≤ 45 days 3,
  ≤ 120 days 2, longer 1); a single purchase or a lost account 1;
- volume — the account's revenue percentile over the last 12 months (the share of accounts
  with revenue whose revenue is at or below its own), in fifths: below 20 % 1 … 80 % or more 5;
  bought before but nothing in the last 12 months 1;
- price discipline — 1 − the account's discount-depth percentile over the last 12 months, in
  fifths: the fifth with the shallowest discounts 5 … the deepest 1; no discounts at all 5.

The score is Σ weight share × value over the six criteria (0–5): each criterion's
contribution is its share of the directors' weights times its value. An account *qualifies*
with a score of at least `QUALIFYING_SCORE`, or as a prospect that passes the three P's.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from openkam.core.formatting import day, number, percent
from openkam.metrics.labels import rhythm_label

QUALIFYING_SCORE = 3.0
DATA_CRITERIA = ("repurchase_frequency", "volume", "price_discipline")
TEAM_CRITERIA = ("fit", "relationship", "culture")

FREQUENCY_BY_RHYTHM = {"monthly": 5, "quarterly": 4, "yearly": 2}
IRREGULAR_FREQUENCY = ((45, 3), (120, 2))  # median days between purchases → score

# Type suggestion (DOMAIN.md: supporter ≥ 10 % of revenue over a long relationship;
# prospective: new, with a large budget).
SUPPORTER_SHARE = Decimal("0.10")
SUPPORTER_YEARS = 2
PROSPECTIVE_GROWTH = 0.20
PROSPECTIVE_NEW_RANK = 0.80  # a new account already in the top fifth by revenue


@dataclass(frozen=True)
class AccountFacts:
    """What a metrics snapshot says about one account (None: the snapshot has no row)."""

    bought: bool = False  # has purchase history up to the snapshot's date
    rhythm: str = ""
    median_interval: float | None = None
    lost: bool = False
    first_purchase: dt.date | None = None
    in_year: bool = False  # has a row for the last 12 months
    revenue: Decimal = Decimal("0")
    growth_prev: float | None = None
    new_in_period: bool = False
    volume_rank: float | None = None  # share of accounts with revenue at or below this one's
    discount_depth: float | None = None
    depth_rank: float | None = None  # share of accounts with shallower discounts
    haggler: bool = False


def rank_below(sorted_values: list, value) -> float:
    """The share of `sorted_values` strictly below `value` (0 for the smallest)."""
    return bisect_left(sorted_values, value) / len(sorted_values) if sorted_values else 0.0


def rank_at_or_below(sorted_values: list, value) -> float:
    """The share of `sorted_values` at or below `value` (1 for the largest, ties included)."""
    return bisect_right(sorted_values, value) / len(sorted_values) if sorted_values else 0.0


def fifths(share: float) -> int:
    """0–1 → 1–5: each fifth one point."""
    return max(1, min(5, 1 + int(share * 5)))


def frequency(facts: AccountFacts | None) -> tuple[int | None, str]:
    if facts is None or not facts.bought:
        return None, _("no purchases in the sales history")
    if facts.lost:
        return 1, _("lost: no purchase for a long time")
    if facts.median_interval is None:
        return 1, _("a single purchase so far")
    days = number(facts.median_interval)
    if facts.rhythm in FREQUENCY_BY_RHYTHM:
        rhythm = rhythm_label(facts.rhythm)
        return FREQUENCY_BY_RHYTHM[facts.rhythm], _(
            "%(rhythm)s rhythm, median %(days)s days between purchases"
        ) % {"rhythm": rhythm, "days": days}
    irregular = _("irregular, median %(days)s days between purchases") % {"days": days}
    for limit, score in IRREGULAR_FREQUENCY:
        if facts.median_interval <= limit:
            return score, irregular
    return 1, irregular


def volume(facts: AccountFacts | None) -> tuple[int | None, str]:
    if facts is None or not facts.bought:
        return None, _("no purchases in the sales history")
    if facts.volume_rank is None:
        return 1, _("no revenue in the last 12 months")
    return (
        fifths(facts.volume_rank),
        _(
            "revenue %(revenue)s in 12 months, as large as or larger than %(rank)s of the "
            "accounts with revenue"
        )
        % {"revenue": number(facts.revenue), "rank": percent(facts.volume_rank, 0)},
    )


def price_discipline(facts: AccountFacts | None) -> tuple[int | None, str]:
    if facts is None or not facts.in_year or facts.volume_rank is None:
        return None, _("no purchases in the last 12 months")
    if facts.discount_depth is None or facts.depth_rank is None:
        return 5, _("no discounts in the last 12 months")
    values = {"depth": percent(facts.discount_depth), "rank": percent(facts.depth_rank, 0)}
    if facts.haggler:
        text = _(
            "average discount %(depth)s; %(rank)s of accounts get shallower discounts (a haggler)"
        )
    else:
        text = _("average discount %(depth)s; %(rank)s of accounts get shallower discounts")
    text %= values
    return fifths(1 - facts.depth_rank), text


DATA_RULES = {
    "repurchase_frequency": frequency,
    "volume": volume,
    "price_discipline": price_discipline,
}


def data_values(facts: AccountFacts | None) -> dict[str, tuple[int | None, str]]:
    return {name: rule(facts) for name, rule in DATA_RULES.items()}


def weighted_score(values: dict[str, int | None], shares: dict[str, float]) -> float:
    """Σ share × value, unknown values counting 0."""
    return sum(shares[name] * (values.get(name) or 0) for name in shares)


def qualifies(score: float, *, prospect_passes_three_ps: bool = False) -> bool:
    return score >= QUALIFYING_SCORE or prospect_passes_three_ps


@dataclass(frozen=True)
class Suggestion:
    type: str  # a KeyAccountType value
    because: str


def suggest(
    facts: AccountFacts | None, *, as_of: dt.date, total_revenue: Decimal
) -> Suggestion | None:
    """Supporter: ≥ 10 % of the last 12 months' revenue and a first purchase at least two years
    before the date. Prospective: revenue up 20 % or more on the 12 months before, or new this
    year and already in the top fifth by revenue. Image-maker and expert: only the team."""
    if facts is None or not facts.in_year or facts.revenue <= 0:
        return None
    share = facts.revenue / total_revenue if total_revenue > 0 else Decimal(0)
    since = facts.first_purchase
    long_enough = since is not None and since <= _years_before(as_of, SUPPORTER_YEARS)
    if share >= SUPPORTER_SHARE and long_enough:
        return Suggestion(
            "supporter",
            _("%(share)s of revenue in the 12 months to %(as_of)s, a customer since %(since)s")
            % {"share": percent(share), "as_of": day(as_of), "since": day(since)},
        )
    if facts.growth_prev is not None and facts.growth_prev >= PROSPECTIVE_GROWTH:
        return Suggestion(
            "prospective",
            _("revenue up %(growth)s on the 12 months before")
            % {"growth": percent(facts.growth_prev, 0)},
        )
    if facts.new_in_period and (facts.volume_rank or 0) >= PROSPECTIVE_NEW_RANK:
        return Suggestion(
            "prospective",
            _(
                "new in the 12 months to %(as_of)s and already as large as %(rank)s of the "
                "accounts by revenue"
            )
            % {"as_of": day(as_of), "rank": percent(facts.volume_rank, 0)},
        )
    return None


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
