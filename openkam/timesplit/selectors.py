"""Reads on time: each person's 80/20 split and the time each account gets.

A person's time is the duration of the activities they attended (each of our people present
spent it; an activity without our people present counts for its author) plus their weekly
time entries, by purpose: key-account work, new business, other. The share of key-account
work is set against the target (`KAM_KEY_ACCOUNT_TIME_TARGET`, 80 %).

Who sees what: a person sees their own split; directors and administrators (`view_all_time`)
everyone's, side by side. The time an account gets is everyone's time on it — activities and
entries with that account — over the accounts the reader may see.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import DateField, Q, QuerySet, Sum
from django.db.models.functions import Trunc
from django.utils import timezone

from openkam.accounts.models import Account, AccountStatus
from openkam.accounts.querysets import team_scope
from openkam.accounts.selectors import with_owner
from openkam.activities.models import Activity, Purpose
from openkam.metrics import selectors as metrics_selectors
from openkam.metrics.models import AccountPeriodMetrics
from openkam.users.models import User
from openkam.users.roles import Role

from .models import VIEW_EVERYONE, TimeEntry
from .periods import Range, thursday

PURPOSES = tuple(p.value for p in Purpose)
# An account is over-served when its hours per 1,000 of revenue pass this many times the
# median of the accounts shown and its revenue is not growing; a key account is neglected
# with no time, or less than this share of the median time of the key accounts shown.
OVER_SERVED_FACTOR = 2.0
NEGLECTED_SHARE = 0.25


def target() -> float:
    return float(settings.KAM_KEY_ACCOUNT_TIME_TARGET)


def sees_everyone(user: User) -> bool:
    return bool(user and user.is_active and (user.is_superuser or user.has_perm(VIEW_EVERYONE)))


# -- Hours ------------------------------------------------------------------------------------


@dataclass
class Hours:
    """Hours by purpose."""

    key_account: float = 0.0
    new_business: float = 0.0
    other: float = 0.0

    def add(self, purpose: str, hours: float) -> None:
        name = purpose if purpose in PURPOSES else Purpose.OTHER.value
        setattr(self, name, getattr(self, name) + hours)

    @property
    def total(self) -> float:
        return self.key_account + self.new_business + self.other

    @property
    def share(self) -> float | None:
        """The share of key-account work; None without any time."""
        total = self.total
        return self.key_account / total if total > 0 else None

    def as_dict(self) -> dict[str, float]:
        return {p: round(getattr(self, p), 2) for p in PURPOSES}


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _activity_window(prefix: str, start: dt.date, end: dt.date) -> Q:
    """Activities that took place from `start` to `end` (days in the current time zone)."""
    field = f"{prefix}occurred_at"
    return Q(
        **{f"{field}__gte": _moment(start), f"{field}__lt": _moment(end + dt.timedelta(days=1))}
    )


def _entry_window(start: dt.date, end: dt.date) -> Q:
    """Entries whose week's Thursday falls from `start` to `end`."""
    shift = dt.timedelta(days=3)
    return Q(week__gte=start - shift, week__lte=end - shift)


