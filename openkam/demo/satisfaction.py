"""Demo satisfaction: survey answers (CSAT and NPS) of some stakeholders at key accounts every
quarter for two or three years, and answers twice a year at some other accounts.

Most accounts the sales history will lose or shrink (`risk.accounts_at_risk`) grow less happy
from their trouble date on — NPS and CSAT falling quarter after quarter, decision makers turning
detractors — and nothing is answered after a lost account's loss. Healthy accounts have noise:
a bad quarter now and then, and a few decision makers who answer badly. Drawn from its own
random generator (seeded from the demo seed), validated field by field and written in bulk
(fast at 10,000 accounts).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from openkam.accounts.models import Account, AccountStatus
from openkam.satisfaction.models import Source, SurveyResponse
from openkam.satisfaction.selectors import quarter_end, quarter_index, quarter_of, quarter_start
from openkam.stakeholders.models import BuyingRole, Stakeholder

from .risk import accounts_at_risk

OTHER_SURVEYED = 0.3  # the share of other (not key) accounts surveyed twice a year
OTHER_AT_RISK_SURVEYED = 0.8  # … of those at risk (the signs must be there to be seen)
DECLINING = 0.8  # the share of accounts at risk whose answers show it
NPS_FALL_PER_QUARTER = 1.5  # points of the 0–10 answer lost per quarter of trouble
NPS_FALL_MAX = 6.0
CSAT_PER_NPS = 0.4  # a CSAT point falls with every 2.5 NPS points
DIP = 0.08  # healthy accounts with one bad quarter
ODD_DETRACTOR = 0.05  # healthy key accounts whose decision maker last answered badly
COMMENTS = {
    "good": (
        "Reliable deliveries and a responsive team.",
        "The new range sells well in our stores.",
        "Good support on the last promotion.",
        "Easy to work with.",
    ),
    "passive": (
        "Fine overall; prices could be sharper.",
        "Deliveries are mostly on time.",
        "We would like more visits from the team.",
    ),
    "bad": (
        "Deliveries were late several times this quarter.",
        "Promised samples never arrived.",
        "Our complaints take too long to be answered.",
        "A competitor offers better terms.",
        "Quality of the last batches was poor.",
    ),
}
_FKS = ["account", "stakeholder", "author"]


def _people(account_ids: list[int]) -> dict[int, list[tuple[int, bool]]]:
    """Each account's active stakeholders: (id, is a decision maker)."""
    people: dict[int, list[tuple[int, bool]]] = {}
    rows = Stakeholder.objects.filter(account_id__in=account_ids, active=True).order_by("pk")
    for account_id, pk, role in rows.values_list("account_id", "pk", "buying_role"):
        people.setdefault(account_id, []).append((pk, role == BuyingRole.DECISION_MAKER))
    return people


def _chunks(ids: list[int], size: int = 2000):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def _from_index(index: int) -> tuple[int, int]:
    return index // 4, index % 4 + 1


def load_satisfaction(*, seed: int, today: dt.date, accounts: dict[int, Account]) -> int:
    """Write the survey answers; returns how many."""
    rng = random.Random(f"openkam-demo-satisfaction-{seed}")
    risks = accounts_at_risk(seed=seed, today=today)
    ordered = sorted(
        (a for a in accounts.values() if a.status != AccountStatus.PROSPECT), key=lambda a: a.pk
    )
    people: dict[int, list[tuple[int, bool]]] = {}
    for chunk in _chunks([a.pk for a in ordered]):
        people.update(_people(chunk))
    now = quarter_index(*quarter_of(today))
    rows: list[SurveyResponse] = []
    for account in ordered:
        key = account.status == AccountStatus.KEY
        risk = risks.get(account.pk)
        surveyed = OTHER_AT_RISK_SURVEYED if risk else OTHER_SURVEYED
        if not key and rng.random() >= surveyed:
            continue
        declining = risk is not None and rng.random() < DECLINING
        survey = _Survey(rng, account.pk, people.get(account.pk, []), today)
        survey.trouble = risk.trouble_from if declining else None
        survey.end = min(risk.lost_on, today) if risk and risk.lost_on else today
        quarters = 4 * rng.choice((2, 3))
        dip = None if risk or rng.random() >= DIP else now - rng.randrange(quarters)
        for index in range(now - quarters + 1, now + 1):
            if not key and index % 2 != survey.season % 2:
                continue  # twice a year
            answers = rng.randint(2, 4) if key else rng.randint(1, 2)
            rows.extend(survey.quarter(index, answers, dip=index == dip))
        if key and not risk and rng.random() < ODD_DETRACTOR:
            survey.odd_detractor(rows)
    for number, row in enumerate(rows):
        row.source_key = hashlib.sha256(f"demo-survey:{seed}:{number}".encode()).hexdigest()
        row.clean_fields(exclude=_FKS)
    SurveyResponse.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


