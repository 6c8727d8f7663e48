"""Which language and calendar a request is answered in, and how a user chooses them."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

VI_LOG_IN = "Đăng nhập"
FIL_LOG_IN = "Mag-log in"
VI_KEY_ACCOUNTS = "Khách hàng Trọng điểm"
FIL_KEY_ACCOUNTS = "Mga pangunahing kliyente"


def test_first_visit_follows_the_browsers_accept_language(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="vi-VN,vi;q=0.9,en;q=0.5")
    html = page.content.decode()
    assert '<html lang="vi"' in html
    assert VI_LOG_IN in html


def test_an_unknown_browser_language_falls_back_to_english(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="de-DE")
    assert '<html lang="en"' in page.content.decode()


def test_the_switcher_before_login_is_kept_by_the_browser(client):
    response = client.post(reverse("users:set_language"), {"language": "fil", "next": "/login/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fil"
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="vi")
    assert FIL_LOG_IN in page.content.decode()


def test_the_switcher_shows_every_language_under_its_own_name(client):
    html = client.get(reverse("login")).content.decode()
    for name in ("English", "ไทย", "Tiếng Việt", "Srpski latinicom", "Filipino"):
        assert name in html


def test_a_language_chosen_before_login_becomes_the_users_own(client, users):
    client.post(reverse("users:set_language"), {"language": "vi", "next": "/"})
    client.post(reverse("login"), {"username": "kam1", "password": PASSWORD})
    users["kam1"].refresh_from_db()
    assert users["kam1"].language == "vi"


def test_logging_in_does_not_overwrite_a_language_the_user_chose(client, users):
    kam = users["kam1"]
    kam.language = "fil"
    kam.save()
    client.post(reverse("users:set_language"), {"language": "vi", "next": "/"})
    client.post(reverse("login"), {"username": "kam1", "password": PASSWORD})
    kam.refresh_from_db()
    assert kam.language == "fil"


def test_pages_follow_the_users_language_over_the_browsers(login, users):
    kam = users["kam1"]
    kam.language = "vi"
    kam.save()
    html = login("kam1").get(reverse("accounts:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="vi"' in html
    assert "Khách hàng" in html


def test_switching_when_logged_in_saves_the_profile(login, users):
    client = login("kam1")
    response = client.post(reverse("users:set_language"), {"language": "sr-latn", "next": "/"})
    assert response.status_code == 302
    users["kam1"].refresh_from_db()
    assert users["kam1"].language == "sr-latn"


def test_switching_to_an_unknown_language_changes_nothing(login, users):
    client = login("kam1")
    client.post(reverse("users:set_language"), {"language": "xx", "next": "/"})
    users["kam1"].refresh_from_db()
    assert users["kam1"].language == ""


def test_preferences_save_language_and_calendar(login, users):
    client = login("kam1")
    response = client.post(reverse("users:preferences"), {"language": "th", "buddhist_era": "on"})
    assert response.status_code == 302
    users["kam1"].refresh_from_db()
    assert (users["kam1"].language, users["kam1"].buddhist_era) == ("th", True)


def test_preferences_refuse_an_unknown_language_and_keep_the_old_one(login, users):
    client = login("kam1")
    response = client.post(reverse("users:preferences"), {"language": "klingon"})
    assert response.status_code == 400
    assert "klingon" in response.content.decode()  # the form says which choice is wrong
    users["kam1"].refresh_from_db()
    assert users["kam1"].language == ""


def test_buddhist_era_years_on_pages_stored_dates_unchanged(login, users, world):
    kam = users["kam1"]
    kam.language, kam.buddhist_era = "th", True
    kam.save()
    account = world["own"]
    year = timezone.localdate().year
    html = login("kam1").get(reverse("accounts:history", args=[account.pk])).content.decode()
    shown = re.sub(r'datetime="[^"]*"', "", html.split("<main", 1)[1].split("</main>", 1)[0])
    assert str(year + 543) in shown
    assert str(year) not in shown  # machine-readable datetime attributes stay ISO
    assert f'datetime="{year}-' in html
    assert account.created_at.year == year  # display only


def test_the_api_answers_in_the_accept_language(login, users):
    kam = users["kam1"]
    kam.language = "fil"
    kam.save()
    client = login("director")
    body = {"name": "Bad Currency Co", "country": "TH", "reporting_currency": "XX"}
    in_vi = client.post("/api/accounts/", body, HTTP_ACCEPT_LANGUAGE="vi")
    assert in_vi.status_code == 400
    assert "Không phải mã tiền tệ ISO 4217" in in_vi.content.decode()
    in_en = client.post("/api/accounts/", body, HTTP_ACCEPT_LANGUAGE="en")
    assert "Not an ISO 4217 currency code" in in_en.content.decode()


def test_the_api_falls_back_to_the_users_language(login, users):
    director = users["director"]
    director.language = "vi"
    director.save()
    body = {"name": "Bad Currency Co", "country": "TH", "reporting_currency": "XX"}
    response = login("director").post("/api/accounts/", body)
    assert "Không phải mã tiền tệ ISO 4217" in response.content.decode()


def test_the_api_sets_the_users_preferences(login, users):
    client = login("kam1")
    response = client.patch(
        "/api/users/me/",
        {"language": "vi", "buddhist_era": True},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["language"] == "vi"
    users["kam1"].refresh_from_db()
    assert users["kam1"].buddhist_era is True
    refused = client.patch("/api/users/me/", {"language": "xx"}, content_type="application/json")
    assert refused.status_code == 400
