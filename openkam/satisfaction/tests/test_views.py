"""The pages: the account's Satisfaction tab (chart, table, detractors, answers, quick entry),
entering, editing and deleting an answer, and the list of accounts with its filters, export,
empty states and query count."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from openkam.accounts.models import Account
from openkam.accounts.services import account_create
from openkam.satisfaction.models import SurveyResponse

pytestmark = pytest.mark.django_db
D = dt.date
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_satisfaction_tab(login, world, answer):
    own, person = world["own"], world["own_person"]
    answer(own, D(2026, 1, 10), stakeholder=person, csat=5, nps=10, comment="<b>Great</b>")
    bad = answer(own, D(2026, 4, 10), stakeholder=person, csat=2, nps=4, comment="Late again")
    client = login("kam1")
    page = client.get(reverse("satisfaction:account", args=[own.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<svg class="chart satisfaction-trend"' in html and "<polyline" in html
    assert "Q2 2026" in html and "Q1 2026" in html
    assert html.index("Q2 2026") < html.index("Q1 2026", html.index("<table"))  # newest first
    assert f'id="answer-{bad.pk}"' in html and f'href="#answer-{bad.pk}"' in html
    assert "&lt;b&gt;Great" in html and "<b>Great" not in html
    assert 'id="detractors"' in html and "Buyer of Own Mart" in html
    assert "Quick entry" in html and reverse("satisfaction:create", args=[own.pk]) in html
    assert reverse("satisfaction:update", args=[bad.pk]) in html
    viewer = login("viewer").get(reverse("satisfaction:account", args=[own.pk])).content.decode()
    assert (
        "Quick entry" not in viewer and reverse("satisfaction:update", args=[bad.pk]) not in viewer
    )
    assert login("kam2").get(reverse("satisfaction:account", args=[own.pk])).status_code == 404


def test_the_tab_without_answers(login, world):
    html = login("kam1").get(reverse("satisfaction:account", args=[world["own"].pk]))
    text = html.content.decode()
    assert "No survey answers yet" in text and '<svg class="chart' not in text
    assert "No decision maker" in text


def test_answers_page_with_htmx(login, world, answer):
    for day in range(1, 56):
        answer(world["own"], D(2026, 1, 1) + dt.timedelta(days=day), nps=8)
    client = login("kam1")
    url = reverse("satisfaction:account", args=[world["own"].pk])
    partial = client.get(url, {"page": 2}, **HTMX).content.decode()
    assert "<table" in partial and "<svg" not in partial and "Page 2 of 2" in partial


def test_quick_entry_from_a_stakeholder(login, world):
    own, person = world["own"], world["own_person"]
    client = login("kam1")
    page = client.get(reverse("satisfaction:account", args=[own.pk]), {"stakeholder": person.pk})
    assert f'<option value="{person.pk}" selected>' in page.content.decode()
    stakeholder_page = client.get(reverse("stakeholders:detail", args=[person.pk]))
    assert "Record a survey answer" in stakeholder_page.content.decode()
    answer = client.post(
        reverse("satisfaction:create", args=[own.pk]),
        {"stakeholder": person.pk, "answered_on": "2026-05-04", "csat": "4", "nps": "9"},
    )
    assert answer.status_code == 302
    assert answer["Location"] == reverse("satisfaction:account", args=[own.pk])
    saved = SurveyResponse.objects.get()
    assert (saved.stakeholder, saved.csat, saved.nps, saved.author.username) == (
        person,
        4,
        9,
        "kam1",
    )


def test_an_invalid_answer_shows_the_form_again(login, world):
    client = login("kam1")
    url = reverse("satisfaction:create", args=[world["own"].pk])
    answer = client.post(url, {"answered_on": "2026-05-04", "comment": "no score"})
    assert answer.status_code == 400
    assert "Give a CSAT, an NPS score or both." in answer.content.decode()
    foreign = client.post(url, {"stakeholder": world["foreign_person"].pk, "nps": 5})
    assert foreign.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_edit_and_delete(login, world, answer):
    own = world["own"]
    row = answer(own, D(2026, 4, 10), nps=4)
    client = login("marketing")  # marketing runs the surveys
    assert client.get(reverse("satisfaction:update", args=[row.pk])).status_code == 200
    saved = client.post(
        reverse("satisfaction:update", args=[row.pk]),
        {"answered_on": "2026-04-10", "nps": "7", "comment": "checked with them"},
    )
    assert saved.status_code == 302
    row.refresh_from_db()
    assert (row.nps, row.comment) == (7, "checked with them")
    assert client.post(reverse("satisfaction:delete", args=[row.pk])).status_code == 302
    assert not SurveyResponse.objects.exists()


def _account(users, name: str, number: str) -> Account:
    return account_create(
        actor=users["director"],
        data={"name": name, "external_id": number, "reporting_currency": "THB", "status": "active"},
        owner=users["kam1"],
    )


def test_the_list_with_filters_export_and_query_count(
    login, users, world, answer, django_assert_max_num_queries
):
    own = world["own"]
    answer(own, D(2026, 1, 10), stakeholder=world["own_person"], csat=5, nps=10)
    answer(own, D(2026, 4, 10), stakeholder=world["own_person"], csat=2, nps=3)
    answer(world["shared"], D(2026, 4, 10), csat=4, nps=9)
    answer(world["foreign"], D(2026, 4, 10), csat=1, nps=0)  # kam1 does not see it
    for i in range(30):
        account = _account(users, f"Chain {i:02}", f"X-{i}")
        answer(account, D(2026, 1, 5), csat=4, nps=8)
        answer(account, D(2026, 4, 5), csat=4, nps=9)
    client = login("kam1")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("satisfaction:list"))
    html = page.content.decode()
    assert "32 accounts" in html and "Foreign Foods" not in html
    assert html.index("Own Mart") < html.index("Shared Stores")  # the lowest NPS first
    assert "▼" in html and "Buyer of Own Mart" in html
    falling = client.get(reverse("satisfaction:list"), {"trend": "down"}).content.decode()
    assert "1 account" in falling and "Own Mart" in falling
    flagged = client.get(reverse("satisfaction:list"), {"detractors": "on"}, **HTMX)
    assert "1 account" in flagged.content.decode() and "<form" not in flagged.content.decode()
    named = client.get(reverse("satisfaction:list"), {"q": "shared"}).content.decode()
    assert "1 account" in named and "Shared Stores" in named
    none = client.get(reverse("satisfaction:list"), {"owner": "nobody"}).content.decode()
    assert "No account matches these filters." in none
    bad = client.get(reverse("satisfaction:list"), {"trend": "sideways"}).content.decode()
    assert 'role="alert"' in bad and "0 accounts" in bad
    export = client.get(reverse("satisfaction:list"), {"format": "csv", "q": "Own Mart"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == ["Account", "Owner", "Status", "Latest quarter"]
    assert (
        rows[1][0] == "Own Mart"
        and rows[1][3] == "2026-Q2"
        and rows[1][-1] == ("Buyer of Own Mart")
    )
    assert client.get(reverse("satisfaction:list"), {"format": "xlsx"}).status_code == 200


def test_the_empty_list(login):
    html = login("viewer").get(reverse("satisfaction:list")).content.decode()
    assert "No survey answers yet" in html
