"""What a user's weekly digest says, read as that user (everything through `visible_to`).

A key account manager's part is about the accounts they own and what they owe: their open
alerts, overdue accounts, late commitments, unanswered requests and late plan actions, their
meetings in the week ahead and the accounts nobody has contacted for `KAM_DIGEST_SILENT_DAYS`.
A director's part (`digest.receive_director_digest`) is about the portfolio: its figures
against their targets, each key account manager's retention, growth and time split, and the
biggest risks. Anyone who owns accounts gets the first part; directors get both.

A section with nothing to say is left out. When a key account manager has nothing late at
all, the digest says so in one line ("nothing late") rather than keeping quiet: a KAM reading
the digest wants to know it looked. Texts are in the active language: `digest_for` switches
to the user's own language and calendar.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import asdict, dataclass, field
from importlib.util import find_spec
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import F, Max, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from openkam.accounts.models import Account, AccountStatus, AccountTeamMember, TeamRole
from openkam.activities.models import Activity
from openkam.core import formatting
from openkam.metrics import selectors as metrics_selectors
from openkam.metrics.models import AccountMetrics, AccountPeriodMetrics, Period, Snapshot
from openkam.plans.models import PlanAction
from openkam.users.models import User

DIRECTOR_PERMISSION = "digest.receive_director_digest"
LIST_LIMIT = 10  # items shown per section; the rest is a link to the full list
RETENTION_TARGET = 0.80  # DOMAIN.md: more than 8 of 10 accounts buy again
KAM_SECTIONS = ("alerts", "overdue", "commitments", "requests", "actions", "meetings", "silent")
LATE_SECTIONS = ("overdue", "commitments", "requests", "actions")
DIRECTOR_SECTIONS = ("portfolio", "kams", "risks")


@dataclass
class Item:
    """One line of a list: what (a link), and a detail line already in the reader's words."""

    label: str
    url: str = ""
    detail: str = ""
    account: str = ""
    account_url: str = ""
    data: dict[str, Any] = field(default_factory=dict)  # the raw values, for the API


@dataclass
class Cell:
    text: str
    url: str = ""
    status: str = ""  # ok, low, high, unknown, or "" (no target)
    value: Any = None  # the raw value, for the API


@dataclass
class Section:
    key: str
    title: str
    audience: str  # kam or director
    items: list[Item] = field(default_factory=list)
    total: int = 0  # how many there are; `items` shows the first LIST_LIMIT
    more_url: str = ""
    headers: list[str] = field(default_factory=list)  # a table: headers and rows of cells
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""

    @property
    def more(self) -> int:
        return max(self.total - len(self.items), 0)

    @property
    def labelled_rows(self) -> list[list[tuple[str, Cell]]]:
        """Each row's cells with their column's header (for the plain text)."""
        return [list(zip(self.headers, row, strict=False)) for row in self.rows]

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["more"] = self.more
        return data


@dataclass
class Digest:
    user: User
    as_of: dt.date
    language: str
    week_start: dt.date  # the week ahead: as_of and the six days after it
    week_end: dt.date
    snapshot_as_of: dt.date | None
    sections: list[Section] = field(default_factory=list)
    is_director: bool = False

    @property
    def empty(self) -> bool:
        return not self.sections

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    @property
    def kam_sections(self) -> list[Section]:
        return [s for s in self.sections if s.audience == "kam"]

    @property
    def director_sections(self) -> list[Section]:
        return [s for s in self.sections if s.audience == "director"]


def user_language(user: User) -> str:
    """The language the user's digest is written in: their own choice, else the site's."""
    return user.language or settings.LANGUAGE_CODE


def is_director(user: User) -> bool:
    return bool(user.is_active and user.has_perm(DIRECTOR_PERMISSION))


