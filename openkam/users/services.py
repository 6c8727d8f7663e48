"""Writes on users: creating people with a role, their preferences."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from .models import User
from .roles import STAFF_ROLES, Role


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: Role,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    max_key_accounts: int | None = None,
    is_superuser: bool = False,
    language: str = "",
    buddhist_era: bool = False,
) -> User:
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        max_key_accounts=max_key_accounts,
        language=language,
        buddhist_era=buddhist_era,
        is_staff=is_superuser or role in STAFF_ROLES,
        is_superuser=is_superuser,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get(name=role.value))
    return user


def user_set_preferences(
    *, user: User, language: str | None = None, buddhist_era: bool | None = None
) -> User:
    """Keep the user's language (an empty one follows the browser) and calendar."""
    if language is not None:
        user.language = language
    if buddhist_era is not None:
        user.buddhist_era = buddhist_era
    user.full_clean(exclude=["password"])
    user.save(update_fields=["language", "buddhist_era"])
    return user
