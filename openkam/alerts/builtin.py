"""The rules OpenKAM's own apps already know: the purchase rhythm, revenue against a year
before, the health score, stakeholder coverage, departures, competitors and tenders.

Each reads every account at once with a few queries (10,000 accounts in well under a second)
and yields a `Finding` per account and cause. Causes are stable keys of what is wrong, so a
rule run again on the next day raises nothing new until something new happens:

- `overdue`: ``overdue:<expected next purchase>`` — a new purchase moves the expected date.
- `revenue_down`: ``quarter:<end of the calendar quarter>`` — at most once a quarter.
- `health_red`: ``red-since:<date of the first red score of this spell>``.
- `coverage_gap`: per gap, e.g. ``not-met:<stakeholder>:<last contact or never>``.
- `key_person_left`: ``position:<position id>``.
- `competitor_new`: ``presence:<presence id>``.
- `tender_lost`: ``tender:<tender id>``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator

from django.db.models import Max, Min, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from .rules import Finding, Rule, RuleContext, Threshold, register

# Above this many accounts a query reads every row and picks the accounts in Python (one `IN`
# with 10,000 parameters is slower, and SQLite limits them).
_IN_LIMIT = 500

# Words put into the evidence's params, translated when shown.
DECISION_MAKER = gettext_noop("decision maker")
CHAMPION = gettext_noop("champion")


def _for_accounts(queryset: QuerySet, ids: frozenset[int], path: str = "account_id") -> QuerySet:
    return queryset.filter(**{f"{path}__in": ids}) if len(ids) <= _IN_LIMIT else queryset


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _days(ctx: RuleContext, key: str, default: float) -> int:
    return max(int(ctx.thresholds.get(key, default)), 1)


# -- overdue against its own rhythm ------------------------------------------------------------

OVERDUE_PLAYBOOK = (
    gettext_noop("Call the buyer this week and ask how the last delivery sold."),
    gettext_noop("Check for open complaints, late deliveries or price questions."),
    gettext_noop("Propose the next order with a reason to buy now (a promotion, a new item)."),
    gettext_noop("Log the call as an activity and agree a follow-up date."),
)


def find_overdue(ctx: RuleContext) -> Iterator[Finding]:
    """Accounts the analytics flag as overdue against their own rhythm (silence longer than a
    multiple of their median interval), at least `days` days past the expected purchase."""
    from openkam.metrics.models import AccountMetrics

    if ctx.snapshot_id is None:
        return
    grace = max(int(ctx.thresholds.get("days", 0)), 0)
    rows = AccountMetrics.objects.filter(
        snapshot_id=ctx.snapshot_id, overdue=True, expected_next_purchase__isnull=False
    ).values_list(
        "account_id",
        "expected_next_purchase",
        "last_purchase",
        "days_since_purchase",
        "median_interval",
    )
    for account_id, expected, last, days, interval in rows.iterator(chunk_size=5000):
        if account_id not in ctx.account_ids or (ctx.as_of - expected).days < grace:
            continue
        yield Finding(
            account_id=account_id,
            cause=f"overdue:{expected.isoformat()}",
            evidence=gettext_noop(
                "No purchase since %(last)s (%(days)s days); it buys about every %(interval)s "
                "days and was expected to order by %(expected)s."
            ),
            params={
                "last": last.isoformat() if last else "—",
                "days": days,
                "interval": round(interval or 0),
                "expected": expected.isoformat(),
            },
        )


# -- revenue down against the same period a year before ----------------------------------------

REVENUE_PLAYBOOK = (
    gettext_noop("Find which categories and products fell, against the same quarter last year."),
    gettext_noop("Ask the buyer what changed: range, listings, promotions or a competitor."),
    gettext_noop("Agree a recovery action with the customer and put a date on it."),
    gettext_noop("Review the account plan's revenue target."),
)


def _quarter_end(day: dt.date) -> dt.date:
    month = (day.month - 1) // 3 * 3 + 3
    return dt.date(day.year, month, calendar.monthrange(day.year, month)[1])


def find_revenue_down(ctx: RuleContext) -> Iterator[Finding]:
    """The revenue of the quarter (3 months) to the snapshot's date is down more than
    `percent` % against the same quarter a year before. Raised at most once per account and
    calendar quarter (the cause is that quarter's end)."""
    from openkam.analytics.periods import period_bounds
    from openkam.metrics.models import AccountPeriodMetrics, Period

    if ctx.snapshot_id is None:
        return
    limit = -float(ctx.thresholds.get("percent", 20)) / 100
    rows = AccountPeriodMetrics.objects.filter(
        snapshot_id=ctx.snapshot_id,
        period=Period.QUARTER,
        growth_year_ago__lt=limit,
        revenue_year_ago__gt=0,
    ).values_list("account_id", "revenue", "revenue_year_ago", "growth_year_ago")
    start, end = period_bounds(ctx.as_of, Period.QUARTER, 0)
    cause = f"quarter:{_quarter_end(end).isoformat()}"
    for account_id, revenue, year_ago, growth in rows.iterator(chunk_size=5000):
        if account_id not in ctx.account_ids:
            continue
        yield Finding(
            account_id=account_id,
            cause=cause,
            evidence=gettext_noop(
                "Revenue from %(start)s to %(end)s: %(revenue)s, %(growth_pct)s against the same "
                "period a year before (%(year_ago)s)."
            ),
            params={
                "start": start.isoformat(),
                "end": end.isoformat(),
                "revenue": float(revenue),
                "year_ago": float(year_ago),
                "growth_pct": round(growth, 4),
            },
        )


# -- health turned red ---------------------------------------------------------------------------

HEALTH_PLAYBOOK = (
    gettext_noop("Open the account's health and read which components pulled it down."),
    gettext_noop("Meet the decision makers within two weeks and listen to their concerns."),
    gettext_noop("Agree a recovery plan with the account team and a date to review it."),
    gettext_noop("Tell your director and ask for help if a senior contact is needed."),
)


def _health_url(account_id: int) -> str:
    try:
        return reverse("health:account", args=[account_id])
    except NoReverseMatch:  # the health app has no page yet
        return ""


def find_health_red(ctx: RuleContext) -> Iterator[Finding]:
    """Accounts whose health score as of the snapshot is red where the score before was not
    (or there was none): one alert per spell of red, whatever the number of red snapshots."""
    try:
        from openkam.health.models import HealthLevel, HealthScore
    except ImportError:  # the health app is not installed
        return
    if ctx.snapshot_id is None:
        return
    red = {
        account_id: (score, components, as_of)
        for account_id, score, components, as_of in HealthScore.objects.filter(
            snapshot_id=ctx.snapshot_id, level=HealthLevel.RED
        ).values_list("account_id", "score", "components", "as_of")
        if account_id in ctx.account_ids
    }
    if not red:
        return
    scored_on = next(iter(red.values()))[2]
    earlier = HealthScore.objects.filter(as_of__lt=scored_on)
    earlier = _for_accounts(earlier, frozenset(red))
    last_ok = dict(
        earlier.exclude(level=HealthLevel.RED)
        .order_by()
        .values("account_id")
        .annotate(last=Max("as_of"))
        .values_list("account_id", "last")
    )
    first_red: dict[int, dt.date] = {}
    for account_id, day in (
        earlier.filter(level=HealthLevel.RED)
        .order_by("account_id", "as_of")
        .values_list("account_id", "as_of")
        .iterator(chunk_size=5000)
    ):
        if account_id not in red or account_id in first_red:
            continue
        ok = last_ok.get(account_id)
        if ok is None or day > ok:
            first_red[account_id] = day
    for account_id, (score, components, _as_of) in red.items():
        since = first_red.get(account_id, scored_on)
        worst = sorted(
            (
                (part.get("score", 1), key)
                for key, part in (components or {}).items()
                if isinstance(part, dict) and not part.get("missing")
            ),
        )[:2]
        yield Finding(
            account_id=account_id,
            cause=f"red-since:{since.isoformat()}",
            evidence=gettext_noop(
                "Health score %(score)s: red since %(since)s. Weakest: %(weakest)s."
            ),
            params={
                "score": round(score),
                "since": since.isoformat(),
                "weakest": ", ".join(key for _score, key in worst) or "—",
            },
            url=_health_url(account_id),
        )


# -- a coverage gap ------------------------------------------------------------------------------

COVERAGE_PLAYBOOK = (
    gettext_noop("Plan a meeting with the people nobody of ours has met lately."),
    gettext_noop("Ask a colleague (logistics, marketing, a manager) to build a second contact."),
    gettext_noop("Update the org chart: who decides, who influences, who left."),
)


def find_coverage_gaps(ctx: RuleContext) -> Iterator[Finding]:
    """The coverage gaps of key accounts (`openkam.stakeholders.coverage`) that lose customers:
    a decision maker or champion not met, a department out of touch, a weak relationship with
    a decision maker. One alert per gap; a gap that was closed and opens again (a new last
    contact) is a new cause."""
    from openkam.accounts.models import Account, AccountStatus
    from openkam.stakeholders.coverage import GapKind, coverage_gaps

    accounts = Account.objects.filter(status=AccountStatus.KEY).only("pk", "name", "status")
    accounts = [
        a for a in _for_accounts(accounts, ctx.account_ids, "pk") if a.pk in ctx.account_ids
    ]
    if not accounts:
        return
    wanted = {GapKind.NOT_MET, GapKind.OUT_OF_TOUCH, GapKind.WEAK_DECISION_MAKER}
    for gap in coverage_gaps(accounts, now=_end_of(ctx.as_of)):
        if gap.kind not in wanted:
            continue
        last = gap.last_contact.date().isoformat() if gap.last_contact else "never"
        if gap.kind == GapKind.OUT_OF_TOUCH:
            cause = f"out-of-touch:{gap.department.pk}:{last}"
            evidence = gettext_noop("Nobody of ours in touch with %(department)s since %(last)s.")
            url = reverse("stakeholders:coverage", args=[gap.account.pk])
        elif gap.kind == GapKind.NOT_MET:
            cause = f"not-met:{gap.stakeholder.pk}:{last}"
            evidence = gettext_noop("%(name)s (%(role)s) not met since %(last)s.")
            url = reverse("stakeholders:detail", args=[gap.stakeholder.pk])
        else:
            strength = gap.stakeholder.relationship_strength
            cause = f"weak:{gap.stakeholder.pk}:{strength}"
            evidence = gettext_noop(
                "Relationship with decision maker %(name)s is only %(strength)s/5."
            )
            url = reverse("stakeholders:detail", args=[gap.stakeholder.pk])
        person = gap.stakeholder
        yield Finding(
            account_id=gap.account.pk,
            cause=cause,
            evidence=evidence,
            params={
                "department": str(gap.department) if gap.department else "—",
                "name": person.name if person else "",
                "role": (
                    DECISION_MAKER
                    if person and person.buying_role == "decision_maker"
                    else CHAMPION
                ),
                "strength": person.relationship_strength if person else None,
                "last": gap.last_contact.date().isoformat() if gap.last_contact else "—",
            },
            url=url,
        )


# -- a champion or decision maker left -----------------------------------------------------------

DEPARTURE_PLAYBOOK = (
    gettext_noop("Find out who takes over the role and ask for an introduction."),
    gettext_noop("Meet the successor within a month: our history, their priorities."),
    gettext_noop("Check what the person who left had promised or agreed with us."),
    gettext_noop("Record where the person went: a new contact elsewhere may be an opportunity."),
)


def find_key_people_left(ctx: RuleContext) -> Iterator[Finding]:
    """Decision makers and champions (by the position's buying role or the person's attitude)
    whose position at the account ended in the last `days` days without another position at
    the same account starting then (a new title is no departure)."""
    from openkam.stakeholders.models import Attitude, BuyingRole, Position

    since = ctx.as_of - dt.timedelta(days=_days(ctx, "days", 90))
    ended = list(
        _for_accounts(
            Position.objects.filter(ended_on__gt=since, ended_on__lte=ctx.as_of),
            ctx.account_ids,
        )
        .filter(
            Q(buying_role__in=(BuyingRole.DECISION_MAKER, BuyingRole.CHAMPION))
            | Q(stakeholder__attitude=Attitude.CHAMPION)
        )
        .values_list(
            "pk",
            "account_id",
            "stakeholder_id",
            "stakeholder__name",
            "job_title",
            "buying_role",
            "ended_on",
        )
    )
    ended = [row for row in ended if row[1] in ctx.account_ids]
    if not ended:
        return
    followed = set(
        Position.objects.filter(stakeholder_id__in={row[2] for row in ended})
        .filter(started_on__gte=since)
        .values_list("stakeholder_id", "account_id", "started_on")
    )
    for pk, account_id, stakeholder_id, name, title, role, ended_on in ended:
        if any(
            (stakeholder_id, account_id, ended_on + dt.timedelta(days=d)) in followed
            for d in (0, 1)
        ):
            continue
        yield Finding(
            account_id=account_id,
            cause=f"position:{pk}",
            evidence=gettext_noop("%(name)s (%(title)s, %(role)s) left the account on %(on)s."),
            params={
                "name": name,
                "title": title or "—",
                "role": DECISION_MAKER if role == BuyingRole.DECISION_MAKER else CHAMPION,
                "on": ended_on.isoformat(),
            },
            url=reverse("stakeholders:detail", args=[stakeholder_id]),
        )


# -- a competitor newly seen ---------------------------------------------------------------------

COMPETITOR_PLAYBOOK = (
    gettext_noop("Ask the buyer what the competitor offered and in which categories."),
    gettext_noop("Record the competitor's threat and share of wallet on the Competition tab."),
    gettext_noop("Prepare our answer: value we bring, service, a counter-offer if needed."),
)


def find_competitors_new(ctx: RuleContext) -> Iterator[Finding]:
    """A competitor first seen at the account in the last `days` days: the earliest of the
    presence's recording, its observations and their "last seen" dates."""
    from openkam.competitors.models import AccountCompetitor, AccountCompetitorObservation

    since = ctx.as_of - dt.timedelta(days=_days(ctx, "days", 60))
    presences = {
        pk: (account_id, name, threat, seen, created.date() if created else None)
        for pk, account_id, name, threat, seen, created in _for_accounts(
            AccountCompetitor.objects.filter(created_at__lt=_end_of(ctx.as_of)), ctx.account_ids
        ).values_list(
            "pk", "account_id", "competitor__name", "threat_level", "last_seen", "created_at"
        )
        if account_id in ctx.account_ids
    }
    if not presences:
        return
    first: dict[int, dt.date | None] = {}
    for pk, (_account, _name, _threat, seen, created) in presences.items():
        known = [d for d in (seen, created) if d is not None]
        first[pk] = min(known) if known else None
    rows = (
        _for_accounts(
            AccountCompetitorObservation.objects.all(), ctx.account_ids, "presence__account_id"
        )
        .order_by()
        .values("presence_id")
        .annotate(seen=Min("last_seen"), recorded=Min("recorded_at"))
        .values_list("presence_id", "seen", "recorded")
    )
    for pk, seen, recorded in rows.iterator(chunk_size=5000):
        if pk not in first:
            continue
        for day in (seen, recorded.date() if recorded else None):
            if day is not None and (first[pk] is None or day < first[pk]):
                first[pk] = day
    for pk, (account_id, name, threat, _seen, _created) in presences.items():
        day = first[pk]
        if day is None or not (since < day <= ctx.as_of):
            continue
        yield Finding(
            account_id=account_id,
            cause=f"presence:{pk}",
            evidence=gettext_noop(
                "Competitor %(competitor)s first seen at the account on %(on)s (threat "
                "%(threat)s/5)."
            ),
            params={"competitor": name, "on": day.isoformat(), "threat": threat},
            url=reverse("tenders:account", args=[account_id]),
        )


# -- a tender lost -------------------------------------------------------------------------------

TENDER_PLAYBOOK = (
    gettext_noop("Ask the buyer for a debrief: why we lost and what the winner offered."),
    gettext_noop("Record the reason and the winner on the tender."),
    gettext_noop("Check the other business at risk with the same competitor."),
    gettext_noop("Plan for the next tender: date, specification, who to meet before."),
)


def find_tenders_lost(ctx: RuleContext) -> Iterator[Finding]:
    """Tenders lost (decided) in the last `days` days."""
    from openkam.tenders.models import LostReason, Tender, TenderStatus

    since = ctx.as_of - dt.timedelta(days=_days(ctx, "days", 60))
    labels = {value: str(label) for value, label in LostReason.choices}
    rows = _for_accounts(
        Tender.objects.filter(
            status=TenderStatus.LOST, decided_on__gt=since, decided_on__lte=ctx.as_of
        ),
        ctx.account_ids,
    ).values_list("pk", "account_id", "title", "decided_on", "lost_reason", "winner__name")
    for pk, account_id, title, decided_on, reason, winner in rows:
        if account_id not in ctx.account_ids:
            continue
        yield Finding(
            account_id=account_id,
            cause=f"tender:{pk}",
            evidence=gettext_noop(
                "Tender “%(title)s” lost on %(on)s: %(reason)s (winner: %(winner)s)."
            ),
            params={
                "title": title,
                "on": decided_on.isoformat(),
                "reason": labels.get(reason, reason),
                "winner": winner or "—",
            },
            url=reverse("tenders:update", args=[pk]),
        )


# -- registration --------------------------------------------------------------------------------


def _days_threshold(default: float, maximum: float = 365) -> Threshold:
    return Threshold("days", _("Looking back this many days"), default, 1, maximum)


BUILTIN = (
    Rule(
        key="overdue",
        label=_("Overdue against its own rhythm"),
        find=find_overdue,
        playbook=OVERDUE_PLAYBOOK,
        thresholds=(
            Threshold("days", _("Days past the expected purchase before alerting"), 0, 0, 365),
        ),
    ),
    Rule(
        key="revenue_down",
        label=_("Revenue down against a year before"),
        find=find_revenue_down,
        playbook=REVENUE_PLAYBOOK,
        thresholds=(
            Threshold(
                "percent",
                _("Drop (%) of the quarter against the same quarter a year before"),
                20,
                1,
                100,
            ),
        ),
    ),
    Rule(
        key="coverage_gap",
        label=_("A coverage gap"),
        find=find_coverage_gaps,
        playbook=COVERAGE_PLAYBOOK,
    ),
    Rule(
        key="key_person_left",
        label=_("A champion or decision maker left"),
        find=find_key_people_left,
        playbook=DEPARTURE_PLAYBOOK,
        thresholds=(_days_threshold(90),),
    ),
    Rule(
        key="competitor_new",
        label=_("A competitor newly seen"),
        find=find_competitors_new,
        playbook=COMPETITOR_PLAYBOOK,
        thresholds=(_days_threshold(60),),
    ),
    Rule(
        key="tender_lost",
        label=_("A tender lost"),
        find=find_tenders_lost,
        playbook=TENDER_PLAYBOOK,
        thresholds=(_days_threshold(60),),
    ),
)

HEALTH_RED = Rule(
    key="health_red",
    label=_("Health turned red"),
    find=find_health_red,
    playbook=HEALTH_PLAYBOOK,
)


def register_all(*, health: bool) -> None:
    for rule in BUILTIN:
        register(rule)
    if health:
        register(HEALTH_RED)
