import pytest
from django.urls import reverse

from openkam.losses.models import AccountLoss

pytestmark = pytest.mark.django_db


def test_the_dynamics(login, losses):
    data = login("director").get(reverse("api:losses")).json()
    assert data["period"] == "quarter" and data["series_scope"] == "portfolio"
    assert len(data["series"]) == 8
    assert data["series"][0]["lost"] == 1 and data["series"][0]["revenue_lost"] == "9000.00"
    assert data["group"] == "owner"
    assert [(r["label"], r["lost"]) for r in data["breakdown"]] == [("kam2", 1)]
    assert {(r["source"], r["reason"]) for r in data["reasons"]} == {
        ("loss", "price"),
        ("loss", "service"),
        ("tender", "price"),
    }
    assert [c["name"] for c in data["competitors"]] == ["Rival A", "Rival B"]


def test_a_kam_gets_their_accounts(login, losses):
    data = login("kam1").get(reverse("api:losses")).json()
    assert data["series_scope"] == "computed"
    assert data["series"][1]["regained"] is None
    assert [c["name"] for c in data["competitors"]] == ["Rival B"]


@pytest.mark.parametrize(
    "params",
    [
        {"period": "decade"},
        {"owner": "0"},
        {"owner": str(2**70)},
        {"type": "giant"},
        {"country": "THA"},
        {"as_of": "yesterday"},
        {"group": "planet"},
    ],
)
def test_query_parameters_are_validated(login, losses, params):
    assert login("director").get(reverse("api:losses"), params).status_code == 400


def test_no_snapshot_is_a_404(login, world):
    assert login("director").get(reverse("api:losses")).status_code == 404
    response = login("director").get(reverse("api:losses-accounts"), {"measure": "lost"})
    assert response.status_code == 404


def test_the_accounts_behind_a_figure(login, losses, rivals):
    client = login("director")
    url = reverse("api:losses-accounts")
    data = client.get(url, {"competitor": rivals["a"].pk}).json()
    assert data["count"] == 1
    [row] = data["results"]
    assert row["name"] == "Foreign Foods" and row["owner"] == "kam2"
    assert (row["reason"], row["competitor"]) == ("price", "Rival A")
    assert row["lost_since"] == "2026-05-10" and row["revenue_before_loss"] == "9000.00"
    shared = client.get(url, {"measure": "lost", "index": 1}).json()
    assert [r["name"] for r in shared["results"]] == ["Shared Stores"]
    assert client.get(url, {"measure": "regained", "index": 1}).status_code == 400
    assert client.get(url, {"measure": "lost", "index": 40}).status_code == 400
    assert client.get(url, {"measure": "lost", "reason": "price"}).status_code == 400
    assert client.get(url).status_code == 400
    kam = login("kam1").get(url, {"competitor": rivals["a"].pk}).json()
    assert kam["count"] == 0


def test_loss_records_crud(login, world, rivals):
    client = login("kam1")
    url = reverse("api:accountloss-list")
    created = client.post(
        url,
        {"account": world["own"].pk, "lost_on": "2026-05-01", "reason": "price"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    loss = AccountLoss.objects.get(pk=created.json()["id"])
    assert loss.recorded_by.username == "kam1"
    detail = reverse("api:accountloss-detail", args=[loss.pk])
    patched = client.patch(
        detail,
        {"competitor": rivals["b"].pk, "account": world["foreign"].pk},
        content_type="application/json",
    )
    assert patched.status_code == 200
    loss.refresh_from_db()
    assert loss.competitor == rivals["b"] and loss.account == world["own"]  # stays with it
    future = client.patch(detail, {"lost_on": "2999-01-01"}, content_type="application/json")
    assert future.status_code == 400
    foreign = client.post(
        url,
        {"account": world["foreign"].pk, "lost_on": "2026-05-01", "reason": "price"},
        content_type="application/json",
    )
    assert foreign.status_code == 400  # an account kam1 cannot see does not exist for them
    assert login("viewer").delete(detail).status_code == 403
    client = login("kam1")  # the same test client, logged in again
    assert client.delete(detail).status_code == 204
    assert client.get(url).json()["count"] == 0


def test_the_endpoints_read_a_fixed_number_of_queries(login, losses, django_assert_max_num_queries):
    client = login("director")
    client.get(reverse("api:losses"))  # the first read of the snapshot parses it
    with django_assert_max_num_queries(17):
        assert client.get(reverse("api:losses")).status_code == 200
    with django_assert_max_num_queries(7):
        response = client.get(reverse("api:losses-accounts"), {"measure": "lost"})
        assert response.status_code == 200
