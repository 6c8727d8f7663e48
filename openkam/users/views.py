"""The user's own settings: the language switcher and the preferences page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from . import services
from .forms import PreferencesForm


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the language: the browser keeps it (a cookie, also before logging in) and a
    logged-in user's profile too."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if (
        request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and response.status_code == 302
    ):
        services.user_set_preferences(user=request.user, language=language)
    return response


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm(data, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = services.user_set_preferences(
            user=request.user,
            language=form.cleaned_data["language"],
            buddhist_era=form.cleaned_data["buddhist_era"],
        )
        response = redirect("users:preferences")
        if user.language:
            translation.activate(user.language)
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language)
        messages.success(request, _("Your preferences are saved."))
        return response
    status = 400 if request.method == "POST" else 200
    return render(request, "users/preferences.html", {"form": form}, status=status)
