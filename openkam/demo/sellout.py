"""Demo sell-out: what the retail key accounts (modern trade) sold of our products, per store and
month, for the 24 full months before today, imported through `kam import sellout`'s own code.

Each retailer has two to five stores and grows one way: by more shoppers, by more frequent
visits, or by bigger baskets (in turn); the accounts the sales history will lose or shrink
(`risk.accounts_at_risk`) lose shoppers instead, and one store closes. One store of some
retailers growing by shoppers opens in the second year. Drawn from its own random generator
(seeded from the demo seed); the results are computed at once (the background task would wait
for `kam serve`'s worker).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
from pathlib import Path

from openkam.accounts.models import Account, AccountStatus
from openkam.analytics.sellout import add_months
from openkam.sellout.importer import import_sellout
from openkam.sellout.models import SelloutImport
from openkam.sellout.services import sellout_recompute
from openkam.users.models import User

from .risk import accounts_at_risk

RETAIL_SEGMENT = "Modern trade"
MONTHS = 24
STORE_NAMES = ("Flagship", "Downtown", "Mall", "Airport", "Riverside", "Online")
GROWTH_STYLES = ("shoppers", "frequency", "spend")
YEARLY_GROWTH = 0.18  # the lever an account grows by rises by this much a year


def retail_key_accounts():
    return Account.objects.filter(status=AccountStatus.KEY, segment__name=RETAIL_SEGMENT).order_by(
        "external_id", "pk"
    )


def _rows(account: Account, style: str, shrinking: bool, rng: random.Random, first: dt.date):
    stores = STORE_NAMES[: rng.randint(2, 5)]
    opening = stores[-1] if style == "shoppers" and not shrinking and rng.random() < 0.5 else None
    closing = stores[-1] if shrinking else None
    for store in stores:
        shoppers0 = rng.randint(800, 6000)
        visits0 = rng.uniform(1.4, 2.6)
        basket0 = rng.uniform(6.0, 18.0)
        for index in range(MONTHS):
            month = add_months(first, index)
            if (store == opening and index < 12) or (store == closing and index >= 18):
                continue
            years = index / 12
            grow = 1 + YEARLY_GROWTH * years
            shoppers = shoppers0 * (grow if style == "shoppers" else 1.0)
            visits = visits0 * (grow if style == "frequency" else 1.0)
            basket = basket0 * (grow if style == "spend" else 1.0)
            if shrinking:
                shoppers = shoppers0 * (1 - 0.2 * years)
            seasonal = 1 + 0.06 * (month.month in (11, 12)) + rng.uniform(-0.03, 0.03)
            buyers = max(1, round(shoppers * seasonal))
            trips = max(buyers, round(buyers * visits))
            yield [
                account.external_id or account.name,
                store,
                f"{month:%Y-%m}",
                buyers,
                trips,
                round(trips * rng.uniform(1.5, 3.0)),
                f"{trips * basket:.2f}",
            ]


def load_sellout(*, seed: int, today: dt.date) -> SelloutImport | None:
    """Generate and import the retail key accounts' sell-out; None when there are none."""
    accounts = list(retail_key_accounts())
    actor = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if not accounts or actor is None:
        return None
    rng = random.Random(f"sellout-{seed}")
    at_risk = accounts_at_risk(seed=seed, today=today)
    first = add_months(today.replace(day=1), -MONTHS)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo-sellout.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["account", "store", "period", "shoppers", "visits", "units", "value"])
            for index, account in enumerate(accounts):
                style = GROWTH_STYLES[index % len(GROWTH_STYLES)]
                writer.writerows(_rows(account, style, account.pk in at_risk, rng, first))
        batch = import_sellout(path, actor=actor)
    sellout_recompute()
    return batch