def digest_for(user: User, as_of: dt.date | None = None, *, language: str | None = None) -> Digest:
    """The digest of `user` as of `as_of` (today), in the user's language (or `language`: a
    page shows it in the language the page is in) and calendar."""
    as_of = as_of or timezone.localdate()
    language = language or user_language(user)
    with translation.override(language), formatting.use_buddhist_era(user.buddhist_era):
        snapshot = snapshot_as_of(as_of)
        digest = Digest(
            user=user,
            as_of=as_of,
            language=language,
            week_start=as_of,
            week_end=as_of + dt.timedelta(days=6),
            snapshot_as_of=snapshot.as_of if snapshot else None,
            is_director=is_director(user),
        )
        owned = _owned_accounts(user)
        kam = [
            _alerts(user),
            _overdue(user, owned, snapshot),
            _commitments(user, as_of),
            _requests(user, as_of),
            _actions(user, as_of),
            _meetings(user, as_of),
            _silent(user, owned, as_of),
        ]
        sections = [s for s in kam if s is not None]
        has_accounts = owned.exists()
        if has_accounts and not any(s.key in LATE_SECTIONS for s in sections):
            position = 1 if sections and sections[0].key == "alerts" else 0
            sections.insert(
                position,
                Section(
                    "nothing_late",
                    _("Nothing late"),
                    "kam",
                    note=_(
                        "No overdue accounts, late commitments, unanswered requests or late "
                        "plan actions."
                    ),
                ),
            )
        if digest.is_director:
            director = [
                _portfolio(user, snapshot),
                _managers(user, as_of),
                _risks(user),
            ]
            sections += [s for s in director if s is not None]
        digest.sections = sections
    return digest


def snapshot_as_of(as_of: dt.date) -> Snapshot | None:
    """The latest finished metrics snapshot dated on or before `as_of`."""
    key = (
        metrics_selectors.finished_snapshots()
        .filter(as_of__lte=as_of)
        .order_by("-as_of", "-created_at")
        .values_list("as_of", flat=True)
        .first()
    )
    return metrics_selectors.snapshot_for(key) if key else None


# -- Helpers ------------------------------------------------------------------------------


def _url(name: str, *args, query: dict | None = None) -> str:
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode(query)}" if query else url


def _optional(module: str):
    """Another part's selectors, once that part exists (None before)."""
    try:
        found = find_spec(module) is not None
    except ModuleNotFoundError:
        found = False
    return importlib.import_module(module) if found else None


def _owned_accounts(user: User):
    owned = AccountTeamMember.objects.filter(user=user, role=TeamRole.OWNER).values("account_id")
    return Account.objects.visible_to(user, "view").filter(pk__in=owned)


def _days_late(due: dt.date, as_of: dt.date) -> str:
    days = (as_of - due).days
    return ngettext("%(days)s day late", "%(days)s days late", days) % {
        "days": formatting.number(days)
    }


def _listed(queryset, limit: int = LIST_LIMIT) -> tuple[list, int]:
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return rows, len(rows)
    return rows[:limit], queryset.count()


# -- A key account manager's part ---------------------------------------------------------------


def _alerts(user: User) -> Section | None:
    alerts = _optional("openkam.alerts.selectors")
    if alerts is None:
        return None
    rows, total = _listed(alerts.inbox(user=user))
    if not rows:
        return None
    return Section(
        "alerts",
        _("Your open alerts"),
        "kam",
        items=[_alert_item(alert) for alert in rows],
        total=total,
        more_url=_url("alerts:inbox"),
    )


def _alert_item(alert) -> Item:
    """An alert as a line: its rule's name (a link to the alert), its evidence."""
    from openkam.alerts import display

    account = alert.account
    detail = [display.evidence_text(alert)]
    if alert.value_at_risk:
        amount = formatting.money(alert.value_at_risk, settings.REPORTING_CURRENCY)
        detail.append(_("%(revenue)s at risk") % {"revenue": amount})
    return Item(
        label=display.rule_label(alert.rule),
        url=_url("alerts:detail", alert.pk) or alert.url or account.get_absolute_url(),
        detail=" · ".join(part for part in detail if part),
        account=account.name,
        account_url=account.get_absolute_url(),
        data={
            "alert": alert.pk,
            "rule": alert.rule,
            "account_id": account.pk,
            "status": alert.status,
            "raised_at": alert.raised_at,
            "value_at_risk": alert.value_at_risk,
        },
    )


