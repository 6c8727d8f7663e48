"""Reads of the growth app, starting from what the user may see."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from openkam.accounts.models import Account
from openkam.catalog.models import ProductCategory
from openkam.metrics.models import Snapshot
from openkam.metrics.selectors import snapshot_for
from openkam.users.models import User

from .models import CategorySpend, GrowthOpportunity, OpportunityKind, WalletEstimate

MIN_BAND_BUYERS = 3  # a band median of fewer buyers says little (the engine's default too)


def opportunity_list(*, user: User) -> QuerySet[GrowthOpportunity]:
    return GrowthOpportunity.objects.visible_to(user, "view").select_related(
        "account", "category", "decided_by", "plan_action"
    )


def wallet_estimate_list(*, user: User) -> QuerySet[WalletEstimate]:
    return WalletEstimate.objects.visible_to(user, "view").select_related("account", "category")


def latest() -> Snapshot | None:
    return snapshot_for()


def spend_of(account_ids: Iterable[int]) -> dict[tuple[int, int], Decimal]:
    """Our revenue per (account, category) over the 12 months to the latest snapshot."""
    snapshot = latest()
    if snapshot is None:
        return {}
    rows = CategorySpend.objects.filter(snapshot=snapshot, account_id__in=list(account_ids))
    return {
        (account_id, category_id): revenue
        for account_id, category_id, revenue in rows.values_list(
            "account_id", "category_id", "revenue"
        )
    }


def rule_inputs(account: Account) -> list[tuple[int, Decimal, Decimal]]:
    """Per category, what `account` buys from us (0 if nothing) and the median spend of its
    size band's buyers: the categories it buys, and those its band buys (enough buyers)."""
    snapshot = latest()
    if snapshot is None:
        return []
    own = {
        row.category_id: row
        for row in CategorySpend.objects.filter(snapshot=snapshot, account=account)
    }
    if not own:
        return []
    band = next(iter(own.values())).size_band
    medians = dict(
        CategorySpend.objects.filter(
            snapshot=snapshot, size_band=band, band_buyers__gte=MIN_BAND_BUYERS
        )
        .order_by("category_id")
        .values_list("category_id", "band_median")
        .distinct()
    )
    inputs = [(c, row.revenue, row.band_median) for c, row in own.items()]
    inputs += [(c, Decimal(0), median) for c, median in medians.items() if c not in own]
    return sorted(inputs)


def visible_names(user: User, ids: Iterable[int]) -> dict[int, str]:
    """The names of the accounts among `ids` that `user` may see (others stay unnamed)."""
    wanted = set(ids)
    if not wanted:
        return {}
    return dict(Account.objects.visible_to(user).filter(pk__in=wanted).values_list("pk", "name"))


@dataclass
class Why:
    """A suggestion explained: for cross-sell, the share of similar accounts that buy the
    category and a few of them; for up-sell, the account's spend against its size band's."""

    kind: str
    share: float | None = None
    similar_count: int = 0
    named: list[tuple[int, str]] = field(default_factory=list)
    unnamed: int = 0
    band: int | None = None
    bands: int | None = None
    band_buyers: int = 0
    band_median: Decimal | None = None
    spend: Decimal | None = None


def explain(user: User, opportunities: list[GrowthOpportunity]) -> None:
    """Attach a `Why` to each opportunity (`opportunity.reason`), naming only the similar
    accounts `user` may see: one query for all."""
    ids = [i for o in opportunities for i in o.why.get("similar", [])]
    names = visible_names(user, ids)
    for o in opportunities:
        why = o.why or {}
        if o.kind == OpportunityKind.CROSS_SELL:
            similar = why.get("similar", [])
            named = [(i, names[i]) for i in similar if i in names]
            o.reason = Why(
                kind=o.kind,
                share=why.get("share"),
                similar_count=why.get("similar_count", 0),
                named=named,
                unnamed=len(similar) - len(named),
            )
        else:
            o.reason = Why(
                kind=o.kind,
                band=why.get("band"),
                bands=why.get("bands"),
                band_buyers=why.get("band_buyers", 0),
                band_median=Decimal(why["band_median"]) if why.get("band_median") else None,
                spend=Decimal(why["spend"]) if why.get("spend") else None,
            )


@dataclass
class WalletRow:
    category: ProductCategory
    ours: Decimal
    estimate: WalletEstimate | None

    @property
    def share(self) -> float | None:
        if self.estimate is None or not self.estimate.estimated_spend:
            return None
        return float(self.ours / self.estimate.estimated_spend)

    @property
    def headroom(self) -> Decimal | None:
        if self.estimate is None:
            return None
        return max(self.estimate.estimated_spend - self.ours, Decimal(0))


@dataclass
class Wallet:
    year: int
    as_of: object  # the snapshot's date our revenue is measured to (None: no snapshot)
    rows: list[WalletRow]

    @property
    def estimated(self) -> list[WalletRow]:
        return [r for r in self.rows if r.estimate is not None]

    @property
    def total_estimate(self) -> Decimal | None:
        rows = self.estimated
        return sum((r.estimate.estimated_spend for r in rows), Decimal(0)) if rows else None

    @property
    def total_ours(self) -> Decimal:
        """Our revenue in the estimated categories (the share's numerator)."""
        return sum((r.ours for r in self.estimated), Decimal(0))

    @property
    def share(self) -> float | None:
        total = self.total_estimate
        return float(self.total_ours / total) if total else None

    @property
    def headroom(self) -> Decimal | None:
        rows = self.estimated
        return sum((r.headroom for r in rows), Decimal(0)) if rows else None

    @property
    def widest(self) -> Decimal:
        """The largest figure of a row, for the bars' scale."""
        values = [r.ours for r in self.rows]
        values += [r.estimate.estimated_spend for r in self.estimated]
        return max(values, default=Decimal(0))


def share_of_wallet(*, user: User, account: Account, year: int) -> Wallet:
    """Per category the account buys or has an estimate for `year`: our revenue (the 12
    months to the latest snapshot), the estimate, our share and the headroom."""
    snapshot = latest()
    ours: dict[int, Decimal] = {}
    if snapshot is not None:
        ours = dict(
            CategorySpend.objects.filter(snapshot=snapshot, account=account).values_list(
                "category_id", "revenue"
            )
        )
    estimates = {
        e.category_id: e for e in wallet_estimate_list(user=user).filter(account=account, year=year)
    }
    categories = ProductCategory.objects.filter(pk__in=set(ours) | set(estimates)).order_by(
        "name", "pk"
    )
    rows = [
        WalletRow(category=c, ours=ours.get(c.pk, Decimal(0)), estimate=estimates.get(c.pk))
        for c in categories
    ]
    rows.sort(key=lambda r: (-(r.headroom or Decimal(-1)), -r.ours, r.category.name))
    wallet = Wallet(year=year, as_of=snapshot.as_of if snapshot else None, rows=rows)
    widest = wallet.widest
    for r in rows:  # the bars' lengths in pixels
        r.ours_width = int(BAR * max(r.ours, Decimal(0)) / widest) if widest > 0 else 0
        spend = r.estimate.estimated_spend if r.estimate else Decimal(0)
        r.estimate_width = int(BAR * spend / widest) if widest > 0 else 0
    return wallet


BAR = 160
