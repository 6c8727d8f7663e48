"""The /time/ page: director vs KAM, the weekly entry form (HTMX), edit/delete, exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from openkam.timesplit.models import TimeEntry

from .conftest import MONDAY, activity, entry

pytestmark = pytest.mark.django_db
PAGE = reverse("timesplit:page")
RANGE = {
    "period": "week",
    "start": MONDAY.isoformat(),
    "end": (MONDAY + dt.timedelta(6)).isoformat(),
}


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def week_of_time(users, world):
    kam1, kam2 = users["kam1"], users["kam2"]
    activity(world["own"], MONDAY, 180, "key_account", people=[kam1])
    entry(kam1, MONDAY, 1, "new_business", note="Prospect list")
    activity(world["foreign"], MONDAY, 60, "new_business", people=[kam2])


def test_a_director_sees_every_kam_side_by_side(login, week_of_time):
    response = login("director").get(PAGE, RANGE)
    assert response.status_code == 200
    people = [split.user.username for split, _bar in response.context["people"]]
    assert people == ["kam1", "kam2"]
    html = response.content.decode()
    assert 'id="person-kam1"' in html and 'id="person-kam2"' in html
    assert "<svg" in html  # a bar per person
    shares = {s.user.username: s.share for s, _bar in response.context["people"]}
    assert shares == {"kam1": 0.75, "kam2": 0.0}
    assert response.context["side_by_side"]


def test_a_director_can_narrow_to_one_kam(login, users, week_of_time):
    response = login("director").get(PAGE, {**RANGE, "user": "kam2"})
    assert response.status_code == 200
    assert response.context["single"].user == users["kam2"]
    assert "Time of kam2" in response.content.decode()


def test_a_kam_sees_only_their_own_trend(login, users, week_of_time):
    response = login("kam1").get(PAGE, RANGE)
    assert response.status_code == 200
    assert not response.context["side_by_side"]
    assert response.context["single"].user == users["kam1"]
    html = response.content.decode()
    assert "Your time" in html and 'id="person-kam2"' not in html
    assert "ts-trend" in html
    # asking for someone else's split is refused
    assert login("kam1").get(PAGE, {**RANGE, "user": "kam2"}).status_code == 403


def test_empty_states(login):
    html = login("kam1").get(PAGE).content.decode()
    assert "No time recorded in this range yet" in html
    assert "No time entries yet" in html
    viewer = login("viewer").get(PAGE).content.decode()
    assert "No time entries." in viewer
    assert reverse("timesplit:entry_create") not in viewer  # a viewer records nothing


def test_bad_ranges_are_a_400_with_the_reason(login):
    client = login("kam1")
    response = client.get(PAGE, {"period": "week", "start": "2026-03-09", "end": "2026-03-01"})
    assert response.status_code == 400
    assert "The start comes after the end." in response.content.decode()
    assert client.get(PAGE, {"period": "decade"}).status_code == 400
    assert client.get(PAGE, {"start": "yesterday"}).status_code == 400
    too_long = {"period": "week", "start": "2000-01-01", "end": "2026-01-01"}
    assert "too long" in client.get(PAGE, too_long).content.decode()


def test_the_page_query_count_is_pinned(
    login, users, world, week_of_time, django_assert_max_num_queries
):
    for account in ("own", "foreign", "shared"):
        for day in range(3):
            activity(
                world[account], MONDAY + dt.timedelta(day), 30, "other", people=[users["kam2"]]
            )
    # session, user, permissions (3 + 2); time of people (3) and accounts (3), the accounts,
    # the snapshot, the KAMs of the picker, the latest entries
    half_year = {"period": "month", "start": "2026-01-01", "end": "2026-06-30"}
    for name, query in (("director", half_year), ("kam1", RANGE)):
        client = login(name)
        with django_assert_max_num_queries(15):
            response = client.get(PAGE, query)
        assert response.status_code == 200


def test_quick_entry_with_htmx(login, users, world):
    client = login("kam1")
    response = client.post(
        reverse("timesplit:entry_create"),
        {
            "week": (MONDAY + dt.timedelta(days=3)).isoformat(),
            "purpose": "new_business",
            "hours": "2.5",
            "account": "Own Mart",
            "note": "Prospecting",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "timesplit-changed"
    made = TimeEntry.objects.get()
    assert (made.user, made.week, made.hours, made.account) == (
        users["kam1"],
        MONDAY,
        Decimal("2.5"),
        world["own"],
    )
    html = response.content.decode()
    assert 'id="time-entries"' in html and f'id="entry-{made.pk}"' in html and "Recorded" in html


def test_quick_entry_errors_come_back_in_the_form(login, world):
    client = login("kam1")
    data = {
        "week": MONDAY.isoformat(),
        "purpose": "other",
        "hours": "81",
        "account": "Foreign Foods",
    }
    response = client.post(reverse("timesplit:entry_create"), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "HX-Trigger" not in response
    html = response.content.decode()
    assert "at most 80 hours" in html
    assert "No account named" in html  # kam1 cannot see Foreign Foods
    plain = client.post(reverse("timesplit:entry_create"), {**data, "hours": "0"})
    assert plain.status_code == 400 and "Enter more than 0 hours." in plain.content.decode()
    assert not TimeEntry.objects.exists()


def test_the_results_refresh_alone_with_htmx(login, week_of_time):
    response = login("kam1").get(PAGE, RANGE, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'id="accounts"' in html


def test_edit_and_delete(login, users):
    mine = entry(users["kam1"], MONDAY, 3, "other")
    theirs = entry(users["kam2"], MONDAY, 3, "other")
    client = login("kam1")
    url = reverse("timesplit:entry_update", args=[mine.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"week": MONDAY.isoformat(), "purpose": "key_account", "hours": "4"}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.purpose, mine.hours) == ("key_account", Decimal(4))
    assert client.get(reverse("timesplit:entry_update", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("timesplit:entry_delete", args=[theirs.pk])).status_code == 404
    response = client.post(
        reverse("timesplit:entry_delete", args=[mine.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and response["HX-Trigger"] == "timesplit-changed"
    assert list(TimeEntry.objects.all()) == [theirs]
    # a director changes anyone's entry
    director = login("director")
    url = reverse("timesplit:entry_update", args=[theirs.pk])
    response = director.post(url, {"week": MONDAY.isoformat(), "purpose": "other", "hours": "1"})
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.hours == 1 and theirs.user == users["kam2"]


def test_export_people_and_accounts(login, week_of_time):
    client = login("director")
    rows = xlsx_rows(client.get(PAGE, {**RANGE, "format": "xlsx"}))
    assert rows[0][0] == "Username" and rows[0][8] == "Share on key accounts"
    by_user = {row[0]: row for row in rows[1:]}
    assert by_user["kam1"][4] == 3 and by_user["kam1"][5] == 1 and by_user["kam1"][8] == 0.75
    accounts = csv_rows(client.get(PAGE, {**RANGE, "format": "csv", "table": "accounts"}))
    assert accounts[0][0] == "Account"
    hours = {row[0]: row[4] for row in accounts[1:]}
    assert hours["Own Mart"] == "3.0" and hours["Foreign Foods"] == "1.0"
    mine = csv_rows(login("kam1").get(PAGE, {**RANGE, "format": "csv"}))
    assert {row[0] for row in mine[1:]} == {"kam1"}
