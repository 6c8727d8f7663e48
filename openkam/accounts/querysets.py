"""Who may see and do what on which account: the one choke point for account access.

Every queryset of accounts that reaches a view, serializer, form choice, export or search goes
through `Account.objects.visible_to(user, action)`. Children (stakeholders, departments, team
members...) are authorised through their account with `restrict_by_account`.
"""

from __future__ import annotations

from typing import Literal

from django.db import models
from django.db.models import Q

Action = Literal["view", "change", "delete"]

# Permission needed at all for the action, and the permission that extends it to every
# account; without the latter the user acts only on accounts whose team they are on.
_ACCOUNT_ACTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "view": (("accounts.view_account",), ("accounts.view_all_accounts",)),
    "change": (
        ("accounts.change_account", "accounts.change_account_marketing"),
        ("accounts.change_all_accounts", "accounts.change_account_marketing"),
    ),
    "delete": (("accounts.delete_account",), ("accounts.change_all_accounts",)),
}


def _has_any(user, perms: tuple[str, ...]) -> bool:
    return any(user.has_perm(p) for p in perms)


def team_scope(user) -> Q:
    """Accounts whose team the user is on, and the subsidiaries of those (two levels down)."""
    from .models import AccountTeamMember

    mine = AccountTeamMember.objects.filter(user=user).values("account_id")
    return Q(pk__in=mine) | Q(parent_id__in=mine) | Q(parent__parent_id__in=mine)


def account_scope(user, action: Action) -> Q | None:
    """A filter on Account for the accounts `user` may `action`; None: none at all. Worked out
    once per user object (a request's user), as Django caches its permissions there too."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    cache = user.__dict__.setdefault("_account_scope_cache", {})
    if action not in cache:
        cache[action] = _account_scope(user, action)
    return cache[action]


def _account_scope(user, action: Action) -> Q | None:
    if user.is_superuser:
        return Q()
    needed, everywhere = _ACCOUNT_ACTIONS[action]
    if not _has_any(user, needed):
        return None
    if _has_any(user, everywhere):
        return Q()
    return team_scope(user)


class AccountQuerySet(models.QuerySet):
    def visible_to(self, user, action: Action = "view") -> AccountQuerySet:
        scope = account_scope(user, action)
        return self.none() if scope is None else self.filter(scope)


def restrict_by_account(
    queryset: models.QuerySet,
    user,
    action: Action,
    *,
    permission: str | tuple[str, ...],
    account_path: str = "account",
) -> models.QuerySet:
    """Restrict a child model's queryset to rows of accounts the user may see (for "view") or
    change (for "change" and "delete": removing a person changes the account), and only if the
    user holds `permission` on the child model itself."""
    perms = (permission,) if isinstance(permission, str) else permission
    if not (user and user.is_authenticated and user.is_active) or not (
        user.is_superuser or _has_any(user, perms)
    ):
        return queryset.none()
    scope = account_scope(user, "view" if action == "view" else "change")
    if scope is None:
        return queryset.none()
    if scope == Q():
        return queryset
    from .models import Account

    return queryset.filter(**{f"{account_path}__in": Account.objects.filter(scope).values("pk")})


class AccountChildQuerySet(models.QuerySet):
    """Queryset of a model that belongs to an account: authorised through that account."""

    # action → the model permission(s) needed for it
    action_permissions: dict[str, str | tuple[str, ...]] = {}
    account_path = "account"

    def visible_to(self, user, action: Action = "view") -> AccountChildQuerySet:
        return restrict_by_account(
            self,
            user,
            action,
            permission=self.action_permissions[action],
            account_path=self.account_path,
        )


def child_permissions(app_label: str, model: str, marketing: bool = False):
    change = f"{app_label}.change_{model}"
    return {
        "view": f"{app_label}.view_{model}",
        "change": (change, f"{app_label}.change_{model}_marketing") if marketing else change,
        "delete": f"{app_label}.delete_{model}",
    }
