"""The two alert rules of satisfaction (registered in `apps.py`).

- `satisfaction_drop`: the account's latest quarter with answers (the as-of date's quarter or
  the one before) against its previous quarter with answers (at most a year earlier): the
  average CSAT fell by more than `csat_drop` points or the NPS by more than `nps_drop`, each
  quarter with at least `min_answers` answers. Cause ``satisfaction:<account>:<quarter>``
  (one alert per account and quarter).
- `detractor_decision_maker`: a decision maker whose latest answer, given in the last `days`
  days, is a detractor's (NPS ≤ 6 or CSAT ≤ 2). Cause ``detractor:<answer>``: a new bad
  answer is a new cause.

Only answers dated on or before the as-of date count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from openkam.alerts.rules import Finding, Rule, RuleContext, Threshold, register

from .models import SurveyResponse
from .selectors import (
    QuarterPoint,
    detractor_decision_makers,
    quarter_index,
    quarter_of,
    quarter_start,
    quarterly_by_account,
)

_IN_LIST_LIMIT = 1000
LOOK_BACK_QUARTERS = 4  # the previous quarter with answers: at most a year before

DROP_PLAYBOOK = (
    gettext_noop("Read the comments of the quarter's answers and call those who scored lowest."),
    gettext_noop(
        "Find the cause with the account team: service level, quality, delays, a competitor."
    ),
    gettext_noop("Agree corrective actions with the customer and add them to the account plan."),
    gettext_noop("Ask the same people again next quarter to check the effect."),
)
DETRACTOR_PLAYBOOK = (
    gettext_noop("Meet the decision maker within two weeks and listen to what went wrong."),
    gettext_noop("Fix what can be fixed now and confirm in writing what was agreed."),
    gettext_noop("Strengthen the relationship with the other people of the buying centre."),
    gettext_noop("Ask for their opinion again once it is fixed."),
)


def _for_accounts(queryset, ids: frozenset[int]):
    return queryset.filter(account_id__in=ids) if len(ids) <= _IN_LIST_LIMIT else queryset


def _tab(account_id: int, anchor: str = "") -> str:
    url = reverse("satisfaction:account", args=[account_id])
    return f"{url}#{anchor}" if anchor else url


def _shown(value: float | None, digits: int = 0) -> int | float | str:
    if value is None:
        return "—"
    return round(value) if digits == 0 else round(value, digits)


def _fell(before: float | None, after: float | None, by: float) -> bool:
    return before is not None and after is not None and before - after > by


def find_satisfaction_drops(ctx: RuleContext) -> Iterator[Finding]:
    csat_drop = float(ctx.thresholds.get("csat_drop", 0.5))
    nps_drop = float(ctx.thresholds.get("nps_drop", 20))
    min_answers = max(int(ctx.thresholds.get("min_answers", 2)), 1)
    year, quarter = quarter_of(ctx.as_of)
    current = quarter_index(year, quarter)
    first = current - 1 - LOOK_BACK_QUARTERS
    since = quarter_start(first // 4, first % 4 + 1)
    rows = _for_accounts(
        SurveyResponse.objects.filter(answered_on__gte=since, answered_on__lte=ctx.as_of),
        ctx.account_ids,
    )
    for account_id, series in sorted(quarterly_by_account(rows).items()):
        if account_id not in ctx.account_ids:
            continue
        latest = series[-1]
        if latest.index < current - 1 or latest.answers < min_answers:
            continue
        previous = _previous(series, min_answers)
        if previous is None:
            continue
        csat_fell = _fell(previous.csat, latest.csat, csat_drop)
        nps_fell = _fell(previous.nps, latest.nps, nps_drop)
        if not (csat_fell or nps_fell):
            continue
        yield Finding(
            account_id=account_id,
            cause=f"satisfaction:{account_id}:{latest.key}",
            evidence=gettext_noop(
                "Satisfaction fell from %(previous)s to %(quarter)s: average CSAT %(csat_before)s "
                "→ %(csat_after)s, NPS %(nps_before)s → %(nps_after)s (%(answers)s answers)."
            ),
            params={
                "previous": previous.key,
                "quarter": latest.key,
                "csat_before": _shown(previous.csat, 1),
                "csat_after": _shown(latest.csat, 1),
                "nps_before": _shown(previous.nps),
                "nps_after": _shown(latest.nps),
                "answers": latest.answers,
            },
            url=_tab(account_id, "trend"),
        )


def _previous(series: list[QuarterPoint], min_answers: int) -> QuarterPoint | None:
    latest = series[-1]
    for point in reversed(series[:-1]):
        if latest.index - point.index > LOOK_BACK_QUARTERS:
            return None
        if point.answers >= min_answers:
            return point
    return None


def find_detractor_decision_makers(ctx: RuleContext) -> Iterator[Finding]:
    days = max(int(ctx.thresholds.get("days", 180)), 1)
    rows = _for_accounts(
        SurveyResponse.objects.filter(answered_on__gt=ctx.as_of - dt.timedelta(days=days)),
        ctx.account_ids,
    )
    for detractor in detractor_decision_makers(rows, as_of=ctx.as_of):
        if detractor.account_id not in ctx.account_ids:
            continue
        yield Finding(
            account_id=detractor.account_id,
            cause=f"detractor:{detractor.response_id}",
            evidence=gettext_noop(
                "%(name)s, a decision maker, answered on %(day)s with NPS %(nps)s and CSAT "
                "%(csat)s/5."
            ),
            params={
                "name": detractor.name,
                "day": detractor.answered_on.isoformat(),
                "nps": _shown(detractor.nps),
                "csat": _shown(detractor.csat),
            },
            url=_tab(detractor.account_id, f"answer-{detractor.response_id}"),
        )


SATISFACTION_DROP = Rule(
    key="satisfaction_drop",
    label=_("A satisfaction drop"),
    find=find_satisfaction_drops,
    playbook=DROP_PLAYBOOK,
    thresholds=(
        Threshold("csat_drop", _("Fall of the quarter's average CSAT (points)"), 0.5, 0.1, 4),
        Threshold("nps_drop", _("Fall of the quarter's NPS (points)"), 20, 1, 200),
        Threshold("min_answers", _("Answers needed in each quarter compared"), 2, 1, 100),
    ),
)
DETRACTOR_DECISION_MAKER = Rule(
    key="detractor_decision_maker",
    label=_("A detractor decision maker"),
    find=find_detractor_decision_makers,
    playbook=DETRACTOR_PLAYBOOK,
    thresholds=(Threshold("days", _("Days an answer stays recent enough to alert"), 180, 1, 1095),),
)


def register_rules() -> None:
    register(SATISFACTION_DROP)
    register(DETRACTOR_DECISION_MAKER)
