"""Every threshold of the engine in one place, with the defaults the domain brief gives."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}
LOST_CRITERIA = ("silence", "rhythm")


@dataclass(frozen=True)
class AnalyticsConfig:
    # ABC: accounts ranked by revenue (or margin) over the window; an account is A while the
    # revenue ranked above it is below the first cut-off, B below the second, C beyond.
    abc_measure: str = "revenue"  # or "margin"
    abc_cutoffs: tuple[float, float] = (0.80, 0.95)
    # XYZ: coefficient of variation of revenue per period over the window (zeros counted).
    xyz_cutoffs: tuple[float, float] = (0.5, 1.0)
    # How many periods the window holds, per period length (ABC, XYZ, series, price trend).
    window_periods: dict[str, int] = field(
        default_factory=lambda: {"month": 12, "quarter": 8, "year": 3}
    )
    # Purchase rhythm: purchase days at most this many days apart are one purchase episode
    # (Friday to Monday is 3), and a rhythm class needs this many episodes (two intervals).
    episode_gap_days: int = 3
    rhythm_min_purchases: int = 3
    # median interval (days) between episodes up to which an account is a monthly (or more
    # often) / quarterly / yearly buyer
    rhythm_classes: tuple[tuple[str, int], ...] = (
        ("monthly", 45),
        ("quarterly", 120),
        ("yearly", 400),
    )
    # above this coefficient of variation of its intervals an account is irregular
    rhythm_irregular_cv: float = 1.0
    # overdue: silence longer than this multiple of the account's own median interval
    overdue_multiple: float = 2.0
    # lost: "silence" = no purchase for `lost_after_days`; "rhythm" = silent for longer than
    # `lost_rhythm_multiple` × the account's own median interval, never under
    # `lost_rhythm_floor_days` (an account with too few purchases for a rhythm: silence)
    lost_criterion: str = "silence"
    lost_after_days: int = 365
    lost_rhythm_multiple: float = 3.0
    lost_rhythm_floor_days: int = 60
    # shrinking (not lost): revenue of the last 12 months down more than this share on the 12
    # months before
    shrinking_decline: float = 0.3
    # Repeat-purchase model (BG/NBD + Gamma-Gamma), in weeks.
    model_holdout_days: int = 182
    clv_horizon_months: int = 12
    clv_annual_discount_rate: float = 0.10
    # Price sensitivity: a "haggler" buys at an average discount deeper than this.
    haggler_discount: float = 0.10
    # Cross-sell: how many whitespace categories to keep per account.
    cross_sell_top: int = 5
    # Up-sell: size bands (quantiles of the window's revenue); a category bought below this
    # share of the band's median spend (with at least this many buyers in the band) is a gap.
    up_sell_bands: int = 10
    up_sell_threshold: float = 0.5
    up_sell_min_buyers: int = 3

    def __post_init__(self) -> None:
        if self.lost_criterion not in LOST_CRITERIA:
            raise ValueError(
                f"lost_criterion={self.lost_criterion!r}: use one of {', '.join(LOST_CRITERIA)}"
            )

    def window(self, period: str) -> int:
        return self.window_periods[period]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
