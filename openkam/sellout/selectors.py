"""Reads of the sell-out results, always starting from what the user may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from openkam.accounts.models import Account
from openkam.analytics import sellout as engine
from openkam.plans.models import ValueKind, ValueProposition

from .models import SelloutImport, SelloutMonth, SelloutSummary
from .services import month_rows

# the plan's kinds of value proposition, and the lever of the model each acts on
LEVER_OF_KIND = {
    ValueKind.GROW_SHOPPERS: "shoppers",
    ValueKind.GROW_FREQUENCY: "frequency",
    ValueKind.GROW_SPEND: "spend",
}
KIND_OF_LEVER = {lever: kind for kind, lever in LEVER_OF_KIND.items()}


@dataclass(frozen=True)
class AccountSellout:
    before: engine.Period
    after: engine.Period
    result: engine.AccountDecomposition
    first_month: object
    last_month: object


def import_list(*, user):
    return SelloutImport.objects.visible_to(user).select_related("created_by")


def summary_of(*, user, account: Account) -> SelloutSummary | None:
    return SelloutSummary.objects.visible_to(user).filter(account=account).first()


def default_periods(summary: SelloutSummary) -> tuple[engine.Period, engine.Period]:
    return (
        engine.run_of_months(summary.before_first, summary.before_last),
        engine.run_of_months(summary.after_first, summary.after_last),
    )


def account_sellout(
    *,
    user,
    account: Account,
    before: engine.Period | None = None,
    after: engine.Period | None = None,
) -> AccountSellout | None:
    """The account's stored months decomposed between two periods (by default those of the
    stored summary: the last twelve months against the twelve before). None: no sell-out."""
    months = list(
        SelloutMonth.objects.visible_to(user).filter(account=account).order_by("period", "store")
    )
    if not months:
        return None
    if before is None or after is None:
        latest = max(m.period for m in months)
        before, after = engine.last_twelve_months(latest)
    result = engine.decompose_months(month_rows(months), before, after)
    return AccountSellout(before, after, result, months[0].period, months[-1].period)


def value_propositions_by_lever(*, user, account: Account) -> dict[str, list[ValueProposition]]:
    """The account plans' value propositions that act on one of the model's levers."""
    found = (
        ValueProposition.objects.visible_to(user)
        .filter(plan__account=account, kind__in=list(LEVER_OF_KIND))
        .select_related("plan")
        .order_by("kind", "plan__id", "id")
    )
    levers: dict[str, list[ValueProposition]] = {lever: [] for lever in engine.LEVERS}
    for proposition in found:
        levers[LEVER_OF_KIND[proposition.kind]].append(proposition)
    return levers


def lever_change(*, user, proposition: ValueProposition):
    """The measured change of the lever a value proposition acts on (None: no sell-out, or a
    kind no lever measures)."""
    lever = LEVER_OF_KIND.get(proposition.kind)
    if lever is None:
        return None
    summary = summary_of(user=user, account=proposition.plan.account)
    if summary is None:
        return None
    return {
        "lever": lever,
        "amount": getattr(summary, lever),
        "summary": summary,
        "currency": settings.REPORTING_CURRENCY,
    }
