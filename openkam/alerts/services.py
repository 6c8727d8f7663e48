"""Writes on alerts: the recompute that raises them, what a person does with one (acknowledge,
snooze, resolve, turn its playbook into plan actions), and the directors' rule settings.

Who acts on an alert: whoever may change its account and holds `alerts.change_alert` (the
account team, directors, administrators). Every action is recorded in the account's change
log. Nothing on a page raises alerts: `alerts_recompute` runs as a background task after the
health scores (or a snapshot) are stored (`receivers.py`).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.models import Account, AccountStatus, TeamRole
from openkam.accounts.selectors import account_may
from openkam.core.changelog import (
    changelog_record,
    creation_changes,
    model_snapshot,
    snapshot_diff,
)
from openkam.core.models import ChangeAction
from openkam.metrics.models import AccountPeriodMetrics, Period, Snapshot, SnapshotStatus
from openkam.users.models import User

from . import rules as registry
from .models import Alert, AlertSettings, AlertStatus
from .rules import RuleContext

log = logging.getLogger(__name__)
BULK = 1000
CHANGE_PERMISSION = "alerts.change_alert"
SETTINGS_PERMISSION = "alerts.add_alertsettings"
MAX_SNOOZE_DAYS = 366


# -- settings ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleSettings:
    rule: registry.Rule
    enabled: bool
    thresholds: dict[str, float]  # every threshold of the rule, defaults filled in
    row: AlertSettings | None  # the row in force (None: the defaults)


def current_settings() -> dict[str, RuleSettings]:
    """Per registered rule the settings in force: its newest row, else the defaults."""
    newest: dict[str, AlertSettings] = {}
    for row in AlertSettings.objects.select_related("set_by").order_by(
        "rule", "-created_at", "-id"
    ):
        newest.setdefault(row.rule, row)
    result = {}
    for rule in registry.rules():
        row = newest.get(rule.key)
        values = {t.key: float(t.default) for t in rule.thresholds}
        if row is not None:
            values.update({k: float(v) for k, v in (row.thresholds or {}).items() if k in values})
        result[rule.key] = RuleSettings(rule, row.enabled if row else True, values, row)
    return result


def may_set(actor: User) -> bool:
    return actor.is_active and (actor.is_superuser or actor.has_perm(SETTINGS_PERMISSION))


@transaction.atomic
def alert_settings_set(
    *,
    actor: User,
    rule: str,
    enabled: bool,
    thresholds: Mapping[str, float] | None = None,
    note: str = "",
) -> AlertSettings:
    """A new row of settings for one rule (the older rows stay: the history)."""
    if not may_set(actor):
        raise PermissionDenied(_("Only sales directors set the alert rules."))
    row = AlertSettings(
        rule=rule, enabled=enabled, thresholds=dict(thresholds or {}), note=note, set_by=actor
    )
    row.full_clean()
    row.save()
    changelog_record(
        actor=actor,
        action=ChangeAction.CREATE,
        instance=row,
        account_id=None,
        changes=creation_changes(row),
    )
    return row


# -- the recompute -----------------------------------------------------------------------------


@dataclass
class RecomputeResult:
    as_of: dt.date
    snapshot_id: int | None
    accounts: int
    raised: dict[str, int] = field(default_factory=dict)  # new alerts per rule
    found: dict[str, int] = field(default_factory=dict)  # findings per rule, old causes too
    failed: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def total_raised(self) -> int:
        return sum(self.raised.values())


def _snapshot_as_of(as_of: dt.date | None) -> Snapshot | None:
    snapshots = Snapshot.objects.filter(status=SnapshotStatus.DONE)
    if as_of is not None:
        snapshots = snapshots.filter(as_of__lte=as_of)
    return snapshots.order_by("-as_of", "-created_at").first()


def alerts_recompute(
    as_of: dt.date | None = None, *, snapshot_id: int | None = None
) -> RecomputeResult:
    """Run every enabled rule over every account as of `as_of` (default: the date of the
    latest snapshot, else today) and store an alert for each finding whose cause was never
    raised for that rule and account. Then refresh the value at risk of the alerts not yet
    resolved from the snapshot's revenue of the last 12 months. Idempotent."""
    started = time.perf_counter()
    snapshot = (
        Snapshot.objects.filter(pk=snapshot_id, status=SnapshotStatus.DONE).first()
        if snapshot_id is not None
        else _snapshot_as_of(as_of)
    )
    as_of = as_of or (snapshot.as_of if snapshot else timezone.localdate())
    account_ids = frozenset(Account.objects.values_list("pk", flat=True))
    result = RecomputeResult(as_of, snapshot.pk if snapshot else None, len(account_ids))
    revenue = {}
    if snapshot is not None:
        revenue = dict(
            AccountPeriodMetrics.objects.filter(snapshot=snapshot, period=Period.YEAR).values_list(
                "account_id", "revenue"
            )
        )
    now = timezone.now()
    for key, rule_settings in current_settings().items():
        if not rule_settings.enabled:
            continue
        ctx = RuleContext(
            as_of=as_of,
            account_ids=account_ids,
            thresholds=rule_settings.thresholds,
            snapshot_id=result.snapshot_id,
        )
        try:
            with transaction.atomic():  # a savepoint: a failed rule spoils no transaction
                known = set(Alert.objects.filter(rule=key).values_list("account_id", "cause"))
                rows, seen, found = [], set(), 0
                for finding in rule_settings.rule.find(ctx):
                    found += 1
                    mark = (finding.account_id, finding.cause[:200])
                    if mark in known or mark in seen:
                        continue
                    seen.add(mark)
                    rows.append(
                        Alert(
                            account_id=finding.account_id,
                            rule=key,
                            cause=finding.cause[:200],
                            evidence=str(finding.evidence),
                            params=_jsonable(finding.params),
                            url=finding.url[:500],
                            as_of=as_of,
                            raised_at=now,
                            value_at_risk=revenue.get(finding.account_id),
                        )
                    )
                Alert.objects.bulk_create(rows, batch_size=BULK, ignore_conflicts=True)
        except Exception:  # one broken rule must not stop the others
            log.exception("alert rule %s failed as of %s", key, as_of)
            result.failed.append(key)
            continue
        result.found[key] = found
        result.raised[key] = len(rows)
    if snapshot is not None:
        revenue_now = AccountPeriodMetrics.objects.filter(
            snapshot=snapshot, period=Period.YEAR, account_id=OuterRef("account_id")
        ).values("revenue")[:1]
        Alert.objects.unresolved().update(value_at_risk=Subquery(revenue_now))
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def _jsonable(params: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in dict(params).items():
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif not isinstance(value, str | int | float | bool | type(None)):
            value = str(value)
        out[str(key)] = value
    return out


# -- acting on an alert ------------------------------------------------------------------------


def may_act(actor: User, alert: Alert) -> bool:
    return (
        actor.is_active
        and (actor.is_superuser or actor.has_perm(CHANGE_PERMISSION))
        and account_may(actor, alert.account, "change")
    )


def _require(actor: User, alert: Alert) -> None:
    if not may_act(actor, alert):
        raise PermissionDenied(
            _("You may not act on the alerts of %(account)s.") % {"account": alert.account}
        )


_ACTION_FIELDS = ["status", "snoozed_until", "resolved_note"]


def _act(actor: User, alert: Alert, **values: Any) -> Alert:
    _require(actor, alert)
    if alert.status == AlertStatus.RESOLVED:
        raise ValidationError(_("The alert is resolved already."))
    before = model_snapshot(alert, _ACTION_FIELDS)
    for name, value in values.items():
        setattr(alert, name, value)
    alert.acted_by = actor
    alert.acted_at = timezone.now()
    alert.full_clean()
    alert.save(update_fields=[*values, "acted_by", "acted_at"])
    changelog_record(
        actor=actor,
        action=ChangeAction.UPDATE,
        instance=alert,
        account_id=alert.account_id,
        changes=snapshot_diff(before, model_snapshot(alert, _ACTION_FIELDS)),
    )
    return alert


@transaction.atomic
def alert_acknowledge(*, actor: User, alert: Alert) -> Alert:
    """Seen and being dealt with: it stays in the inbox, marked acknowledged."""
    return _act(actor, alert, status=AlertStatus.ACKNOWLEDGED, snoozed_until=None)


@transaction.atomic
def alert_snooze(*, actor: User, alert: Alert, until: dt.date | None) -> Alert:
    """Out of the inbox until `until` (a future date); it re-opens the day after."""
    today = timezone.localdate()
    if until is None:
        raise ValidationError({"snoozed_until": _("Give the date until which the alert sleeps.")})
    if until <= today:
        raise ValidationError({"snoozed_until": _("Snooze until a date in the future.")})
    if until > today + dt.timedelta(days=MAX_SNOOZE_DAYS):
        raise ValidationError({"snoozed_until": _("Snooze for a year at most.")})
    return _act(actor, alert, status=AlertStatus.SNOOZED, snoozed_until=until)


@transaction.atomic
def alert_resolve(*, actor: User, alert: Alert, note: str) -> Alert:
    """Done with: the note says how. The same cause never raises it again."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"resolved_note": _("Say how the alert was resolved.")})
    return _act(actor, alert, status=AlertStatus.RESOLVED, resolved_note=note, snoozed_until=None)


# -- playbook → plan actions -------------------------------------------------------------------


@dataclass
class PlanOutcome:
    plan: Any  # AccountPlan
    actions: list  # PlanAction
    plan_created: bool


def plan_target(alert: Alert, year: int | None = None):
    """The account plan the actions go to: the account's plan of this year (None if none)."""
    from openkam.plans.models import AccountPlan

    year = year or timezone.localdate().year
    return AccountPlan.objects.filter(account_id=alert.account_id, year=year).first()


def may_plan(actor: User, alert: Alert) -> bool:
    from openkam.plans.models import PlanAction
    from openkam.plans.services import may_write

    return may_write(actor, alert.account, PlanAction, "add")


def plan_possible(alert: Alert) -> bool:
    """Only key accounts have an account plan."""
    return alert.account.status == AccountStatus.KEY


@transaction.atomic
def alert_to_plan_actions(
    *,
    actor: User,
    alert: Alert,
    steps: Iterable[int],
    due_date: dt.date,
    owner: User | None = None,
) -> PlanOutcome:
    """Turn the chosen steps (indexes into the rule's playbook) into actions of the account's
    plan of this year, under an objective named after the rule (made once, then reused). No
    plan this year: a draft plan is created (a key account's only). The actions' owner is
    `owner`, else the actor if on the account team, else the account's owner. The alert is
    acknowledged if it was open."""
    from openkam.plans import services as plan_services

    rule = registry.rule(alert.rule) if alert.rule in {r.key for r in registry.rules()} else None
    playbook = list(rule.playbook) if rule else []
    chosen = sorted(set(steps))
    if not chosen:
        raise ValidationError({"steps": _("Tick at least one step of the playbook.")})
    if any(i < 0 or i >= len(playbook) for i in chosen):
        raise ValidationError({"steps": _("Not a step of this alert's playbook.")})
    if due_date is None:
        raise ValidationError({"due_date": _("Give the date the actions are due.")})
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": _("The actions cannot be due in the past.")})
    if not plan_possible(alert):
        raise ValidationError(
            _(
                "Only key accounts have an account plan: %(account)s is not a key account, so "
                "its alerts cannot become plan actions."
            )
            % {"account": alert.account}
        )
    account = alert.account
    team = dict(account.team.values_list("user_id", "role"))
    if owner is None:
        if actor.pk in team:
            owner = actor
        else:
            owner_id = next((u for u, role in team.items() if role == TeamRole.OWNER), None)
            owner = User.objects.filter(pk=owner_id).first() if owner_id else None
    if owner is None:
        raise ValidationError({"owner": _("The account has no team to own the actions.")})
    plan = plan_target(alert)
    created = plan is None
    if created:
        plan = plan_services.account_plan_create(
            actor=actor, account=account, year=timezone.localdate().year
        )
    title = str(rule.label)[:200] if rule else alert.rule
    objective = plan.objectives.filter(title=title).first()
    if objective is None:
        objective = plan_services.plan_objective_create(
            actor=actor,
            plan=plan,
            data={"title": title, "description": alert_text(alert)},
        )
    actions = [
        plan_services.plan_action_create(
            actor=actor,
            objective=objective,
            data={"title": _(playbook[i])[:200], "owner": owner, "due_date": due_date},
        )
        for i in chosen
    ]
    if alert.status == AlertStatus.OPEN or alert.woke_up:
        alert_acknowledge(actor=actor, alert=alert)
    return PlanOutcome(plan, actions, created)


def alert_text(alert: Alert) -> str:
    from .display import evidence_text

    return evidence_text(alert)
