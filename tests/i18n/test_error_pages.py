"""The 403, 404 and 500 pages speak the reader's language."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db
OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]


def translated(language: str, message: str) -> str:
    with translation.override(language):
        text = gettext(message)
    assert text != message, f"{message!r} has no {language} translation"
    return text


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_not_found_and_not_allowed_in_the_users_language(login, users, language):
    users["kam1"].language = language
    users["kam1"].save()
    client = login("kam1")
    missing = client.get("/accounts/999999/")
    assert missing.status_code == 404
    assert translated(language, "Not found") in missing.content.decode()
    refused = client.get("/imports/")
    assert refused.status_code == 403
    assert translated(language, "Not allowed") in refused.content.decode()


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_the_server_error_page_in_the_active_language(language):
    with translation.override(language):
        html = server_error(RequestFactory().get("/")).content.decode()
    assert f'lang="{language}"' in html
    assert translated(language, "Something went wrong") in html