def _overdue(user: User, owned, snapshot: Snapshot | None) -> Section | None:
    if snapshot is None:
        return None
    rows = (
        AccountMetrics.objects.filter(
            snapshot=snapshot, overdue=True, account__in=owned.values("pk")
        )
        .select_related("account")
        .order_by("-days_since_purchase", "account__name", "account_id")
    )
    rows, total = _listed(rows)
    if not rows:
        return None
    revenue = dict(
        AccountPeriodMetrics.objects.filter(
            snapshot=snapshot, period=Period.YEAR, account_id__in=[r.account_id for r in rows]
        ).values_list("account_id", "revenue")
    )
    items = []
    for row in rows:
        parts = [
            ngettext(
                "No purchase for %(days)s day", "No purchase for %(days)s days",
                row.days_since_purchase or 0,
            ) % {"days": formatting.number(row.days_since_purchase)},
        ]  # fmt: skip
        if row.median_interval:
            parts.append(
                _("usually every %(days)s days") % {"days": formatting.number(row.median_interval)}
            )
        if row.account_id in revenue:
            amount = formatting.money(revenue[row.account_id], snapshot.reporting_currency)
            parts.append(_("%(revenue)s in 12 months") % {"revenue": amount})
        items.append(
            Item(
                label=row.account.name,
                url=row.account.get_absolute_url(),
                detail=" · ".join(parts),
                data={
                    "account_id": row.account_id,
                    "days_since_purchase": row.days_since_purchase,
                    "median_interval": row.median_interval,
                    "expected_next_purchase": row.expected_next_purchase,
                },
            )
        )
    return Section(
        "overdue",
        _("Overdue accounts"),
        "kam",
        items=items,
        total=total,
        note=_("Silent longer than their own rhythm, as of %(date)s.")
        % {"date": formatting.day(snapshot.as_of)},
        more_url=_url("portfolio:accounts", query={"flag": "overdue"}),
    )


def _commitments(user: User, as_of: dt.date) -> Section | None:
    selectors = _optional("openkam.commitments.selectors")
    if selectors is None:
        return None
    rows, total = _listed(selectors.late_commitments(user=user, as_of=as_of, mine=True))
    if not rows:
        return None
    items = []
    for row in rows:
        who = row.get_direction_display()
        items.append(
            Item(
                label=row.description,
                url=_url("commitments:account", row.account_id) or row.account.get_absolute_url(),
                detail=" · ".join(
                    [
                        _("due %(date)s") % {"date": formatting.day(row.due_on)},
                        _days_late(row.due_on, as_of),
                        str(who),
                    ]
                ),
                account=row.account.name,
                account_url=row.account.get_absolute_url(),
                data={
                    "commitment": row.pk,
                    "account_id": row.account_id,
                    "direction": row.direction,
                    "due_on": row.due_on,
                },
            )
        )
    return Section(
        "commitments",
        _("Late commitments"),
        "kam",
        items=items,
        total=total,
        more_url=_url("commitments:list"),
    )


def _requests(user: User, as_of: dt.date) -> Section | None:
    selectors = _optional("openkam.commitments.selectors")
    if selectors is None or not hasattr(selectors, "unanswered_requests"):
        return None
    rows, total = _listed(selectors.unanswered_requests(user=user, as_of=as_of, mine=True))
    if not rows:
        return None
    items = [
        Item(
            label=row.subject,
            url=_url("commitments:account", row.account_id) or row.account.get_absolute_url(),
            detail=" · ".join(
                [
                    str(row.get_kind_display()),
                    _("received %(moment)s") % {"moment": formatting.moment(row.received_at)},
                ]
            ),
            account=row.account.name,
            account_url=row.account.get_absolute_url(),
            data={"request": row.pk, "account_id": row.account_id, "kind": row.kind},
        )
        for row in rows
    ]
    return Section(
        "requests",
        _("Unanswered customer requests"),
        "kam",
        items=items,
        total=total,
        note=_("Not answered within the response target."),
        more_url=_url("commitments:requests"),
    )


def _actions(user: User, as_of: dt.date) -> Section | None:
    rows = (
        PlanAction.objects.visible_to(user)
        .overdue(as_of)
        .filter(owner=user)
        .select_related("objective__plan__account")
        .order_by("due_date", "id")
    )
    rows, total = _listed(rows)
    if not rows:
        return None
    items = []
    for row in rows:
        plan = row.objective.plan
        items.append(
            Item(
                label=row.title,
                url=_url("plans:detail", plan.pk),
                detail=" · ".join(
                    [
                        _("due %(date)s") % {"date": formatting.day(row.due_date)},
                        _days_late(row.due_date, as_of),
                        row.objective.title,
                    ]
                ),
                account=plan.account.name,
                account_url=plan.account.get_absolute_url(),
                data={"action": row.pk, "plan": plan.pk, "due_date": row.due_date},
            )
        )
    return Section(
        "actions",
        _("Late plan actions"),
        "kam",
        items=items,
        total=total,
        more_url=_url("plans:list"),
    )


