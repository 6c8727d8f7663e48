"""Reads on accounts that encode business rules, always through `visible_to`."""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from openkam.core.models import ChangeLogEntry
from openkam.users.models import User

from .models import Account, AccountTeamMember, TeamRole


def with_owner(queryset: QuerySet[Account]) -> QuerySet[Account]:
    """Annotate `owner_username` (the owner's username or None) without a query per row."""
    owners = AccountTeamMember.objects.filter(account=OuterRef("pk"), role=TeamRole.OWNER)
    return queryset.annotate(owner_username=Subquery(owners.values("user__username")[:1]))


def account_list(*, user: User) -> QuerySet[Account]:
    return with_owner(Account.objects.visible_to(user, "view")).select_related("segment")


def account_detail(*, user: User, pk: int) -> QuerySet[Account]:
    team = AccountTeamMember.objects.select_related("user").order_by("role", "user__username")
    return (
        with_owner(Account.objects.visible_to(user, "view"))
        .filter(pk=pk)
        .select_related("segment", "parent", "parent__parent")
        .prefetch_related(Prefetch("team", queryset=team))
    )


def account_subsidiaries(*, user: User, account: Account) -> QuerySet[Account]:
    return account_list(user=user).filter(parent=account)


def account_history(*, account: Account) -> QuerySet[ChangeLogEntry]:
    return (
        ChangeLogEntry.objects.filter(account_id=account.pk)
        .select_related("content_type")
        .order_by("-created_at", "-id")
    )


def account_may(user: User, account: Account, action: str) -> bool:
    return Account.objects.visible_to(user, action).filter(pk=account.pk).exists()
