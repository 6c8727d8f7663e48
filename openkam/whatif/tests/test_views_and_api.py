from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
PAGE = reverse("whatif:retention")
API = reverse("api:whatif-retention")


def test_the_page_shows_the_horizons_the_rule_of_thumb_and_the_assumptions(
    client, users, snapshot_with_basis, django_assert_max_num_queries
):
    client.force_login(users["director"])
    with django_assert_max_num_queries(20):
        response = client.get(PAGE, {"points": 5})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and "375.00" in body and "412.50" in body and "962.14" in body
    assert "25%" in body  # the rule of thumb
    assert "+20.7%" in body  # five years, our own cohorts
    assert str(users["kam2"].username) in body  # directors may choose an owner


def test_the_page_updates_by_htmx_and_chooses_an_owner(client, users, snapshot_with_basis):
    client.force_login(users["director"])
    owner = f"owner:{users['kam2'].pk}"
    response = client.get(PAGE, {"points": 10, "of": owner}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and "<form" not in body
    # kam2's accounts all stay: the baseline is 4 accounts · 100 a year
    assert "400.00" in body


def test_a_kam_sees_their_own_accounts_whatever_they_ask(client, users, snapshot_with_basis):
    client.force_login(users["kam1"])
    response = client.get(PAGE, {"of": f"owner:{users['kam2'].pk}"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "375.00" in body  # kam1's basis (the example), not kam2's
    assert 'name="of"' not in body


def test_invalid_points_fall_back_to_the_default(client, users, snapshot_with_basis):
    client.force_login(users["director"])
    response = client.get(PAGE, {"points": 99})
    assert response.status_code == 200
    assert "412.50" in response.content.decode()  # 5 points


def test_without_a_snapshot_the_page_says_what_to_do(client, users):
    client.force_login(users["kam1"])
    response = client.get(PAGE)
    assert response.status_code == 200 and "kam analyze" in response.content.decode()


def test_the_api_returns_the_what_if(client, users, snapshot_with_basis):
    client.force_login(users["director"])
    data = client.get(API, {"points": 5}).json()
    assert data["group"] == "portfolio" and data["computable"] is True
    assert [(h["years"], h["baseline"], h["raised"]) for h in data["horizons"]] == [
        (1, "375.00", "412.50"),
        (3, "712.50", "834.49"),
        (5, "796.88", "962.14"),
    ]
    assert data["rule_of_thumb"] == {"points": 5, "uplift_share": 0.25}
    assert data["assumptions"][0]["age"] == 1 and data["assumptions"][0]["retention"] == 0.5
    assert [row["age"] for row in data["current"]] == [0, 1, 2]


@pytest.mark.parametrize(
    "params",
    [
        {"points": -1},
        {"points": 51},
        {"points": "x"},
        {"group": "nobody"},
        {"group": "owner"},
        {"group": "owner", "key": "abc"},
        {"key": "3"},
        {"as_of": "yesterday"},
    ],
)
def test_the_api_rejects_invalid_parameters(client, users, params):
    client.force_login(users["director"])
    assert client.get(API, params).status_code == 400


def test_the_api_keeps_a_kam_to_their_own_accounts(client, users, snapshot_with_basis):
    kam1 = users["kam1"]
    client.force_login(kam1)
    assert client.get(API).json()["key"] == str(kam1.pk)
    assert client.get(API, {"group": "portfolio"}).status_code == 403
    assert client.get(API, {"group": "owner", "key": users["kam2"].pk}).status_code == 403
    assert client.get(API, {"group": "owner", "key": kam1.pk}).status_code == 200


def test_the_api_without_a_basis_is_404(client, users):
    client.force_login(users["director"])
    assert client.get(API).status_code == 404
    assert client.get(API, {"as_of": "2020-01-01"}).status_code == 404


def _sheet(response, tmp_path):
    import openpyxl

    path = tmp_path / "export.xlsx"
    path.write_bytes(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return [[c.value for c in row] for row in openpyxl.load_workbook(path).active.iter_rows()]


def test_the_projection_and_the_assumptions_export_to_excel(
    client, users, snapshot_with_basis, tmp_path
):
    client.force_login(users["director"])
    page = client.get(PAGE, {"points": 5}).content.decode()
    assert "export-horizons" in page and "export-assumptions" in page
    horizons = _sheet(client.get(PAGE, {"points": 5, "format": "xlsx"}), tmp_path)
    assert horizons[0][:3] == ["Years", "Baseline (USD)", "Raised retention (USD)"]
    assert [(row[0], row[1], row[2]) for row in horizons[1:]] == [
        (1, 375.0, 412.5),
        (3, 712.5, 834.49),
        (5, 796.88, 962.14),
    ]
    assert round(horizons[3][4], 3) == 0.207  # +20.7 % over five years
    ages = _sheet(
        client.get(PAGE, {"points": 5, "format": "xlsx", "table": "assumptions"}), tmp_path
    )
    assert ages[0][0] == "Cohort age" and ages[1][0] == 1 and ages[1][3] == 0.5


def test_a_kam_exports_their_own_what_if_only(client, users, snapshot_with_basis):
    client.force_login(users["kam1"])
    lines = client.get(PAGE, {"of": f"owner:{users['kam2'].pk}", "format": "csv"})
    text = b"".join(lines.streaming_content).decode()
    assert text.splitlines()[1].split(",")[1] == "375.00"  # kam1's year one, not kam2's
