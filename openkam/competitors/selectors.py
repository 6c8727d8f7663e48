"""Reads on competitors, always through the accounts the reader may see."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from openkam.users.models import User

from .models import AccountCompetitor, AccountCompetitorObservation, Competitor


def presence_list(*, user: User) -> QuerySet[AccountCompetitor]:
    return (
        AccountCompetitor.objects.visible_to(user)
        .select_related("account", "competitor")
        .prefetch_related("categories")
    )


def account_presences(*, user: User, account_id: int) -> QuerySet[AccountCompetitor]:
    """The competitors at one account, each with its history (newest first)."""
    history = AccountCompetitorObservation.objects.select_related("recorded_by")
    return (
        presence_list(user=user)
        .filter(account_id=account_id)
        .prefetch_related(Prefetch("observations", queryset=history))
    )


def competitor_list(*, user: User) -> QuerySet[Competitor]:
    """The register, each competitor with how many of the reader's visible accounts it is at
    and has taken."""
    visible = AccountCompetitor.objects.visible_to(user).values("pk")
    return Competitor.objects.annotate(
        account_count=Count("presences", filter=Q(presences__in=visible), distinct=True),
        won_count=Count(
            "presences",
            filter=Q(presences__in=visible, presences__won_account_on__isnull=False),
            distinct=True,
        ),
    ).order_by("name")
