"""The language and calendar each request is answered in.

Django's LocaleMiddleware has already chosen from the language cookie (a choice made before
logging in) and the browser's Accept-Language. Here a logged-in user's own choice wins on
pages; the API answers in the Accept-Language a client sends, else in the user's language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import trans_real

from openkam.core.formatting import use_buddhist_era


def _from_accept_language(request: HttpRequest) -> str | None:
    header = request.headers.get("Accept-Language", "")
    for code, _quality in trans_real.parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def _chosen_language(request: HttpRequest) -> str | None:
    user = getattr(request, "user", None)
    own = user.language if user is not None and user.is_authenticated else ""
    if request.path_info.startswith("/api/"):
        return _from_accept_language(request) or own or None
    return own or None


class UserLanguageMiddleware:
    """Activate the user's language and calendar (after AuthenticationMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = _chosen_language(request)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        user = getattr(request, "user", None)
        era = bool(user is not None and user.is_authenticated and user.buddhist_era)
        with use_buddhist_era(era):
            return self.get_response(request)
