import pytest

from openkam.dossier.models import KeyFigure, PortraitSection

pytestmark = pytest.mark.django_db


def test_key_figures_are_filtered_by_account_and_scoped(login, world):
    KeyFigure.objects.create(account=world["own"], year=2023, employees=10)
    KeyFigure.objects.create(account=world["foreign"], year=2023, employees=20)
    client = login("kam1")
    rows = client.get("/api/key-figures/").json()["results"]
    assert [r["employees"] for r in rows] == [10]
    rows = client.get(f"/api/key-figures/?account={world['foreign'].pk}").json()["results"]
    assert rows == []


def test_duplicate_year_is_a_400_with_the_message(login, world):
    KeyFigure.objects.create(account=world["own"], year=2023, employees=10)
    response = login("kam1").post(
        "/api/key-figures/",
        {"account": world["own"].pk, "year": 2023, "employees": 11},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "already has key figures" in response.content.decode()


def test_marketing_puts_the_portrait_of_any_account(login, world):
    url = f"/api/accounts/{world['foreign'].pk}/portrait/"
    client = login("marketing")
    body = {"sections": [{"area": "category", "text": "หมวดสินค้าหลัก", "source": "QBR"}]}
    response = client.put(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    sections = {s["area"]: s for s in response.json()["sections"]}
    assert sections["category"]["text"] == "หมวดสินค้าหลัก"
    assert sections["category"]["stale"] is False and sections["category"]["missing"] is False
    assert sections["csr"]["missing"] is True
    assert PortraitSection.objects.get(account=world["foreign"], area="category").reviewed_on


def test_marketing_may_not_change_key_figures_or_the_dossier(login, world):
    figure = KeyFigure.objects.create(account=world["own"], year=2023, employees=10)
    client = login("marketing")
    response = client.patch(
        f"/api/key-figures/{figure.pk}/", {"employees": 1}, content_type="application/json"
    )
    assert response.status_code == 403
    response = client.patch(
        f"/api/accounts/{world['own'].pk}/dossier/", {"sites": 1}, content_type="application/json"
    )
    assert response.status_code == 403


def test_a_portrait_with_an_area_twice_or_unknown_is_refused(login, world):
    url = f"/api/accounts/{world['own'].pk}/portrait/"
    client = login("kam1")
    twice = {"sections": [{"area": "csr", "text": "a"}, {"area": "csr", "text": "b"}]}
    assert client.patch(url, twice, content_type="application/json").status_code == 400
    unknown = {"sections": [{"area": "weather", "text": "a"}]}
    assert client.patch(url, unknown, content_type="application/json").status_code == 400


def test_dossier_fields_round_trip(login, world):
    url = f"/api/accounts/{world['own'].pk}/dossier/"
    client = login("kam1")
    body = {"organisation_notes": "Three regions", "sites": 120, "sites_notes": "Hypermarkets"}
    assert client.put(url, body, content_type="application/json").status_code == 200
    assert client.get(url).json()["sites"] == 120
    assert login("kam1").get(f"/api/accounts/{world['foreign'].pk}/dossier/").status_code == 404
