"""The org chart, coverage and people panel pages, and their API."""

import datetime as dt

import pytest
from django.urls import reverse

from openkam.stakeholders.models import Department, Position, Stakeholder
from openkam.stakeholders.services import stakeholder_create, stakeholder_move

pytestmark = pytest.mark.django_db


def _chart(account, count):
    """`count` people: a top, ten heads, the rest spread under the heads."""
    department = Department.objects.filter(account=account).first()
    top = Stakeholder.objects.create(account=account, name="Top", department=department)
    heads = [
        Stakeholder.objects.create(
            account=account, name=f"Head {i}", reports_to=top, department=department
        )
        for i in range(10)
    ]
    Stakeholder.objects.bulk_create(
        Stakeholder(
            account=account,
            name=f"Person {i} <b>",
            reports_to=heads[i % 10],
            department=department,
            attitude="champion" if i % 7 == 0 else "",
            relationship_strength=3,
        )
        for i in range(count - 11)
    )
    return top, heads


def test_org_chart_of_200_people_in_a_pinned_number_of_queries(
    login, world, django_assert_max_num_queries
):
    _chart(world["own"], 199)  # plus the buyer of the world
    client = login("kam1")
    with django_assert_max_num_queries(16):
        response = client.get(reverse("stakeholders:org_chart", args=[world["own"].pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('class="org-person"') == 200
    assert "Person 3 &lt;b&gt;" in body and "<b>" not in body.split("<main>")[1]
    assert '" draggable="true">' in body and "js/org-chart.js" in body
    assert 'attitude-champion">Champion<' in body  # colour and text


def test_org_chart_reads_without_dragging_for_a_viewer(login, world):
    _chart(world["own"], 20)
    body = login("viewer").get(reverse("stakeholders:org_chart", args=[world["own"].pk]))
    assert '" draggable="true">' not in body.content.decode()


def test_org_chart_is_404_for_another_kam(login, world):
    assert (
        login("kam2").get(reverse("stakeholders:org_chart", args=[world["own"].pk])).status_code
        == 404
    )


def test_reports_to_form_saves_and_refuses_a_circle(login, world):
    top, heads = _chart(world["own"], 20)
    client = login("kam1")
    url = reverse("stakeholders:reports_to", args=[heads[0].pk])
    response = client.post(url, {"reports_to": heads[1].pk}, follow=True)
    assert "reports to Head 1 now" in response.content.decode()
    assert Stakeholder.objects.get(pk=heads[0].pk).reports_to == heads[1]
    response = client.post(
        reverse("stakeholders:reports_to", args=[top.pk]), {"reports_to": heads[0].pk}, follow=True
    )
    assert "This would make the org chart a circle." in response.content.decode()
    assert Stakeholder.objects.get(pk=top.pk).reports_to is None


def test_api_patch_refuses_a_circle_with_the_message(login, world):
    top, heads = _chart(world["own"], 20)
    response = login("kam1").patch(
        reverse("api:stakeholder-detail", args=[top.pk]),
        {"reports_to": heads[0].pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["reports_to"] == ["This would make the org chart a circle."]


def test_api_org_chart_is_the_tree(login, world):
    _top, _heads = _chart(world["own"], 31)
    data = login("kam1").get(reverse("api:account-org-chart", args=[world["own"].pk])).json()
    assert data["people"] == 32
    tops = {node["name"]: node for node in data["roots"]}
    assert set(tops) == {"Top", "Buyer of Own Mart"}
    assert len(tops["Top"]["reports"]) == 10
    assert all(len(h["reports"]) == 2 for h in tops["Top"]["reports"])
    assert (
        login("kam2").get(reverse("api:account-org-chart", args=[world["own"].pk])).status_code
        == 404
    )


def test_coverage_page_and_api(login, world):
    client = login("kam1")
    page = client.get(reverse("stakeholders:coverage", args=[world["own"].pk]))
    assert page.status_code == 200 and 'id="coverage-matrix"' in page.content.decode()
    data = client.get(reverse("api:account-coverage", args=[world["own"].pk])).json()
    assert data["days"] == 90
    assert [r["department_name"] for r in data["rows"]] == ["Merchandising / buying"]
    assert {g["kind"] for g in data["gaps"]} >= {"out_of_touch", "not_met"}


def test_coverage_gaps_page_and_export_are_scoped(login, world):
    kam = login("kam1")
    body = kam.get(reverse("stakeholders:coverage_gaps")).content.decode()
    assert "Own Mart" in body and "Foreign Foods" not in body
    export = kam.get(reverse("stakeholders:coverage_gaps") + "?format=csv")
    text = b"".join(export.streaming_content).decode()
    assert "Own Mart" in text and "Foreign Foods" not in text
    api = kam.get(reverse("api:coverage-gaps")).json()["results"]
    assert api and {g["account_name"] for g in api} <= {
        "Own Mart",
        "Own Mart Vietnam",
        "Shared Stores",
    }


def test_a_departed_champion_shows_on_both_accounts(login, users, world):
    person = stakeholder_create(
        actor=users["director"],
        account=world["own"],
        data={"name": "Champion Chai", "buying_role": "champion", "attitude": "champion"},
        on=dt.date(2024, 1, 1),
    )
    stakeholder_move(
        actor=users["director"], stakeholder=person, account=world["shared"], on=dt.date(2026, 3, 2)
    )
    client = login("kam1")
    panel = client.get(
        reverse("stakeholders:people_panel", args=[world["own"].pk])
    ).content.decode()
    assert "Champion Champion Chai left on" in panel and "Shared Stores" in panel
    joined = client.get(reverse("stakeholders:people_panel", args=[world["shared"].pk]))
    assert "joined from Own Mart" in joined.content.decode()
    rows = client.get(reverse("api:account-departures", args=[world["own"].pk])).json()
    assert rows == [
        {
            "stakeholder": person.pk,
            "name": "Champion Chai",
            "direction": "left",
            "on": "2026-03-02",
            "buying_role": "champion",
            "job_title": "",
            "key_person": True,
            "other_account": world["shared"].pk,
            "other_account_name": "Shared Stores",
        }
    ]
    assert Position.objects.filter(stakeholder=person).count() == 2


def test_the_new_account_is_not_named_to_who_cannot_see_it(login, users, world):
    person = stakeholder_create(
        actor=users["director"], account=world["shared"], data={"name": "Mover"}
    )
    stakeholder_move(actor=users["director"], stakeholder=person, account=world["foreign"])
    rows = login("kam1").get(reverse("api:account-departures", args=[world["shared"].pk])).json()
    assert rows[0]["other_account"] is None


def test_stakeholder_page_shows_the_history(login, users, world):
    from openkam.stakeholders.services import stakeholder_update

    stakeholder_update(
        actor=users["kam1"], stakeholder=world["own_person"], data={"attitude": "blocker"}
    )
    body = login("kam1").get(reverse("stakeholders:detail", args=[world["own_person"].pk]))
    assert 'id="assessments"' in body.content.decode() and "Blocker" in body.content.decode()


def test_a_kam_records_a_departure_to_an_unknown_place_from_the_page(login, users, world):
    person = stakeholder_create(
        actor=users["director"],
        account=world["own"],
        data={"name": "Buyer Bua", "buying_role": "decision_maker"},
        on=dt.date(2024, 1, 1),
    )
    client = login("kam1")
    page = client.get(reverse("stakeholders:detail", args=[person.pk])).content.decode()
    assert reverse("stakeholders:leave", args=[person.pk]) in page
    url = reverse("stakeholders:leave", args=[person.pk])
    early = client.post(url, {"on": "2023-12-31"})
    assert early.status_code == 400
    assert "before the current position started" in early.content.decode()
    assert client.post(url, {"on": "2026-03-02"}).status_code == 302
    person.refresh_from_db()
    assert not person.active
    assert Position.objects.get(stakeholder=person).ended_on == dt.date(2026, 3, 2)
    rows = client.get(reverse("api:account-departures", args=[world["own"].pk])).json()
    assert [(r["name"], r["direction"], r["other_account"]) for r in rows] == [
        ("Buyer Bua", "left", None)
    ]
    again = client.get(reverse("stakeholders:detail", args=[person.pk])).content.decode()
    assert url not in again  # left once: the button is gone
