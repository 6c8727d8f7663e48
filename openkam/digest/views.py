"""The digest as a page: what the current user's next e-mail says, and their choice to get it."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View

from openkam.core.views import Login

from . import rendering, selectors, services
from .forms import SubscriptionForm


def _page(request, status: int = 200, form: SubscriptionForm | None = None):
    digest = selectors.digest_for(request.user, language=translation.get_language())
    return render(
        request,
        "digest/digest_page.html",
        {
            **rendering.context(digest),
            "subscribed": services.is_subscribed(request.user),
            "form": form,
        },
        status=status,
    )


class DigestView(Login, View):
    def get(self, request):
        return _page(request)


class SubscriptionView(Login, View):
    def post(self, request):
        form = SubscriptionForm(request.POST)
        if not form.is_valid():
            return _page(request, status=400, form=form)
        subscribed = form.cleaned_data["subscribed"]
        services.subscription_set(user=request.user, subscribed=subscribed)
        messages.success(
            request,
            _("You will receive the weekly digest by e-mail.")
            if subscribed
            else _("You will no longer receive the weekly digest by e-mail."),
        )
        return redirect("digest:page")
