from django.db.models import QuerySet

from .models import User
from .roles import Role


def users_with_role(role: Role) -> QuerySet[User]:
    return User.objects.filter(is_active=True, groups__name=role.value).order_by("username")


def account_team_candidates() -> QuerySet[User]:
    """People who can be put on an account team: everyone active but pure viewers."""
    return (
        User.objects.filter(is_active=True)
        .exclude(groups__name=Role.VIEWER.value)
        .order_by("username")
        .distinct()
    )
