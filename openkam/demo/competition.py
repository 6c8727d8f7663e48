"""Demo competition: a register of competitors fitting the four markets, present at about a
third of the accounts (with the history of their estimates; some took lost accounts), and
tenders over three years, won and lost with reasons and winners.

Drawn from its own random generator (seeded from the demo seed), so the rest of the demo is
unchanged. Written in bulk after the models' validation.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from openkam.accounts.models import Account, AccountStatus
from openkam.catalog.models import ProductCategory
from openkam.competitors.models import (
    AccountCompetitor,
    AccountCompetitorObservation,
    Competitor,
)
from openkam.tenders.models import LostReason, Tender, TenderStatus

COMPETITORS = [
    (
        "Siam Fresh Distribution",
        "https://siamfresh.example",
        "Cold chain across Thailand; low prices",
    ),
    ("Chao Phraya Trading", "https://cptrading.example", "Relationships with Bangkok buyers"),
    ("Lanna Foods", "", "Northern Thailand coverage, organic range"),
    ("Saigon Consumer Goods", "https://scg-vn.example", "Wide range, aggressive promotions"),
    ("Mekong Supply Co.", "https://mekongsupply.example", "Fast delivery in the Mekong delta"),
    ("Hanoi Pacific Trading", "", "Strong with modern trade in the north"),
    ("Beograd Pak", "https://beogradpak.example", "Private label and packaging"),
    ("Dunav Distribucija", "https://dunav-dist.example", "Logistics across Serbia and the region"),
    ("Vojvodina Agrar", "", "Dairy and fresh produce, local sourcing"),
    ("Manila Prime Distributors", "https://manilaprime.example", "Key accounts in Metro Manila"),
    ("Visayas Trade Partners", "", "Island logistics, long credit terms"),
    ("Asia Retail Brands", "https://asiaretail.example", "Regional brands with big trade budgets"),
]
MARKETS = {"TH": [0, 1, 2, 11], "VN": [3, 4, 5, 11], "RS": [6, 7, 8], "PH": [9, 10, 11]}
TENDER_TITLES = [
    "Private label {year}",
    "Annual listing {year}",
    "Promotion calendar {year}",
    "Category captaincy {year}",
    "New stores roll-out {year}",
    "Range review {year}",
]
REASONS = list(LostReason.values)
REASON_WEIGHTS = [30, 10, 8, 8, 6, 6, 5, 20, 7]


def load_competition(*, seed: int, today: dt.date, accounts: dict[int, Account]) -> int:
    """Write the register, presences with history, and tenders; returns how many tenders."""
    rng = random.Random(f"openkam-demo-competition-{seed}")
    register = Competitor.objects.bulk_create(
        [Competitor(name=n, website=w, strengths=s) for n, w, s in COMPETITORS]
    )
    categories = list(ProductCategory.objects.order_by("pk"))
    ordered = sorted(accounts.values(), key=lambda a: a.pk)
    presences: list[AccountCompetitor] = []
    history: list[tuple[int, list[dict]]] = []
    tenders: list[Tender] = []
    for account in ordered:
        pool = [register[i] for i in MARKETS.get(str(account.country), range(len(register)))]
        if account.status == AccountStatus.LOST or rng.random() < 0.3:
            for competitor in rng.sample(pool, k=min(len(pool), rng.choice((1, 1, 2, 3)))):
                observations = []
                share, threat = Decimal(rng.randrange(5, 40)), rng.randint(1, 4)
                day = today - dt.timedelta(days=rng.randint(700, 1000))
                for _ in range(rng.randint(1, 4)):
                    observations.append(
                        {
                            "share_of_wallet": share,
                            "threat_level": threat,
                            "last_seen": day,
                            "won_account_on": None,
                        }
                    )
                    share = min(Decimal(95), max(Decimal(0), share + rng.randint(-5, 12)))
                    threat = min(5, max(1, threat + rng.choice((-1, 0, 1))))
                    day = min(today, day + dt.timedelta(days=rng.randint(60, 300)))
                won = None
                if account.status == AccountStatus.LOST and not any(
                    p.account_id == account.pk and p.won_account_on for p in presences
                ):
                    won = day
                    observations.append(
                        {
                            "share_of_wallet": Decimal(80),
                            "threat_level": 5,
                            "last_seen": day,
                            "won_account_on": won,
                        }
                    )
                last = observations[-1]
                presence = AccountCompetitor(
                    account=account, competitor=competitor, notes="", **last
                )
                presence.full_clean(validate_constraints=False)
                presences.append(presence)
                history.append((len(presences) - 1, observations))
        if account.status in (AccountStatus.KEY, AccountStatus.ACTIVE) and rng.random() < 0.5:
            tenders += _tenders(rng, account, pool, categories, today)
    AccountCompetitor.objects.bulk_create(presences)
    for presence in presences:
        presence.categories.set(rng.sample(categories, k=min(len(categories), rng.randint(0, 2))))
    rows = []
    now = timezone.now()
    for index, observations in history:
        for age, values in enumerate(reversed(observations)):
            rows.append(AccountCompetitorObservation(presence=presences[index], **values))
            rows[-1]._age = age
    AccountCompetitorObservation.objects.bulk_create(rows)
    # the history spreads over time: the oldest estimate the longest ago
    for row in rows:
        row.recorded_at = now - dt.timedelta(days=120 * row._age)
    AccountCompetitorObservation.objects.bulk_update(rows, ["recorded_at"], batch_size=1000)
    Tender.objects.bulk_create(tenders, batch_size=1000)
    return len(tenders)


def _tenders(rng, account, pool, categories, today) -> list[Tender]:
    made = []
    for _ in range(rng.randint(1, 4)):
        announced = today - dt.timedelta(days=rng.randint(30, 3 * 365))
        submitted = announced + dt.timedelta(days=rng.randint(7, 45))
        decided = submitted + dt.timedelta(days=rng.randint(14, 90))
        status = rng.choices(
            [TenderStatus.WON, TenderStatus.LOST, TenderStatus.WITHDRAWN, TenderStatus.CANCELLED],
            weights=[45, 40, 8, 7],
        )[0]
        if decided > today:
            status, decided = TenderStatus.OPEN, None
        tender = Tender(
            account=account,
            title=rng.choice(TENDER_TITLES).format(year=announced.year + 1),
            category=rng.choice(categories) if categories else None,
            value=Decimal(rng.randrange(200, 5000)) * 1000,
            currency=account.reporting_currency or "USD",
            announced_on=announced,
            submitted_on=submitted if submitted <= today else None,
            decided_on=decided if status in (TenderStatus.WON, TenderStatus.LOST) else None,
            status=status,
        )
        if status == TenderStatus.LOST:
            tender.lost_reason = rng.choices(REASONS, weights=REASON_WEIGHTS)[0]
            if tender.lost_reason == LostReason.COMPETITOR or rng.random() < 0.5:
                tender.winner = rng.choice(pool)
            if tender.lost_reason == LostReason.OTHER:
                tender.lost_comment = "The buyer merged the category with another supplier's."
        tender.full_clean(validate_constraints=False)
        made.append(tender)
    return made


def reset_competition() -> None:
    """Delete the tenders, presences (with their history) and the register."""
    Tender.objects.all().delete()
    AccountCompetitor.objects.all().delete()
    Competitor.objects.all().delete()
