import datetime as dt

from django.utils import timezone

from openkam.plans.models import AccountPlan, PlanAction

from .conftest import YEAR

TODAY = timezone.localdate()


def test_plans_read_with_nested_parts(login, plan, objective, action):
    response = login("kam1").get("/api/account-plans/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == plan.pk and row["owner"] == "kam1"
    assert row["objectives"][0]["actions"][0]["title"] == "Propose a planogram"
    assert row["completeness"]["percent"] == 33
    assert [g["code"] for g in row["goals"]] == ["revenue", "margin", "share_of_wallet"]


def test_kam2_cannot_see_kam1s_plan(login, plan, objective, action):
    client = login("kam2")
    assert client.get(f"/api/account-plans/{plan.pk}/").status_code == 404
    assert client.get(f"/api/plan-actions/{action.pk}/").status_code == 404
    assert client.get("/api/plan-actions/").json()["count"] == 0
    response = client.post(
        "/api/plan-objectives/",
        {"plan": plan.pk, "title": "Steal"},
        content_type="application/json",
    )
    assert response.status_code == 400


def test_viewer_reads_but_may_not_write(login, plan, objective):
    client = login("viewer")
    assert client.get(f"/api/account-plans/{plan.pk}/").status_code == 200
    response = client.post(
        "/api/plan-objectives/", {"plan": plan.pk, "title": "X"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert (
        client.patch(
            f"/api/account-plans/{plan.pk}/", {"ambition": "x"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_a_kam_creates_a_plan_and_an_overdue_action(login, users, world):
    client = login("kam1")
    response = client.post(
        "/api/account-plans/",
        {"account": world["own"].pk, "year": YEAR, "revenue_target": "1000"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    plan = AccountPlan.objects.get(pk=response.json()["id"])
    response = client.post(
        "/api/plan-objectives/", {"plan": plan.pk, "title": "Grow"}, content_type="application/json"
    )
    assert response.status_code == 201
    response = client.post(
        "/api/plan-actions/",
        {
            "objective": response.json()["id"],
            "title": "Send the offer",
            "owner": "kam1",
            "due_date": (TODAY - dt.timedelta(days=3)).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["overdue"] is True
    listed = client.get("/api/plan-actions/?overdue=true&owner=kam1").json()
    assert listed["count"] == 1
    response = client.post(
        "/api/plan-actions/",
        {
            "objective": PlanAction.objects.get().objective_id,
            "title": "x",
            "owner": "kam1",
            "due_date": TODAY.isoformat(),
            "status": "done",
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "done_on" in response.json()


def test_filters_by_year_and_owner(login, plan, foreign_plan):
    client = login("director")
    assert client.get("/api/account-plans/?owner=kam2").json()["count"] == 1
    assert client.get(f"/api/account-plans/?year={YEAR + 1}").json()["count"] == 0


def test_the_list_has_a_fixed_number_of_queries(
    login, plan, foreign_plan, django_assert_max_num_queries
):
    client = login("director")
    with django_assert_max_num_queries(20):
        assert client.get("/api/account-plans/").status_code == 200