def _local_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _meetings(user: User, as_of: dt.date) -> Section | None:
    start = _local_start(as_of)
    rows = (
        Activity.objects.visible_to(user)
        .filter(occurred_at__gte=start, occurred_at__lt=start + dt.timedelta(days=7))
        .filter(Q(our_people=user) | Q(author=user))
        .distinct()
        .select_related("account", "kind")
        .order_by("occurred_at", "id")
    )
    rows, total = _listed(rows, 20)
    if not rows:
        return None
    items = [
        Item(
            label=row.subject,
            url=row.account.get_absolute_url(),
            detail=" · ".join([formatting.moment(row.occurred_at), str(row.kind)]),
            account=row.account.name,
            account_url=row.account.get_absolute_url(),
            data={"activity": row.pk, "account_id": row.account_id, "at": row.occurred_at},
        )
        for row in rows
    ]
    return Section(
        "meetings",
        _("Your meetings in the week ahead"),
        "kam",
        items=items,
        total=total,
        more_url=_url("activities:list"),
    )


def silent_days() -> int:
    return int(getattr(settings, "KAM_DIGEST_SILENT_DAYS", 60))


def _silent(user: User, owned, as_of: dt.date) -> Section | None:
    days = silent_days()
    cutoff = _local_start(as_of - dt.timedelta(days=days))
    now = _local_start(as_of + dt.timedelta(days=1))
    accounts = (
        owned.exclude(status=AccountStatus.LOST)
        .annotate(
            last_contact=Max("activities__occurred_at", filter=Q(activities__occurred_at__lt=now))
        )
        .filter(Q(last_contact__isnull=True) | Q(last_contact__lt=cutoff))
        .order_by(F("last_contact").asc(nulls_first=True), "name", "pk")  # never met first
    )
    rows, total = _listed(accounts)
    if not rows:
        return None
    items = []
    for account in rows:
        if account.last_contact is None:
            detail = _("no contact recorded")
        else:
            detail = _("last contact %(date)s") % {"date": formatting.day(account.last_contact)}
        items.append(
            Item(
                label=account.name,
                url=account.get_absolute_url(),
                detail=" · ".join([str(account.get_status_display()), detail]),
                data={"account_id": account.pk, "last_contact": account.last_contact},
            )
        )
    return Section(
        "silent",
        ngettext(
            "Accounts not contacted in %(days)s day",
            "Accounts not contacted in %(days)s days",
            days,
        )
        % {"days": formatting.number(days)},
        "kam",
        items=items,
        total=total,
        more_url=_url("accounts:list"),
    )


# -- A director's part ----------------------------------------------------------------------


def _at_least(value: float | None, target: float) -> str:
    return "unknown" if value is None else ("ok" if value >= target else "low")


def _growing(value: float | None) -> str:
    return "unknown" if value is None else ("ok" if value > 0 else "low")


def _within(value: float | None, low: float, high: float) -> str:
    if value is None:
        return "unknown"
    return "low" if value < low else "high" if value > high else "ok"


def _percent(value: float | None, status: str, *, signed: bool = False) -> Cell:
    return Cell(formatting.percent(value, signed=signed), status=status, value=value)


def _portfolio(user: User, snapshot: Snapshot | None) -> Section | None:
    if snapshot is None:
        return None
    from openkam.portfolio import selectors as portfolio

    cockpit = portfolio.cockpit(
        user=user,
        query=portfolio.CockpitQuery(as_of=snapshot.as_of, period=Period.YEAR),
        snapshot=snapshot,
    )
    if cockpit is None:
        return None
    h = cockpit.headline
    retention, growth = h.get("retention_rate"), h.get("growth_prev")
    share = h.get("key_account_share")
    low, high = portfolio.KEY_SHARE_BAND
    cockpit_url = _url("portfolio:cockpit")
    band = _("%(low)s to %(high)s") % {
        "low": formatting.percent(low, 0),
        "high": formatting.percent(high, 0),
    }
    at_least = _("at least %(target)s") % {"target": formatting.percent(RETENTION_TARGET, 0)}
    revenue = h.get("revenue")
    rows = [
        [
            Cell(_("Retention rate"), cockpit_url),
            _percent(retention, _at_least(retention, RETENTION_TARGET)),
            Cell(at_least, value=RETENTION_TARGET),
        ],
        [
            Cell(_("Revenue growth on the 12 months before"), cockpit_url),
            _percent(growth, _growing(growth), signed=True),
            Cell(_("growth every period"), value=0),
        ],
        [
            Cell(_("Key accounts' share of revenue"), cockpit_url),
            _percent(share, _within(share, low, high)),
            Cell(band, value=[low, high]),
        ],
        [
            Cell(_("Revenue, 12 months"), cockpit_url),
            Cell(formatting.money(float(revenue or 0), snapshot.reporting_currency), value=revenue),
            Cell(""),
        ],
        [
            Cell(_("Accounts overdue"), _url("portfolio:accounts", query={"flag": "overdue"})),
            Cell(formatting.number(h.get("accounts_overdue")), value=h.get("accounts_overdue")),
            Cell(""),
        ],
        [
            Cell(
                _("Accounts lost in the 12 months"),
                _url("portfolio:accounts", query={"flag": "lost_in_period"}),
            ),
            Cell(formatting.number(h.get("lost")), value=h.get("lost")),
            Cell(""),
        ],
    ]
    return Section(
        "portfolio",
        _("The portfolio against its targets"),
        "director",
        headers=[_("Figure"), _("Value"), _("Target")],
        rows=rows,
        note=_("The 12 months to %(date)s.") % {"date": formatting.day(snapshot.as_of)},
        more_url=cockpit_url,
    )


