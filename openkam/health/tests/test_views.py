import pytest
from django.urls import reverse

from openkam.health import services


@pytest.fixture
def scored(world, snapshot):
    services.health_recompute(snapshot)
    return world


def test_account_tab_explains_the_score(scored, login):
    page = login("kam1").get(reverse("health:account", args=[scored["foreign"].pk]))
    assert page.status_code == 404  # not kam1's account
    page = login("director").get(reverse("health:account", args=[scored["foreign"].pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="health-score">52<' in html or 'class="health-score">53<' in html
    assert "health-amber" in html
    assert "Last purchase 60 days ago" in html
    assert "No data: left out of the weights." in html  # coverage, competitors …
    assert "<polyline" in html


def test_account_tab_without_a_score(scored, login):
    page = login("director").get(reverse("health:account", args=[scored["shared"].pk]))
    assert "No health score for this account yet" in page.content.decode()


def test_list_by_level_with_filters_and_export(scored, login, django_assert_max_num_queries):
    client = login("director")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("health:list"))
    html = page.content.decode()
    assert "Foreign Foods" in html and "Own Mart Vietnam" in html
    red = client.get(reverse("health:list"), {"level": "red"}).content.decode()
    assert "Own Mart Vietnam" in red and "Foreign Foods" not in red
    export = client.get(reverse("health:list"), {"format": "csv"})
    assert export.status_code == 200 and b"Foreign Foods" in b"".join(export.streaming_content)
    mine = login("kam1").get(reverse("health:list")).content.decode()
    assert "Foreign Foods" not in mine and "Own Mart" in mine


def test_api_list_and_as_of(scored, login):
    client = login("director")
    body = client.get("/api/health/").json()
    foreign = next(r for r in body["results"] if r["account"] == scored["foreign"].pk)
    assert foreign["level"] == "amber"
    parts = {c["key"]: c for c in foreign["components"]}
    assert parts["coverage"]["missing"] is True
    assert parts["revenue_growth"]["contribution"] == pytest.approx(18.75)
    assert sum(c["contribution"] or 0 for c in foreign["components"]) == pytest.approx(
        foreign["score"]
    )
    assert client.get("/api/health/", {"as_of": "2026-06-30"}).json()["count"] == 3
    assert client.get("/api/health/", {"as_of": "2020-01-01"}).json()["count"] == 0
    assert client.get("/api/health/", {"as_of": "not-a-date"}).status_code == 400
    assert client.get("/api/health/", {"as_of": "2026-02-30"}).status_code == 400


def test_api_account_history(scored, login):
    body = login("kam1").get(f"/api/accounts/{scored['own_sub'].pk}/health/").json()
    assert body["current"]["level"] == "red"
    assert [h["as_of"] for h in body["history"]] == ["2026-06-30"]
    assert login("kam1").get(f"/api/accounts/{scored['foreign'].pk}/health/").status_code == 404
    assert (
        login("director")
        .get(f"/api/accounts/{scored['foreign'].pk}/health/", {"as_of": "x"})
        .status_code
        == 400
    )


def test_api_list_query_count(scored, login, django_assert_max_num_queries):
    client = login("director")
    with django_assert_max_num_queries(10):
        assert client.get("/api/health/").status_code == 200
