"""The pages: the loss dynamics (chart, tables, filters, empty state, export, query count), the
accounts behind a figure, and marking an account lost from its page."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from openkam.losses.models import AccountLoss

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_dynamics_page(login, losses, rivals):
    page = login("director").get(reverse("losses:dynamics"))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<svg class="chart losses"' in html and "<polyline" in html
    for section in ("loss-series", "loss-breakdown", "loss-reasons", "loss-competitors"):
        assert f'id="{section}"' in html
    assert "Rival A" in html and "Rival B" in html
    assert f"competitor={rivals['a'].pk}" in html
    assert "measure=lost&amp;index=1" in html
    assert 'aria-current="page">Losses' in html


def test_the_page_without_a_snapshot(login, world):
    html = login("kam1").get(reverse("losses:dynamics")).content.decode()
    assert "No metrics yet" in html and "<svg" not in html


def test_filters_and_htmx(login, losses):
    client = login("director")
    partial = client.get(reverse("losses:dynamics"), {"key_only": "on"}, **HTMX).content.decode()
    assert "<form" not in partial and 'id="loss-series"' in partial
    assert "Added up from the accounts of this selection" in partial
    wrong = client.get(reverse("losses:dynamics"), {"period": "decade"})
    assert wrong.status_code == 200 and "the default is shown" in wrong.content.decode()


def test_the_series_export(login, losses):
    response = login("director").get(reverse("losses:dynamics"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Period start", "Period end", "Lost"]
    assert len(rows) == 1 + 8
    assert rows[-1][2] == "1"  # the latest quarter, last


def test_the_page_has_a_fixed_number_of_queries(login, losses, django_assert_max_num_queries):
    client = login("director")
    client.get(reverse("losses:dynamics"))  # the first read of the snapshot parses it
    with django_assert_max_num_queries(21):
        assert client.get(reverse("losses:dynamics")).status_code == 200


def test_drilling_into_a_competitor(login, losses, rivals):
    client = login("director")
    url = reverse("losses:accounts")
    partial = client.get(url, {"competitor": rivals["a"].pk, "partial": 1}).content.decode()
    assert "Accounts lost to Rival A" in partial and "Foreign Foods" in partial
    assert "Shared Stores" not in partial and "<form" not in partial
    page = client.get(url, {"competitor": rivals["a"].pk})
    assert page.status_code == 200 and "Loss dynamics" in page.content.decode()
    kam = login("kam1").get(url, {"competitor": rivals["a"].pk}).content.decode()
    assert "Foreign Foods" not in kam and "No account here." in kam


def test_drill_down_export(login, losses):
    response = login("director").get(
        reverse("losses:accounts"), {"measure": "lost", "index": 1, "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "Account" and rows[0][5].startswith("Revenue before the loss (")
    assert [r[0] for r in rows[1:]] == ["Shared Stores"]
    assert rows[1][6] == "Service or delivery"


@pytest.mark.parametrize(
    "params",
    [
        {"measure": "lost", "competitor": 1},
        {"measure": "regained", "index": 2},
        {"measure": "lost", "index": 8},
        {"measure": "lost", "index": "x"},
    ],
)
def test_a_drill_down_that_makes_no_sense(login, losses, params):
    response = login("director").get(reverse("losses:accounts"), params)
    assert response.status_code == 400
    assert 'class="errors"' in response.content.decode()


def test_the_drill_down_without_a_choice_says_what_to_choose(login, losses):
    response = login("director").get(reverse("losses:accounts"))
    assert response.status_code == 200
    assert "Choose one figure, one reason or one competitor" in response.content.decode()


def test_the_drill_down_list_has_a_fixed_number_of_queries(
    login, losses, django_assert_max_num_queries
):
    client = login("director")
    url = reverse("losses:accounts")
    client.get(url, {"measure": "lost"})
    with django_assert_max_num_queries(11):
        assert client.get(url, {"measure": "lost", "index": 1}).status_code == 200


def test_marking_an_account_lost_from_its_page(login, world, rivals):
    own = world["own"]
    client = login("kam1")
    detail = client.get(reverse("accounts:detail", args=[own.pk])).content.decode()
    create = reverse("losses:create", args=[own.pk])
    assert create in detail
    form = client.get(create).content.decode()
    assert "Rival A" in form and "not known" in form
    response = client.post(
        create,
        {
            "lost_on": "2026-05-01",
            "reason": "price",
            "competitor": rivals["a"].pk,
            "details": "Cheaper by 8 %",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("losses:account", args=[own.pk])
    loss = AccountLoss.objects.get(account=own)
    assert (loss.reason, loss.competitor, loss.recorded_by.username) == (
        "price",
        rivals["a"],
        "kam1",
    )
    page = client.get(reverse("losses:account", args=[own.pk])).content.decode()
    assert "Cheaper by 8 %" in page and reverse("losses:update", args=[loss.pk]) in page
    viewer = login("viewer").get(reverse("accounts:detail", args=[own.pk])).content.decode()
    assert create not in viewer


def test_a_loss_in_the_future_is_refused(login, world):
    tomorrow = timezone.localdate() + dt.timedelta(days=2)
    response = login("kam1").post(
        reverse("losses:create", args=[world["own"].pk]),
        {"lost_on": tomorrow.isoformat(), "reason": "price"},
    )
    assert response.status_code == 400
    assert "cannot be lost in the future" in response.content.decode()
    assert not AccountLoss.objects.exists()


def test_editing_and_deleting_a_loss(login, world, losses):
    loss = AccountLoss.objects.get(account=world["foreign"])
    client = login("kam2")
    response = client.post(
        reverse("losses:update", args=[loss.pk]),
        {"lost_on": "2026-05-10", "reason": "quality", "details": "Two bad batches"},
    )
    assert response.status_code == 302
    loss.refresh_from_db()
    assert (loss.reason, loss.competitor) == ("quality", None)
    assert client.post(reverse("losses:delete", args=[loss.pk])).status_code == 302
    assert not AccountLoss.objects.filter(pk=loss.pk).exists()
    assert login("kam1").get(reverse("losses:update", args=[loss.pk])).status_code == 404