def time_window(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The four whole weeks (Monday to Sunday) before the week of `as_of`."""
    monday = as_of - dt.timedelta(days=as_of.weekday())
    return monday - dt.timedelta(days=28), monday - dt.timedelta(days=1)


def _managers(user: User, as_of: dt.date) -> Section | None:
    from openkam.keyaccounts.selectors import workload

    rows = [row for row in workload(user=user) if row.user.is_active]
    if not rows:
        return None
    timesplit = _optional("openkam.timesplit.selectors")
    target = float(getattr(settings, "KAM_KEY_ACCOUNT_TIME_TARGET", 0.8))
    start, end = time_window(as_of)
    table = []
    for row in rows:
        figures = row.figures
        retention = figures.retention_rate if figures else None
        growth = figures.growth if figures else None
        share = (
            timesplit.key_account_share(user=row.user, start=start, end=end)
            if timesplit is not None
            else None
        )
        cockpit = _url("portfolio:cockpit", query={"owner": row.user.pk})
        table.append(
            [
                Cell(str(row.user), cockpit, value=row.user.username),
                Cell(formatting.number(row.key_count), value=row.key_count),
                _percent(retention, _at_least(retention, RETENTION_TARGET)),
                _percent(growth, _growing(growth), signed=True),
                _percent(share, _at_least(share, target)),
            ]
        )
    return Section(
        "kams",
        _("Key account managers"),
        "director",
        headers=[
            _("Key account manager"),
            _("Key accounts"),
            _("Retention rate"),
            _("Growth"),
            _("Time on key accounts"),
        ],
        rows=table,
        note=_(
            "Retention and growth over 12 months; time on key accounts from %(start)s to "
            "%(end)s (target %(target)s)."
        )
        % {
            "start": formatting.day(start),
            "end": formatting.day(end),
            "target": formatting.percent(target, 0),
        },
        more_url=_url("keyaccounts:workload"),
    )


def _risks(user: User) -> Section | None:
    health = _optional("openkam.health.selectors")
    if health is None:
        return None
    scores = health.biggest_risks(user=user, limit=LIST_LIMIT)
    if not scores:
        return None
    snapshot = metrics_selectors.snapshot_for()
    currency = snapshot.reporting_currency if snapshot else settings.REPORTING_CURRENCY
    items = []
    for score in scores:
        parts = [
            _("health %(score)s of 100") % {"score": formatting.number(score.score)},
            str(score.get_level_display()),
        ]
        if score.revenue is not None:
            parts.append(
                _("%(revenue)s in 12 months")
                % {"revenue": formatting.money(score.revenue, currency)}
            )
        items.append(
            Item(
                label=score.account.name,
                url=_url("health:account", score.account_id) or score.account.get_absolute_url(),
                detail=" · ".join(parts),
                data={
                    "account_id": score.account_id,
                    "score": score.score,
                    "level": score.level,
                    "revenue": score.revenue,
                },
            )
        )
    return Section(
        "risks",
        _("The biggest risks"),
        "director",
        items=items,
        total=len(items),
        note=_("Red and amber accounts with the most revenue at stake."),
        more_url=_url("health:list"),
    )
