"""The components OpenKAM's own apps already know: the sales rhythm and growth, the repeat-purchase
model, the people at the customer, the competitors and the tenders.

Each reads every account at once with a few queries, and only what was known on `ctx.as_of`:
figures of the snapshot of that date, history rows (positions, attitude assessments, competitor
observations, tender decisions) dated on or before it. Where only today's state is stored the
docstring says how it is used for a past date. Apps of their own (commitments, satisfaction)
register their components themselves.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from .components import Component, HealthContext, Reading, register

# Above this many accounts a query reads every row and the accounts are picked in Python: one
# `IN` with 10,000 parameters is slower than reading a few more rows (and SQLite limits them).
_IN_LIMIT = 500
YEAR = dt.timedelta(days=365)


def _for_accounts(queryset: QuerySet, ids: frozenset[int], path: str = "account_id") -> QuerySet:
    return queryset.filter(**{f"{path}__in": ids}) if len(ids) <= _IN_LIMIT else queryset


def _end_of(day: dt.date) -> dt.datetime:
    """The first moment after `day`, in the current time zone (datetimes before it were known
    on `day`)."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _clamp(value: float) -> float:
    return min(max(value, 0.0), 1.0)


# -- purchase rhythm ---------------------------------------------------------------------------

RHYTHM_GRACE = 1.0  # up to its own interval: healthy
RHYTHM_LOST = 3.0  # three intervals of silence: the worst sign


def read_purchase_rhythm(ctx: HealthContext) -> dict[int, Reading]:
    """Days since the last purchase against the account's own median interval (the snapshot of
    `as_of`): 1 at or within its rhythm, falling to 0 at three intervals of silence. Accounts
    with fewer than two purchases have no rhythm, hence no reading."""
    from openkam.metrics.models import AccountMetrics

    if ctx.snapshot_id is None:
        return {}
    rows = AccountMetrics.objects.filter(
        snapshot_id=ctx.snapshot_id, median_interval__gt=0, days_since_purchase__isnull=False
    ).values_list("account_id", "days_since_purchase", "median_interval", "lost")
    readings = {}
    for account_id, days, interval, lost in rows.iterator(chunk_size=5000):
        if account_id not in ctx.account_ids:
            continue
        ratio = days / interval
        score = 0.0 if lost else _clamp(1 - (ratio - RHYTHM_GRACE) / (RHYTHM_LOST - RHYTHM_GRACE))
        params = {"days": days, "interval": round(interval), "ratio": round(ratio, 1)}
        if ratio <= RHYTHM_GRACE:
            evidence = gettext_noop(
                "Last purchase %(days)s days ago; it buys about every %(interval)s days: on rhythm."
            )
        else:
            evidence = gettext_noop(
                "Last purchase %(days)s days ago; it buys about every %(interval)s days: "
                "%(ratio)s times its rhythm."
            )
        readings[account_id] = Reading(score, round(ratio, 2), evidence, params)
    return readings


# -- revenue growth ----------------------------------------------------------------------------

GROWTH_HEALTHY = 0.10  # +10 % against the year before: 1
GROWTH_WORST = -0.30  # −30 % (the backtest's "shrank"): 0


def read_revenue_growth(ctx: HealthContext) -> dict[int, Reading]:
    """Revenue of the 12 months to `as_of` against the 12 months before (the snapshot's year
    figures): 1 from +10 %, 0 at −30 % or worse. No reading without revenue a year before (a new
    account) or without a full year of history."""
    from openkam.metrics.models import AccountPeriodMetrics, Period

    if ctx.snapshot_id is None:
        return {}
    rows = AccountPeriodMetrics.objects.filter(
        snapshot_id=ctx.snapshot_id, period=Period.YEAR, growth_year_ago__isnull=False
    ).values_list("account_id", "growth_year_ago")
    readings = {}
    for account_id, growth in rows.iterator(chunk_size=5000):
        if account_id not in ctx.account_ids:
            continue
        score = _clamp((growth - GROWTH_WORST) / (GROWTH_HEALTHY - GROWTH_WORST))
        readings[account_id] = Reading(
            score,
            round(growth, 4),
            gettext_noop("Revenue of the last 12 months %(growth)s against the 12 months before."),
            {"growth": round(growth, 4)},
        )
    return readings


