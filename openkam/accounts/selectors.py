"""Reads on accounts that encode business rules, always through `visible_to`."""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from openkam.core.models import ChangeLogEntry
from openkam.users.models import User

from .models import Account, AccountTeamMember, TeamRole
from .querysets import account_scope


def with_owner(queryset: QuerySet[Account]) -> QuerySet[Account]:
    """Annotate `owner_username` (the owner's username or None) without a query per row."""
    owners = AccountTeamMember.objects.filter(account=OuterRef("pk"), role=TeamRole.OWNER)
    return queryset.annotate(owner_username=Subquery(owners.values("user__username")[:1]))


def account_list(*, user: User) -> QuerySet[Account]:
    return with_owner(Account.objects.visible_to(user, "view")).select_related("segment")


def account_detail(*, user: User, pk: int) -> Account | None:
    """The account with its segment and team (and `owner_username`, read off the team), or
    None when `user` cannot see it. Its parents, which few accounts have, load when read."""
    team = AccountTeamMember.objects.select_related("user").order_by("role", "user__username")
    account = (
        Account.objects.visible_to(user, "view")
        .filter(pk=pk)
        .select_related("segment")
        .prefetch_related(Prefetch("team", queryset=team))
        .first()
    )
    if account is not None:
        owners = (m.user.username for m in account.team.all() if m.role == TeamRole.OWNER)
        account.owner_username = next(owners, None)
    return account


def account_subsidiaries(*, user: User, account: Account) -> QuerySet[Account]:
    """The subsidiaries `user` can see, by name: what the account page lists."""
    return (
        Account.objects.visible_to(user, "view")
        .filter(parent=account)
        .only("pk", "name", "country")
        .order_by("name")
    )


def account_history(*, account: Account) -> QuerySet[ChangeLogEntry]:
    return (
        ChangeLogEntry.objects.filter(account_id=account.pk)
        .select_related("content_type")
        .order_by("-created_at", "-id")
    )


def account_may(user: User, account: Account, action: str) -> bool:
    scope = account_scope(user, action)
    if scope is None or scope == Q():  # none at all, or every account: no query needed
        return scope is not None
    return Account.objects.filter(scope, pk=account.pk).exists()
