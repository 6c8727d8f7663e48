import pytest
from django.urls import reverse

from openkam.digest.services import is_subscribed

PAGE = "/digest/"
API = "/api/digest/preview/"


@pytest.mark.django_db
def test_the_page_shows_the_users_own_digest_with_relative_links(login, week):
    response = login("kam1").get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Send the new price list" in html
    assert f'href="{reverse("commitments:account", args=[week["own"].pk])}"' in html
    assert "http://127.0.0.1:8000" not in html  # the page links within the site it is on
    assert "You receive this digest by e-mail every week." in html


@pytest.mark.django_db
def test_the_page_says_when_there_is_nothing(login, week):
    response = login("viewer").get(PAGE)
    assert response.status_code == 200
    assert "Nothing needs your attention this week." in response.content.decode()


@pytest.mark.django_db
def test_opting_out_and_in_again(login, users, week):
    client = login("kam1")
    response = client.post(reverse("digest:subscription"), {"subscribed": "0"})
    assert response.status_code == 302 and response["Location"] == PAGE
    assert not is_subscribed(users["kam1"])
    assert "You do not receive this digest by e-mail." in client.get(PAGE).content.decode()
    client.post(reverse("digest:subscription"), {"subscribed": "1"})
    assert is_subscribed(users["kam1"])
    assert is_subscribed(users["kam2"])  # one's choice is one's own


@pytest.mark.django_db
def test_a_choice_must_be_given(login, users):
    assert login("kam1").post(reverse("digest:subscription"), {}).status_code == 400
    assert is_subscribed(users["kam1"])


@pytest.mark.django_db
def test_the_api_previews_the_same_data(login, week):
    response = login("kam1").get(API, {"as_of": "2026-06-30"})
    assert response.status_code == 200
    body = response.json()
    assert body["user"] == "kam1" and body["as_of"] == "2026-06-30" and not body["empty"]
    sections = {s["key"]: s for s in body["sections"]}
    assert list(sections) == ["commitments", "requests", "actions", "meetings", "silent"]
    item = sections["commitments"]["items"][0]
    assert item["label"] == "Send the new price list"
    assert item["data"]["due_on"] == "2026-06-10"
    assert item["url"] == reverse("commitments:account", args=[week["own"].pk])
    assert body["subject"] == "Your OpenKAM week from Jun 30, 2026"


@pytest.mark.django_db
def test_only_directors_preview_someone_elses_digest(client, login, users, week):
    kam = login("kam1")
    assert kam.get(API, {"user": "kam2"}).status_code == 403
    assert kam.get(API, {"user": "nobody"}).status_code == 403  # no hint who exists
    assert kam.get(API, {"user": "kam1"}).status_code == 200
    client.logout()
    director = login("director")
    body = director.get(API, {"user": "kam1", "as_of": "2026-06-30"}).json()
    assert body["user"] == "kam1" and not body["is_director"]
    assert "commitments" in [s["key"] for s in body["sections"]]
    assert director.get(API, {"user": "nobody"}).status_code == 404


@pytest.mark.django_db
def test_a_preview_is_in_the_previewed_users_language(login, users, week):
    kam1 = users["kam1"]
    kam1.language = "th"
    kam1.save()
    body = login("director").get(API, {"user": "kam1", "as_of": "2026-06-30"}).json()
    assert body["language"] == "th"
    meetings = next(s for s in body["sections"] if s["key"] == "meetings")
    assert "เยี่ยมลูกค้า" in meetings["items"][0]["detail"]


@pytest.mark.django_db
def test_anonymous_visitors_are_refused(client):
    assert client.get(API).status_code == 401
    assert client.get(PAGE).status_code == 302


@pytest.mark.django_db
def test_the_page_costs_a_bounded_number_of_queries(
    login, client, week, figures, django_assert_max_num_queries
):
    kam = login("kam1")
    with django_assert_max_num_queries(20):
        assert kam.get(PAGE).status_code == 200
    client.logout()
    director = login("director")
    with django_assert_max_num_queries(32):
        assert director.get(PAGE).status_code == 200