# -- BG/NBD probability alive ------------------------------------------------------------------


def model_usable(model: dict | None) -> bool:
    """Whether the snapshot's BG/NBD passed its checks (`openkam.analytics.clv.checks`)."""
    model = model or {}
    check = model.get("bgnbd_check") or {}
    return bool(check.get("ok", model.get("usable", False)))


def read_probability_alive(ctx: HealthContext) -> dict[int, Reading]:
    """The BG/NBD probability that the account still buys, from the snapshot of `as_of` — only
    where that snapshot's model passed its checks; otherwise no account has a reading (a
    collapsed fit says every account is alive)."""
    from openkam.metrics.models import AccountMetrics, Snapshot

    if ctx.snapshot_id is None:
        return {}
    model = Snapshot.objects.filter(pk=ctx.snapshot_id).values_list("model", flat=True).first()
    if not model_usable(model):
        return {}
    rows = AccountMetrics.objects.filter(
        snapshot_id=ctx.snapshot_id, prob_alive__isnull=False
    ).values_list("account_id", "prob_alive")
    return {
        account_id: Reading(
            _clamp(alive),
            round(alive, 4),
            gettext_noop("The repeat-purchase model gives it a %(alive)s chance of still buying."),
            {"alive": round(alive, 4)},
        )
        for account_id, alive in rows.iterator(chunk_size=5000)
        if account_id in ctx.account_ids
    }


# -- people: positions as of a date ------------------------------------------------------------

# what a position's buying role or an attitude makes a key person
KEY_ROLES = ("decision_maker", "champion")


def _positions_on(ctx: HealthContext) -> QuerySet:
    """The positions held at the accounts on `as_of` (the stakeholders' history)."""
    from openkam.stakeholders.models import Position

    held = Position.objects.filter(started_on__lte=ctx.as_of).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=ctx.as_of)
    )
    return _for_accounts(held, ctx.account_ids)


def _attitudes_on(stakeholder_ids: Iterable[int], day: dt.date) -> dict[int, str]:
    """Each stakeholder's attitude as assessed on or before `day` (the assessment history)."""
    from openkam.stakeholders.models import AssessedField, StakeholderAssessment

    rows = (
        StakeholderAssessment.objects.filter(field=AssessedField.ATTITUDE, since__lte=day)
        .order_by("stakeholder_id", "since", "id")
        .values_list("stakeholder_id", "value")
    )
    ids = set(stakeholder_ids)
    if len(ids) <= _IN_LIMIT:
        rows = rows.filter(stakeholder_id__in=ids)
    attitudes: dict[int, str] = {}
    for stakeholder_id, value in rows.iterator(chunk_size=5000):
        if stakeholder_id in ids:
            attitudes[stakeholder_id] = value  # the latest wins
    return {k: v for k, v in attitudes.items() if v}


# -- stakeholder coverage ----------------------------------------------------------------------

COVERAGE_GAPS_WORST = 6  # this many gaps or more: 0


