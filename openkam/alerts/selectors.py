"""Reads on alerts, always starting from the accounts the reader may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from openkam.accounts.models import Account
from openkam.accounts.querysets import team_scope
from openkam.users.models import User

from .models import Alert

EVERY_ACCOUNT = "accounts.change_all_accounts"  # directors and administrators


def sees_every_account(user: User) -> bool:
    return user.is_superuser or user.has_perm(EVERY_ACCOUNT)


def alert_list(*, user: User) -> QuerySet[Alert]:
    """Every alert `user` may see, newest and most valuable first, with its account."""
    return (
        Alert.objects.visible_to(user, "view")
        .select_related("account", "acted_by")
        .newest_and_most_valuable()
    )


def mine(alerts: QuerySet[Alert], user: User) -> QuerySet[Alert]:
    """The alerts of the accounts whose team `user` is on (and their subsidiaries); a director
    or administrator: all of them."""
    if sees_every_account(user):
        return alerts
    return alerts.filter(account__in=Account.objects.filter(team_scope(user)).values("pk"))


def inbox(*, user: User) -> QuerySet[Alert]:
    """The open alerts `user` must act on — open, acknowledged, or back from a snooze — on
    their accounts (directors: every account), newest and most valuable first."""
    return mine(alert_list(user=user), user).awake(timezone.localdate())


def inbox_count(*, user: User) -> int:
    alerts = mine(Alert.objects.visible_to(user, "view"), user)
    return alerts.awake(timezone.localdate()).count()


def account_alerts(*, user: User, account: Account) -> QuerySet[Alert]:
    """The alerts of one account still awake (whoever's inbox they are in)."""
    return alert_list(user=user).filter(account=account).awake(timezone.localdate())


def alert_detail(*, user: User, pk: int) -> Alert | None:
    return alert_list(user=user).filter(pk=pk).first()