def time_rows(
    start: dt.date, end: dt.date, *, user_ids=None, kind: str | None = None
) -> list[tuple[int, str, dt.date | None, float]]:
    """(user id, purpose, bucket, hours) of everyone's (or `user_ids`') time from `start` to
    `end`, summed per bucket of `kind` (week, month, quarter; None: one sum). Three queries."""
    attended = Activity.our_people.through.objects.filter(
        _activity_window("activity__", start, end)
    )
    written = Activity.objects.filter(
        _activity_window("", start, end), our_people__isnull=True, author__isnull=False
    )
    entries = TimeEntry.objects.filter(_entry_window(start, end))
    if user_ids is not None:
        attended = attended.filter(user_id__in=user_ids)
        written = written.filter(author_id__in=user_ids)
        entries = entries.filter(user_id__in=user_ids)

    def bucketed(queryset, moment: str, *names: str):
        if kind is None:
            return queryset.values(*names)
        bucket = Trunc(moment, kind, output_field=DateField())
        return queryset.annotate(bucket=bucket).values(*names, "bucket")

    rows: list[tuple[int, str, dt.date | None, float]] = []
    for row in bucketed(attended, "activity__occurred_at", "user_id", "activity__purpose").annotate(
        minutes=Sum("activity__duration_minutes")
    ):
        rows.append(
            (row["user_id"], row["activity__purpose"], row.get("bucket"), row["minutes"] / 60)
        )
    for row in bucketed(written, "occurred_at", "author_id", "purpose").annotate(
        minutes=Sum("duration_minutes")
    ):
        rows.append((row["author_id"], row["purpose"], row.get("bucket"), row["minutes"] / 60))
    for user_id, purpose, week, hours in entries.values_list("user_id", "purpose", "week", "hours"):
        rows.append((user_id, purpose, thursday(week), float(hours)))
    return rows


def key_account_share(*, user: User, start: dt.date, end: dt.date) -> float | None:
    """The share of `user`'s recorded time from `start` to `end` (both included) that went to
    key-account work: activities attended (or written without anyone of ours present) plus
    time entries whose week's Thursday falls in the range. None with no time recorded."""
    hours = Hours()
    for _user, purpose, _bucket, value in time_rows(start, end, user_ids=[user.pk]):
        hours.add(purpose, value)
    return hours.share


# -- Each person's split ---------------------------------------------------------------------


@dataclass
class PeriodSplit:
    start: dt.date
    end: dt.date
    hours: Hours


@dataclass
class PersonSplit:
    user: User
    hours: Hours
    periods: list[PeriodSplit]

    @property
    def share(self) -> float | None:
        return self.hours.share

    @property
    def on_target(self) -> bool | None:
        share = self.share
        return None if share is None else share >= target() - 1e-9


def _bucket_start(span: Range, day: dt.date | dt.datetime) -> dt.date:
    if isinstance(day, dt.datetime):
        day = day.date()
    return span.bucket_of(day)


def people_split(*, user: User, span: Range, person: User | None = None) -> list[PersonSplit]:
    """The split of each person `user` may see over `span`, per period: for a director every
    key account manager (and anyone else with time recorded), or only `person`; for anyone
    else only themselves. Four queries."""
    if not sees_everyone(user):
        person = user
    user_ids = None if person is None else [person.pk]
    per_user: dict[int, dict[dt.date, Hours]] = defaultdict(lambda: defaultdict(Hours))
    for user_id, purpose, bucket, hours in time_rows(
        span.start, span.end, user_ids=user_ids, kind=span.period
    ):
        per_user[user_id][_bucket_start(span, bucket)].add(purpose, hours)
    if person is not None:
        people = [person]
    else:
        people = list(
            User.objects.filter(
                Q(is_active=True, groups__name=Role.KEY_ACCOUNT_MANAGER.value)
                | Q(pk__in=list(per_user))
            )
            .distinct()
            .order_by("username")
        )
    buckets = span.buckets()
    out = []
    for someone in people:
        by_bucket = per_user.get(someone.pk, {})
        periods = [PeriodSplit(b.start, b.end, by_bucket.get(b.start, Hours())) for b in buckets]
        total = Hours()
        for split in periods:
            for purpose in PURPOSES:
                total.add(purpose, getattr(split.hours, purpose))
        out.append(PersonSplit(someone, total, periods))
    return out


# -- The time each account gets ---------------------------------------------------------------


@dataclass
class AccountTime:
    account: Account
    hours: float
    revenue: Decimal | None = None
    growth: float | None = None
    hours_per_thousand: float | None = None
    over_served: bool = False
    neglected: bool = False


@dataclass
class AccountReport:
    rows: list[AccountTime] = field(default_factory=list)
    as_of: dt.date | None = None
    currency: str = ""
    median_hours_per_thousand: float | None = None

    @property
    def over_served(self) -> list[AccountTime]:
        return [r for r in self.rows if r.over_served]

    @property
    def neglected(self) -> list[AccountTime]:
        return [r for r in self.rows if r.neglected]