def read_coverage(ctx: HealthContext) -> dict[int, Reading]:
    """Coverage gaps on `as_of`, counted like `openkam.stakeholders.coverage`: an essential
    department (buying, operations, marketing) not known, a department with people nobody of ours
    met in the last `KAM_COVERAGE_DAYS` days, a department only one of ours is in touch with, a
    decision maker or champion not met in that time. People and their departments come from
    the positions held on `as_of`, contacts from activities up to it. Departments have no
    history: today's departments are taken as known on any date. An account where nobody was
    known on `as_of` has no reading (its people were not recorded, which is not a gap count)."""
    from openkam.activities.models import Activity
    from openkam.stakeholders.coverage import ESSENTIAL_KINDS, coverage_days
    from openkam.stakeholders.models import Department

    days = coverage_days()
    since = _end_of(ctx.as_of) - dt.timedelta(days=days)
    people: dict[int, dict[int, tuple[int | None, str]]] = defaultdict(dict)
    for account_id, stakeholder_id, department_id, role in _positions_on(ctx).values_list(
        "account_id", "stakeholder_id", "department_id", "buying_role"
    ):
        if account_id in ctx.account_ids:
            people[account_id][stakeholder_id] = (department_id, role)
    if not people:
        return {}
    kinds: dict[int, set[str]] = defaultdict(set)
    for account_id, code in _for_accounts(Department.objects.all(), ctx.account_ids).values_list(
        "account_id", "kind__code"
    ):
        kinds[account_id].add(code)
    contacts: dict[int, set[int]] = defaultdict(set)  # stakeholder → our users who met them
    met = Activity.their_people.through.objects.filter(
        activity__occurred_at__gte=since,
        activity__occurred_at__lt=_end_of(ctx.as_of),
        activity__our_people__isnull=False,
    )
    met = _for_accounts(met, ctx.account_ids, "activity__account_id")
    for stakeholder_id, user_id in met.values_list(
        "stakeholder_id", "activity__our_people"
    ).distinct():
        contacts[stakeholder_id].add(user_id)
    champions = {
        pk
        for pk, attitude in _attitudes_on(
            (s for held in people.values() for s in held), ctx.as_of
        ).items()
        if attitude == "champion"
    }
    readings = {}
    for account_id, held in people.items():
        missing = sum(1 for code in ESSENTIAL_KINDS if code not in kinds[account_id])
        ours_by_department: dict[int, set[int]] = defaultdict(set)
        for stakeholder_id, (department_id, _role) in held.items():
            if department_id is not None:
                ours_by_department[department_id] |= contacts.get(stakeholder_id, set())
        out_of_touch = sum(1 for ours in ours_by_department.values() if not ours)
        single = sum(1 for ours in ours_by_department.values() if len(ours) == 1)
        not_met = sum(
            1
            for stakeholder_id, (_department, role) in held.items()
            if (role in KEY_ROLES or stakeholder_id in champions)
            and not contacts.get(stakeholder_id)
        )
        gaps = missing + out_of_touch + single + not_met
        readings[account_id] = Reading(
            _clamp(1 - gaps / COVERAGE_GAPS_WORST),
            gaps,
            gettext_noop(
                "Coverage gaps: %(gaps)s — departments not known: %(missing)s, out of touch: "
                "%(out_of_touch)s, single-threaded: %(single)s, key people not met in "
                "%(days)s days: %(not_met)s."
            ),
            {
                "gaps": gaps,
                "missing": missing,
                "out_of_touch": out_of_touch,
                "single": single,
                "not_met": not_met,
                "days": days,
            },
        )
    return readings


# -- relationship strength of decision makers --------------------------------------------------

ATTITUDE_SCORE = {"champion": 1.0, "supporter": 0.8, "neutral": 0.5, "critic": 0.2, "blocker": 0.0}


def read_decision_makers(ctx: HealthContext) -> dict[int, Reading]:
    """How the decision makers on `as_of` (positions then) stand with us: their attitude then
    (the assessment history) and their relationship strength 1–5. Strength has no history: it
    is used only for a person whose record has not changed since `as_of` (so today's value was
    already the value then); otherwise the attitude alone counts. Each person 0–1 (strength
    1 → 0, 5 → 1, averaged with the attitude); the account the mean. No decision maker known on
    `as_of`, or none with anything assessed: no reading."""
    from openkam.stakeholders.models import Stakeholder

    makers: dict[int, list[int]] = defaultdict(list)
    for account_id, stakeholder_id in (
        _positions_on(ctx)
        .filter(buying_role="decision_maker")
        .values_list("account_id", "stakeholder_id")
    ):
        if account_id in ctx.account_ids:
            makers[account_id].append(stakeholder_id)
    ids = {pk for people in makers.values() for pk in people}
    if not ids:
        return {}
    attitudes = _attitudes_on(ids, ctx.as_of)
    known_since = _end_of(ctx.as_of)
    strengths = {
        pk: strength
        for pk, strength, updated in Stakeholder.objects.filter(
            pk__in=ids, relationship_strength__isnull=False
        ).values_list("pk", "relationship_strength", "updated_at")
        if updated < known_since
    }
    readings = {}
    for account_id, people in makers.items():
        scores, critics, strength_total, strength_count = [], 0, 0, 0
        for pk in people:
            parts = []
            if pk in strengths:
                parts.append((strengths[pk] - 1) / 4)
                strength_total += strengths[pk]
                strength_count += 1
            if attitudes.get(pk) in ATTITUDE_SCORE:
                parts.append(ATTITUDE_SCORE[attitudes[pk]])
                critics += attitudes[pk] in ("critic", "blocker")
            if parts:
                scores.append(sum(parts) / len(parts))
        if not scores:
            continue
        score = sum(scores) / len(scores)
        readings[account_id] = Reading(
            score,
            round(score * 4 + 1, 1),
            gettext_noop(
                "Decision makers assessed: %(count)s; relationship %(strength)s/5 on average; "
                "critics or blockers: %(critics)s."
            ),
            {
                "count": len(scores),
                "strength": round(strength_total / strength_count, 1) if strength_count else "—",
                "critics": critics,
            },
        )
    return readings


