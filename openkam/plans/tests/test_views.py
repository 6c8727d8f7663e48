import datetime as dt

from django.urls import reverse
from django.utils import timezone

from openkam.plans import services
from openkam.plans.models import AccountPlan, PlanAction

from .conftest import YEAR

TODAY = timezone.localdate()


def test_the_tab_offers_to_create_or_copy(login, users, world):
    client = login("kam1")
    url = reverse("plans:account", args=[world["own"].pk])
    response = client.get(url)
    assert response.status_code == 200
    assert f"Create the plan for {YEAR}" in response.text
    last = services.account_plan_create(actor=users["kam1"], account=world["own"], year=YEAR - 1)
    response = client.get(url)
    assert reverse("plans:copy", args=[last.pk]) in response.text


def test_a_viewer_sees_no_write_buttons(login, world, plan):
    response = login("viewer").get(reverse("plans:account", args=[world["own"].pk]))
    assert response.status_code == 200
    assert "Edit the plan" not in response.text and "Completeness" in response.text


def test_create_from_the_form(login, world):
    client = login("kam1")
    response = client.post(
        reverse("plans:create", args=[world["own"].pk]),
        {"year": YEAR, "status": "active", "review_cadence": "quarterly"},
    )
    assert response.status_code == 302
    assert AccountPlan.objects.filter(account=world["own"], year=YEAR).exists()
    again = client.post(
        reverse("plans:create", args=[world["own"].pk]),
        {"year": YEAR, "status": "active", "review_cadence": "quarterly"},
    )
    assert again.status_code == 400 and "already has a plan" in again.text


def test_overdue_actions_are_highlighted_and_escaped(login, users, plan, objective):
    services.plan_action_create(
        actor=users["kam1"],
        objective=objective,
        data={"title": "<b>late</b>", "owner": users["kam1"], "due_date": TODAY - dt.timedelta(1)},
    )
    response = login("kam1").get(reverse("plans:detail", args=[plan.pk]))
    assert "&lt;b&gt;late&lt;/b&gt;" in response.text and "Overdue" in response.text


def test_add_an_action_through_the_form(login, users, plan, objective):
    client = login("kam1")
    response = client.post(
        reverse("plans:action_create", args=[objective.pk]),
        {"title": "Call the buyer", "owner": users["kam1"].pk, "due_date": TODAY, "status": "open"},
    )
    assert response.status_code == 302
    assert PlanAction.objects.filter(title="Call the buyer").exists()


def test_copy_through_the_page(login, plan):
    response = login("kam1").post(reverse("plans:copy", args=[plan.pk]), {"year": YEAR + 1})
    assert response.status_code == 302
    assert AccountPlan.objects.filter(year=YEAR + 1).count() == 1


def test_kam2_gets_404(login, plan):
    client = login("kam2")
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 404
    assert client.get(reverse("plans:update", args=[plan.pk])).status_code == 404


def test_the_list_and_its_export(
    login, plan, foreign_plan, objective, action, django_assert_max_num_queries
):
    client = login("director")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("plans:list"))
    assert response.status_code == 200 and "Own Mart" in response.text
    assert "Foreign Foods" in response.text
    assert "Foreign Foods" not in login("kam1").get(reverse("plans:list")).text
    export = client.get(reverse("plans:list") + "?format=xlsx")
    assert export.status_code == 200
    part = client.get(reverse("plans:export", args=[plan.pk]) + "?part=actions&format=csv")
    assert "Propose a planogram" in b"".join(part.streaming_content).decode()


def test_the_plan_prints_as_pdf_with_thai_text(login, users, plan):
    services.plan_objective_create(
        actor=users["kam1"], plan=plan, data={"title": "ขยายหมวดขนมขบเคี้ยว"}
    )
    response = login("kam1").get(reverse("plans:pdf", args=[plan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert login("kam2").get(reverse("plans:pdf", args=[plan.pk])).status_code == 404