def _scope(user: User, person: User | None) -> QuerySet[Account]:
    accounts = Account.objects.visible_to(user, "view")
    if person is not None:
        accounts = accounts.filter(team_scope(person))
    return accounts


def _account_hours(start: dt.date, end: dt.date, scope: QuerySet[Account]) -> dict[int, float]:
    ids = scope.values("pk")
    hours: dict[int, float] = defaultdict(float)
    attended = (
        Activity.our_people.through.objects.filter(
            _activity_window("activity__", start, end), activity__account_id__in=ids
        )
        .values("activity__account_id")
        .annotate(minutes=Sum("activity__duration_minutes"))
    )
    for row in attended:
        hours[row["activity__account_id"]] += row["minutes"] / 60
    written = (
        Activity.objects.filter(
            _activity_window("", start, end),
            account_id__in=ids,
            our_people__isnull=True,
            author__isnull=False,
        )
        .values("account_id")
        .annotate(minutes=Sum("duration_minutes"))
    )
    for row in written:
        hours[row["account_id"]] += row["minutes"] / 60
    entries = (
        TimeEntry.objects.filter(_entry_window(start, end), account_id__in=ids)
        .values("account_id")
        .annotate(total=Sum("hours"))
    )
    for row in entries:
        hours[row["account_id"]] += float(row["total"])
    return dict(hours)


def account_time(*, user: User, span: Range, person: User | None = None) -> AccountReport:
    """Every key account `user` may see (of `person`'s team, when given) and every other
    such account with time in `span`: its hours (everyone's), its revenue and growth over the
    12 months to the latest metrics snapshot, hours per 1,000 of revenue (the range's hours
    scaled to a year) and whether it looks over-served or neglected. Six queries."""
    scope = _scope(user, person)
    hours = _account_hours(span.start, span.end, scope)
    accounts = list(
        with_owner(scope.filter(Q(pk__in=list(hours)) | Q(status=AccountStatus.KEY))).only(
            "name", "status", "external_id"
        )
    )
    report = AccountReport()
    snapshot = metrics_selectors.snapshot_for()
    figures = {}
    if snapshot is not None:
        report.as_of, report.currency = snapshot.as_of, snapshot.reporting_currency
        figures = {
            row["account_id"]: row
            for row in AccountPeriodMetrics.objects.filter(
                snapshot=snapshot, period="year", account_id__in=[a.pk for a in accounts]
            ).values("account_id", "revenue", "growth_prev")
        }
    yearly = 365.0 / span.days
    for account in accounts:
        row = AccountTime(account, round(hours.get(account.pk, 0.0), 2))
        known = figures.get(account.pk)
        if known is not None:
            row.revenue, row.growth = known["revenue"], known["growth_prev"]
            if row.revenue and row.revenue > 0:
                row.hours_per_thousand = row.hours * yearly / (float(row.revenue) / 1000)
        report.rows.append(row)
    _flag(report)
    report.rows.sort(
        key=lambda r: (not (r.over_served or r.neglected), -r.hours, r.account.name.lower())
    )
    return report


def _flag(report: AccountReport) -> None:
    ratios = [r.hours_per_thousand for r in report.rows if r.hours_per_thousand and r.hours > 0]
    median = statistics.median(ratios) if ratios else None
    report.median_hours_per_thousand = median
    key_rows = [r for r in report.rows if r.account.status == AccountStatus.KEY]
    key_median = statistics.median([r.hours for r in key_rows]) if key_rows else 0.0
    for row in report.rows:
        row.over_served = bool(
            median
            and row.hours_per_thousand is not None
            and row.hours_per_thousand > OVER_SERVED_FACTOR * median
            and row.growth is not None
            and row.growth <= 0
        )
        row.neglected = row.account.status == AccountStatus.KEY and (
            row.hours <= 0 or row.hours < NEGLECTED_SHARE * key_median
        )