# -- competitor threat -------------------------------------------------------------------------


def read_competitor_threat(ctx: HealthContext) -> dict[int, Reading]:
    """The highest threat (1–5) of the competitors recorded at the account on `as_of`: each
    presence's latest observation recorded by then (the observation history); a presence
    without observations counts with its current threat only if it has not changed since
    `as_of`. A competitor that had taken the account by then counts as 5. Threat 1 → 1, 5 → 0.
    No competitor recorded by `as_of`: no reading."""
    from openkam.competitors.models import AccountCompetitor, AccountCompetitorObservation

    known_since = _end_of(ctx.as_of)
    presences = {
        pk: (account_id, name, threat, won, updated)
        for pk, account_id, name, threat, won, updated in _for_accounts(
            AccountCompetitor.objects.all(), ctx.account_ids
        ).values_list(
            "pk", "account_id", "competitor__name", "threat_level", "won_account_on", "updated_at"
        )
        if account_id in ctx.account_ids
    }
    if not presences:
        return {}
    observed: dict[int, tuple[int, dt.date | None]] = {}
    rows = (
        AccountCompetitorObservation.objects.filter(recorded_at__lt=known_since)
        .order_by("presence_id", "recorded_at", "id")
        .values_list("presence_id", "threat_level", "won_account_on")
    )
    rows = _for_accounts(rows, ctx.account_ids, "presence__account_id")
    for presence_id, threat, won in rows.iterator(chunk_size=5000):
        observed[presence_id] = (threat, won)  # the latest wins
    worst: dict[int, tuple[int, str]] = {}
    for pk, (account_id, name, threat, won, updated) in presences.items():
        if pk in observed:
            threat, won = observed[pk]
        elif updated >= known_since:
            continue  # changed since: what it was on `as_of` is not known
        if won is not None and won <= ctx.as_of:
            threat = 5
        if threat > worst.get(account_id, (0, ""))[0]:
            worst[account_id] = (threat, name)
    return {
        account_id: Reading(
            _clamp(1 - (threat - 1) / 4),
            threat,
            gettext_noop("Highest competitor threat %(threat)s/5: %(competitor)s."),
            {"threat": threat, "competitor": name},
        )
        for account_id, (threat, name) in worst.items()
    }


# -- a champion or decision maker who left -----------------------------------------------------

DEPARTURE_SCORES = (1.0, 0.4, 0.0)  # none, one, two or more in the last 12 months


