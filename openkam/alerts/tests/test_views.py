import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from openkam.alerts.models import Alert, AlertSettings, AlertStatus
from openkam.plans.models import PlanAction

from .conftest import TODAY, make_alert

pytestmark = pytest.mark.django_db


def test_inbox_lists_the_users_alerts_with_their_evidence(login, world):
    make_alert(world["own"], value=Decimal(1234))
    make_alert(world["foreign"], cause="x")
    response = login("kam1").get(reverse("alerts:inbox"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Own Mart" in body and "Foreign Foods" not in body
    assert "Overdue against its own rhythm" in body
    assert "No purchase since" in body


def test_inbox_filters_and_export(login, world):
    make_alert(world["own"], cause="a", rule="tender_lost")
    make_alert(world["own"], cause="b", status=AlertStatus.RESOLVED, resolved_note="ok")
    client = login("kam1")
    page = client.get(reverse("alerts:inbox"), {"rule": "tender_lost"}, HTTP_HX_REQUEST="true")
    assert page.context["page"].paginator.count == 1
    resolved = client.get(reverse("alerts:inbox"), {"status": "resolved"})
    assert [a.cause for a in resolved.context["page"].object_list] == ["b"]
    assert (
        client.get(reverse("alerts:inbox"), {"status": "nope"}).context["page"].paginator.count == 0
    )
    export = client.get(reverse("alerts:inbox"), {"format": "csv"})
    assert export.status_code == 200
    assert b"Own Mart" in b"".join(export.streaming_content)


def test_inbox_query_count_is_pinned(login, world, django_assert_max_num_queries):
    for i in range(30):
        make_alert(world["own" if i % 2 else "own_sub"], cause=f"c{i}", value=Decimal(i))
    client = login("kam1")
    client.get(reverse("alerts:inbox"))  # warm the session and permissions
    with django_assert_max_num_queries(9):
        response = client.get(reverse("alerts:inbox"))
    assert len(response.context["page"].object_list) == 30


def test_badge_counts_the_inbox(login, world):
    make_alert(world["own"])
    make_alert(world["own"], cause="2")
    assert ">2<" in login("kam1").get(reverse("alerts:badge")).content.decode()
    assert login("viewer").get(reverse("alerts:badge")).content.decode().strip() == ""


def test_actions_in_place_with_htmx(login, alert):
    client = login("kam1")
    url = reverse("alerts:acknowledge", args=[alert.pk])
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and f'id="alert-{alert.pk}"' in response.content.decode()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED
    bad = client.post(
        reverse("alerts:snooze", args=[alert.pk]),
        {"until": TODAY.isoformat()},
        HTTP_HX_REQUEST="true",
    )
    assert "future" in bad.content.decode()
    until = TODAY + dt.timedelta(days=5)
    client.post(
        reverse("alerts:snooze", args=[alert.pk]),
        {"until": until.isoformat()},
        HTTP_HX_REQUEST="true",
    )
    alert.refresh_from_db()
    assert (alert.status, alert.snoozed_until) == (AlertStatus.SNOOZED, until)


def test_resolve_without_a_note_is_refused(login, alert):
    response = login("kam1").post(reverse("alerts:resolve", args=[alert.pk]), {"note": ""})
    assert response.status_code == 400
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN
    done = login("kam1").post(reverse("alerts:resolve", args=[alert.pk]), {"note": "Fixed"})
    assert done.status_code == 302
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED


def test_foreign_alerts_are_404_and_viewers_may_not_act(login, world, alert):
    foreign = make_alert(world["foreign"], cause="f")
    assert login("kam1").get(reverse("alerts:detail", args=[foreign.pk])).status_code == 404
    assert login("viewer").post(reverse("alerts:acknowledge", args=[alert.pk])).status_code == 403


def test_detail_turns_the_playbook_into_plan_actions(login, alert):
    client = login("kam1")
    page = client.get(reverse("alerts:detail", args=[alert.pk]))
    assert "Turn into plan actions" in page.content.decode()
    assert "a draft plan will be created" in page.content.decode()
    due = (TODAY + dt.timedelta(days=7)).isoformat()
    response = client.post(
        reverse("alerts:plan_actions", args=[alert.pk]), {"steps": ["0", "1"], "due_date": due}
    )
    assert response.status_code == 302
    assert PlanAction.objects.count() == 2
    assert response["Location"].startswith("/account-plans/")
    bad = client.post(reverse("alerts:plan_actions", args=[alert.pk]), {"due_date": due})
    assert bad.status_code == 400 and PlanAction.objects.count() == 2


def test_account_panel_shows_its_open_alerts(login, world, alert):
    make_alert(world["own"], cause="gone", status=AlertStatus.RESOLVED, resolved_note="x")
    response = login("kam1").get(reverse("alerts:panel", args=[world["own"].pk]))
    assert response.status_code == 200
    assert [a.pk for a in response.context["alerts"]] == [alert.pk]
    detail = login("kam1").get(reverse("accounts:detail", args=[world["own"].pk]))
    assert reverse("alerts:panel", args=[world["own"].pk]) in detail.content.decode()


def test_settings_page_directors_change_others_read(login):
    director = login("director")
    page = director.get(reverse("alerts:settings"))
    assert page.status_code == 200 and "revenue_down-t_percent" in page.content.decode()
    response = director.post(
        reverse("alerts:settings"),
        {"rule": "revenue_down", "revenue_down-enabled": "on", "revenue_down-t_percent": "35"},
    )
    assert response.status_code == 302
    row = AlertSettings.objects.get()
    assert (row.rule, row.enabled, row.thresholds) == ("revenue_down", True, {"percent": 35.0})
    invalid = director.post(
        reverse("alerts:settings"), {"rule": "revenue_down", "revenue_down-t_percent": "500"}
    )
    assert invalid.status_code == 400 and AlertSettings.objects.count() == 1


def test_settings_read_only_for_a_kam(login):
    client = login("kam1")
    assert client.get(reverse("alerts:settings")).status_code == 200
    assert client.post(reverse("alerts:settings"), {"rule": "overdue"}).status_code == 403
    assert Alert.objects.count() == 0
