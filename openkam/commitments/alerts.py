"""The two alert rules of promises and responsiveness (registered in `apps.py`).

- `late_commitment`: one alert per commitment of ours still open `days_late` days (default 7)
  after its due date; cause ``commitment:<pk>:late``.
- `unanswered_request`: one alert per customer request without a first answer after more
  than `hours` working hours (default `KAM_RESPONSE_HOURS`); cause
  ``request:<pk>:unanswered``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from openkam.alerts.rules import Finding, Rule, RuleContext, Threshold, register

from . import working_hours
from .models import Commitment, CustomerRequest, Direction

_IN_LIST_LIMIT = 1000

LATE_COMMITMENT_PLAYBOOK = (
    gettext_noop("Call the customer today: say when it will be done and why it is late."),
    gettext_noop("Agree a new date with our owner and record it on the commitment."),
    gettext_noop("If it cannot be kept, tell the customer now and offer an alternative."),
    gettext_noop("Mark the commitment done as soon as it is delivered."),
)
UNANSWERED_REQUEST_PLAYBOOK = (
    gettext_noop("Answer the customer today, if only to say when the full answer comes."),
    gettext_noop("Give the request an owner who can answer it, and a date."),
    gettext_noop("Check the account's other open requests for delays."),
)


def _for_accounts(queryset, ids: frozenset[int]):
    return queryset.filter(account_id__in=ids) if len(ids) <= _IN_LIST_LIMIT else queryset


def _tab(account_id: int, anchor: str) -> str:
    return f"{reverse('commitments:account', args=[account_id])}#{anchor}"


def find_late_commitments(ctx: RuleContext) -> Iterator[Finding]:
    days = max(int(ctx.thresholds.get("days_late", 7)), 1)
    due_before = ctx.as_of - dt.timedelta(days=days - 1)
    rows = (
        _for_accounts(Commitment.objects.filter(direction=Direction.OURS), ctx.account_ids)
        .open_on(ctx.as_of)
        .filter(due_on__lt=due_before)
        .order_by("due_on", "id")
        .values_list("pk", "account_id", "description", "due_on", "owner__username")
    )
    for pk, account_id, description, due_on, owner in rows.iterator(2000):
        if account_id not in ctx.account_ids:
            continue
        yield Finding(
            account_id=account_id,
            cause=f"commitment:{pk}:late",
            evidence=gettext_noop(
                "“%(description)s” was due on %(due)s and is %(days)s days late (our owner: "
                "%(owner)s)."
            ),
            params={
                "description": description,
                "due": due_on.isoformat(),
                "days": (ctx.as_of - due_on).days,
                "owner": owner,
            },
            url=_tab(account_id, f"commitment-{pk}"),
        )


def find_unanswered_requests(ctx: RuleContext) -> Iterator[Finding]:
    hours = float(ctx.thresholds.get("hours", settings.KAM_RESPONSE_HOURS))
    at = working_hours.moment_of(ctx.as_of)
    w = working_hours.window()
    rows = (
        _for_accounts(CustomerRequest.objects.all(), ctx.account_ids)
        .overdue_at(at, hours)
        .order_by("received_at", "id")
        .values_list("pk", "account_id", "subject", "received_at", "owner__username")
    )
    for pk, account_id, subject, received_at, owner in rows.iterator(2000):
        if account_id not in ctx.account_ids:
            continue
        yield Finding(
            account_id=account_id,
            cause=f"request:{pk}:unanswered",
            evidence=gettext_noop(
                "The request “%(subject)s”, received on %(received)s, has no answer after "
                "%(hours)s working hours (our owner: %(owner)s)."
            ),
            params={
                "subject": subject,
                "received": working_hours.local_day(received_at).isoformat(),
                "hours": round(working_hours.working_hours_between(received_at, at, w)),
                "owner": owner,
            },
            url=_tab(account_id, f"request-{pk}"),
        )


def register_rules() -> None:
    register(
        Rule(
            key="late_commitment",
            label=_("A late commitment"),
            find=find_late_commitments,
            playbook=LATE_COMMITMENT_PLAYBOOK,
            thresholds=(
                Threshold("days_late", _("Days past the due date before alerting"), 7, 1, 365),
            ),
        )
    )
    register(
        Rule(
            key="unanswered_request",
            label=_("An unanswered request"),
            find=find_unanswered_requests,
            playbook=UNANSWERED_REQUEST_PLAYBOOK,
            thresholds=(
                Threshold(
                    "hours",
                    _("Working hours without a first answer before alerting"),
                    float(settings.KAM_RESPONSE_HOURS),
                    1,
                    2000,
                ),
            ),
        )
    )