def read_key_people_left(ctx: HealthContext) -> dict[int, Reading]:
    """Decision makers and champions (by their role in the position, or their attitude then) who
    left the account in the 12 months to `as_of` — a position there ended and no other position
    at the same account followed it (a new title is no departure). Accounts where somebody was
    known during those 12 months have a reading; the others none."""
    from openkam.stakeholders.models import Position

    start = ctx.as_of - YEAR
    rows = _for_accounts(
        Position.objects.filter(started_on__lte=ctx.as_of).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=start)
        ),
        ctx.account_ids,
    ).values_list("account_id", "stakeholder_id", "buying_role", "started_on", "ended_on")
    known: set[int] = set()
    starts: set[tuple[int, int, dt.date]] = set()
    ended = []
    for account_id, stakeholder_id, role, started_on, ended_on in rows:
        if account_id not in ctx.account_ids:
            continue
        known.add(account_id)
        starts.add((account_id, stakeholder_id, started_on))
        if ended_on is not None and start < ended_on <= ctx.as_of:
            ended.append((account_id, stakeholder_id, role, ended_on))
    if not known:
        return {}
    left = [row for row in ended if (row[0], row[1], row[3]) not in starts]
    champions = {
        pk
        for pk, attitude in _attitudes_on({row[1] for row in left}, ctx.as_of).items()
        if attitude == "champion"
    }
    departures: dict[int, set[int]] = defaultdict(set)
    for account_id, stakeholder_id, role, _ended in left:
        if role in KEY_ROLES or stakeholder_id in champions:
            departures[account_id].add(stakeholder_id)
    names = {}
    if departures:
        from openkam.stakeholders.models import Stakeholder

        names = dict(
            Stakeholder.objects.filter(
                pk__in={pk for people in departures.values() for pk in people}
            ).values_list("pk", "name")
        )
    readings = {}
    for account_id in known:
        people = sorted(departures.get(account_id, ()), key=lambda pk: names.get(pk, ""))
        count = len(people)
        if count:
            evidence = gettext_noop(
                "Champions or decision makers who left in the last 12 months: %(count)s "
                "(%(names)s)."
            )
        else:
            evidence = gettext_noop("No champion or decision maker left in the last 12 months.")
        readings[account_id] = Reading(
            DEPARTURE_SCORES[min(count, len(DEPARTURE_SCORES) - 1)],
            count,
            evidence,
            {"count": count, "names": ", ".join(names.get(pk, "?") for pk in people)},
        )
    return readings


# -- tenders lost ------------------------------------------------------------------------------


def read_tenders_lost(ctx: HealthContext) -> dict[int, Reading]:
    """Tenders decided in the 12 months to `as_of` (their decision date): the share won. Lost
    all → 0, won all → 1. No tender decided in that time: no reading. A tender's status is
    today's, but a decided tender keeps its outcome."""
    from openkam.tenders.models import Tender, TenderStatus

    rows = _for_accounts(
        Tender.objects.filter(
            status__in=(TenderStatus.WON, TenderStatus.LOST),
            decided_on__gt=ctx.as_of - YEAR,
            decided_on__lte=ctx.as_of,
        ),
        ctx.account_ids,
    ).values_list("account_id", "status")
    won: dict[int, int] = defaultdict(int)
    lost: dict[int, int] = defaultdict(int)
    for account_id, status in rows:
        if account_id in ctx.account_ids:
            (won if status == TenderStatus.WON else lost)[account_id] += 1
    readings = {}
    for account_id in won.keys() | lost.keys():
        decided = won[account_id] + lost[account_id]
        readings[account_id] = Reading(
            won[account_id] / decided,
            lost[account_id],
            gettext_noop("Tenders lost in the last 12 months: %(lost)s of %(decided)s decided."),
            {"lost": lost[account_id], "decided": decided},
        )
    return readings


BUILTIN = (
    Component(
        "purchase_rhythm",
        _("Purchase rhythm"),
        3.0,
        read_purchase_rhythm,
        _("Days since the last purchase against the account's own rhythm."),
    ),
    Component(
        "revenue_growth",
        _("Revenue growth"),
        3.0,
        read_revenue_growth,
        _("Revenue of the last 12 months against the 12 months before."),
    ),
    Component(
        "probability_alive",
        _("Probability of still buying"),
        2.0,
        read_probability_alive,
        _("The BG/NBD model's probability, only where the model passed its checks."),
    ),
    Component(
        "coverage",
        _("Stakeholder coverage"),
        1.0,
        read_coverage,
        _("Departments and key people we are not in touch with."),
    ),
    Component(
        "decision_makers",
        _("Relationship with decision makers"),
        2.0,
        read_decision_makers,
        _("The decision makers' relationship strength and attitude to us."),
    ),
    Component(
        "competitor_threat",
        _("Competitor threat"),
        1.5,
        read_competitor_threat,
        _("The highest threat of a competitor present at the account."),
    ),
    Component(
        "key_people_left",
        _("Champion or decision maker left"),
        1.5,
        read_key_people_left,
        _("Champions and decision makers who left the account in the last 12 months."),
    ),
    Component(
        "tenders_lost",
        _("Tenders lost"),
        1.0,
        read_tenders_lost,
        _("The share of the tenders decided in the last 12 months that we lost."),
    ),
)


def register_all() -> None:
    for component in BUILTIN:
        register(component)