class _Survey:
    """One account's respondents, their own mood and the account's trouble."""

    def __init__(
        self, rng: random.Random, pk: int, people: list[tuple[int, bool]], today: dt.date
    ) -> None:
        self.rng, self.pk, self.today = rng, pk, today
        self.people = people
        self.nps = _clamp(rng.gauss(8.3, 0.7), 6.0, 9.8)
        self.csat = _clamp(rng.gauss(4.2, 0.35), 3.0, 5.0)
        self.mood = {pk: rng.gauss(0, 0.6) for pk, _dm in people}
        self.season = rng.randrange(4)
        self.trouble: dt.date | None = None
        self.end = today

    def _respondents(self, count: int) -> list[int | None]:
        if not self.people:
            return [None] * count
        makers = [pk for pk, dm in self.people if dm]
        chosen = [self.rng.choice(makers)] if makers and self.rng.random() < 0.75 else []
        others = [pk for pk, _dm in self.people if pk not in chosen]
        self.rng.shuffle(others)
        chosen += others[: max(count - len(chosen), 0)]
        return chosen or [None]

    def _fall(self, day: dt.date) -> float:
        if self.trouble is None or day < self.trouble:
            return 0.0
        quarters = (day - self.trouble).days / 91
        return min(1.5 + NPS_FALL_PER_QUARTER * quarters, NPS_FALL_MAX)

    def quarter(self, index: int, count: int, *, dip: bool) -> list[SurveyResponse]:
        year, quarter = _from_index(index)
        start, end = quarter_start(year, quarter), min(quarter_end(year, quarter), self.end)
        if start > end:
            return []
        rows = []
        for person in self._respondents(count):
            day = start + dt.timedelta(days=self.rng.randint(0, (end - start).days))
            fall = self._fall(day) + (2.5 if dip else 0.0)
            mood = self.mood.get(person, 0.0) if person else 0.0
            nps = round(_clamp(self.rng.gauss(self.nps - fall + mood, 0.9), 0, 10))
            csat = round(
                _clamp(self.rng.gauss(self.csat - CSAT_PER_NPS * fall + mood / 3, 0.45), 1, 5)
            )
            roll = self.rng.random()
            rows.append(
                SurveyResponse(
                    account_id=self.pk,
                    stakeholder_id=person,
                    answered_on=day,
                    csat=None if roll < 0.1 else csat,
                    nps=None if 0.1 <= roll < 0.2 else nps,
                    comment=self._comment(nps),
                    source=Source.IMPORTED,
                )
            )
        return rows

    def _comment(self, nps: int) -> str:
        if self.rng.random() >= 0.35:
            return ""
        mood = "good" if nps >= 9 else "passive" if nps >= 7 else "bad"
        return self.rng.choice(COMMENTS[mood])

    def odd_detractor(self, rows: list[SurveyResponse]) -> None:
        """Noise: a decision maker of a healthy account whose latest answer is a detractor's."""
        makers = {pk for pk, dm in self.people if dm}
        latest = None
        for row in reversed(rows):
            if row.account_id != self.pk:
                break
            if row.stakeholder_id in makers and (
                latest is None or row.answered_on > latest.answered_on
            ):
                latest = row
        if latest is not None:
            latest.nps = self.rng.randint(2, 6)
            latest.comment = self.rng.choice(COMMENTS["bad"])
