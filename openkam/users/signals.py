"""A language chosen on the login page becomes the user's own, if they had none."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from .models import User
from .services import user_set_preferences


def remember_language_on_login(sender, request: HttpRequest, user: User, **kwargs) -> None:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "") if request else ""
    if not user.language and chosen in dict(settings.LANGUAGES):
        user_set_preferences(user=user, language=chosen)
