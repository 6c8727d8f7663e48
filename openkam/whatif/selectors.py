"""What the retention what-if shows, read from the cohort basis a snapshot stored (the engine
never runs here). A user who sees every account (a director, marketing, a viewer) may choose
the portfolio, any owner, country or segment; a key account manager sees their own accounts
only: the owner group with themselves as the key."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django_countries import countries

from openkam.accounts.models import Segment
from openkam.analytics import whatif
from openkam.analytics.whatif import AgeRow, WhatIf
from openkam.metrics.models import Snapshot
from openkam.portfolio.selectors import sees_everything
from openkam.users.models import User

from .models import CohortAge, Group


@dataclass(frozen=True)
class Choice:
    """Which group the what-if is for: the group and its key ("" for the portfolio)."""

    group: str = Group.PORTFOLIO
    key: str = ""


@dataclass
class RetentionWhatIf:
    snapshot: Snapshot
    choice: Choice
    label: str  # the owner's, country's or segment's name; "Portfolio"
    result: WhatIf


def default_choice(user: User) -> Choice:
    """The portfolio for those who see every account, a key account manager's own accounts."""
    if sees_everything(user):
        return Choice()
    return Choice(Group.OWNER, str(user.pk))


def check_choice(user: User, choice: Choice) -> None:
    """PermissionDenied unless `user` may see the what-if of `choice`."""
    if sees_everything(user):
        return
    if choice != Choice(Group.OWNER, str(user.pk)):
        raise PermissionDenied(
            _("You see the what-if of your own accounts only (group=owner, key=%(key)s).")
            % {"key": user.pk}
        )


def basis_rows(snapshot: Snapshot, choice: Choice) -> list[AgeRow]:
    """The stored basis of one group and key, youngest age first. One query."""
    rows = CohortAge.objects.filter(snapshot=snapshot, group=choice.group, key=choice.key).order_by(
        "age"
    )
    return [
        AgeRow(
            age=row.age,
            previously_active=row.previously_active,
            retained=row.retained,
            retained_revenue=row.retained_revenue,
            active_now=row.active_now,
            revenue_now=row.revenue_now,
        )
        for row in rows
    ]


def has_basis(snapshot: Snapshot) -> bool:
    return CohortAge.objects.filter(snapshot=snapshot).exists()


def label_of(choice: Choice) -> str:
    if choice.group == Group.PORTFOLIO:
        return _("Portfolio")
    if not choice.key:
        return _("(none)")
    if choice.group == Group.COUNTRY:
        return str(countries.name(choice.key) or choice.key)
    if not choice.key.isdigit():
        return choice.key
    if choice.group == Group.OWNER:
        user = User.objects.filter(pk=int(choice.key)).first()
        return (user.get_full_name() or user.username) if user else choice.key
    segment = Segment.objects.filter(pk=int(choice.key)).first()
    return segment.name if segment else choice.key


def retention_what_if(
    *, user: User, snapshot: Snapshot, choice: Choice, points: int
) -> RetentionWhatIf:
    """The what-if of `choice` in `snapshot`, raising retention by `points` (checked against
    what the user may see: PermissionDenied otherwise)."""
    check_choice(user, choice)
    result = whatif.what_if(basis_rows(snapshot, choice), points=points)
    return RetentionWhatIf(snapshot, choice, label_of(choice), result)


def group_keys(snapshot: Snapshot, group: str) -> list[tuple[str, str]]:
    """The keys of a group the snapshot has a basis for, with their names, by name."""
    keys = (
        CohortAge.objects.filter(snapshot=snapshot, group=group)
        .exclude(key="")
        .values_list("key", flat=True)
        .distinct()
        .order_by()
    )
    keys = list(keys)
    ids = [int(k) for k in keys if k.isdigit()]
    if group == Group.OWNER:
        names = {
            str(u.pk): u.get_full_name() or u.username for u in User.objects.filter(pk__in=ids)
        }
    elif group == Group.SEGMENT:
        names = {
            str(pk): name
            for pk, name in Segment.objects.filter(pk__in=ids).values_list("pk", "name")
        }
    else:
        names = {k: str(countries.name(k) or k) for k in keys}
    return sorted(((k, names.get(k, k)) for k in keys), key=lambda item: item[1].casefold())
