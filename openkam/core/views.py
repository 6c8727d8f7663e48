"""Small view helpers shared by every app."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest
from django.shortcuts import redirect


class Login(LoginRequiredMixin):
    """Every OpenKAM page needs a logged-in user; anonymous visitors go to the login page."""


def require_perm(request: HttpRequest, *perms: str) -> None:
    """Refuse (403) unless the user holds one of `perms`."""
    user = request.user
    if not (user.is_superuser or any(user.has_perm(p) for p in perms)):
        raise PermissionDenied


def paginate(request: HttpRequest, queryset, per_page: int = 50):
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


def service_errors_to_form(form: Form, error: ValidationError) -> None:
    """Show a service's validation error on the form instead of a crash page."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def redirect_to(obj):
    return redirect(obj.get_absolute_url())
