"""The health component `satisfaction` (registered in `apps.py`).

The level of the answers of the 12 months to the as-of date — the NPS mapped from −100…+100
to 0…1 and the average CSAT from 1…5 to 0…1, averaged when both exist — moved by half the
change against the 12 months before (a fall lowers it, a rise raises it), and lowered by 0.15
for each decision maker whose latest answer in those 12 months is a detractor's (NPS ≤ 6 or
CSAT ≤ 2). Only answers dated on or before the as-of date count. An account without an answer
in the 12 months to the as-of date has no data. Buying roles have no history here: today's
role of the person counts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from openkam.health.components import Component, HealthContext, Reading, register

from .models import CSAT_MAX, CSAT_MIN, SurveyResponse
from .selectors import Tally, detractor_decision_makers

YEAR = dt.timedelta(days=365)
TREND_WEIGHT = 0.5  # how much of the change against the year before moves the score
DETRACTOR_PENALTY = 0.15  # per detractor decision maker
# Above this many accounts, read every row and keep the wanted ones in Python rather than
# sending a list of ids to the database.
_IN_LIST_LIMIT = 1000

EVIDENCE = gettext_noop(
    "Last 12 months: NPS %(nps)s, CSAT %(csat)s/5 from %(answers)s answers (the 12 months "
    "before: NPS %(previous_nps)s, CSAT %(previous_csat)s/5); detractor decision makers: "
    "%(detractors)s."
)
EVIDENCE_NO_PREVIOUS = gettext_noop(
    "Last 12 months: NPS %(nps)s, CSAT %(csat)s/5 from %(answers)s answers (none the 12 months "
    "before); detractor decision makers: %(detractors)s."
)


def _for_accounts(queryset, ids: frozenset[int]):
    return queryset.filter(account_id__in=ids) if len(ids) <= _IN_LIST_LIMIT else queryset


def level(tally: Tally) -> float | None:
    """0 (every answer the worst) … 1 (every answer the best)."""
    parts = []
    if tally.nps is not None:
        parts.append((tally.nps + 100) / 200)
    if tally.csat is not None:
        parts.append((tally.csat - CSAT_MIN) / (CSAT_MAX - CSAT_MIN))
    return sum(parts) / len(parts) if parts else None


def _shown(value: float | None, digits: int = 0) -> int | float | str:
    if value is None:
        return "—"
    return round(value) if digits == 0 else round(value, digits)


def read_satisfaction(ctx: HealthContext) -> dict[int, Reading]:
    recent_from = ctx.as_of - YEAR  # answers after this day are "the last 12 months"
    rows = _for_accounts(
        SurveyResponse.objects.filter(
            answered_on__gt=ctx.as_of - 2 * YEAR, answered_on__lte=ctx.as_of
        ),
        ctx.account_ids,
    ).values_list("account_id", "answered_on", "csat", "nps")
    recent: dict[int, Tally] = defaultdict(Tally)
    before: dict[int, Tally] = defaultdict(Tally)
    for account_id, day, csat, nps in rows.iterator(chunk_size=5000):
        if account_id in ctx.account_ids:
            (recent if day > recent_from else before)[account_id].add(csat, nps)
    if not recent:
        return {}
    detractors: dict[int, list[str]] = defaultdict(list)
    latest = _for_accounts(
        SurveyResponse.objects.filter(answered_on__gt=recent_from), ctx.account_ids
    )
    for detractor in detractor_decision_makers(latest, as_of=ctx.as_of):
        if detractor.account_id in recent:
            detractors[detractor.account_id].append(detractor.name)
    readings = {}
    for account_id, tally in recent.items():
        now = level(tally)
        previous = before.get(account_id)
        then = level(previous) if previous is not None else None
        score = now + (TREND_WEIGHT * (now - then) if then is not None else 0.0)
        score -= DETRACTOR_PENALTY * len(detractors[account_id])
        params = {
            "nps": _shown(tally.nps),
            "csat": _shown(tally.csat, 1),
            "answers": tally.answers,
            "detractors": len(detractors[account_id]),
            "names": ", ".join(sorted(detractors[account_id])),
        }
        if previous is not None:
            params |= {
                "previous_nps": _shown(previous.nps),
                "previous_csat": _shown(previous.csat, 1),
            }
        readings[account_id] = Reading(
            score=min(max(score, 0.0), 1.0),
            value=round(tally.nps, 1) if tally.nps is not None else None,
            evidence=EVIDENCE if previous is not None else EVIDENCE_NO_PREVIOUS,
            params=params,
        )
    return readings


SATISFACTION = Component(
    key="satisfaction",
    label=_("Satisfaction"),
    default_weight=1.5,
    read=read_satisfaction,
    description=_(
        "NPS and CSAT of the last 12 months, their trend against the 12 months before, and "
        "decision makers who are detractors."
    ),
)


def register_components() -> None:
    register(SATISFACTION)
