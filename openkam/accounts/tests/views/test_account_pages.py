import pytest
from django.urls import reverse

from openkam.accounts.models import Account, Segment
from openkam.core.models import ChangeLogEntry

pytestmark = pytest.mark.django_db


def account_names(response) -> list[str]:
    return [a.name for a in response.context["page"].object_list]


@pytest.fixture
def many_accounts(users):
    retail = Segment.objects.create(name="Modern trade")
    rows = [
        Account(
            name=f"Account {i:03d}",
            country=["TH", "VN", "RS", "PH"][i % 4],
            industry="Retail" if i % 2 else "Hotels",
            status="active",
            segment=retail if i % 3 == 0 else None,
        )
        for i in range(120)
    ]
    Account.objects.bulk_create(rows)
    return retail


def test_list_is_paginated_and_counts_everything(login, many_accounts):
    response = login("director").get(reverse("accounts:list"))
    assert response.context["page"].paginator.count == 120
    assert len(account_names(response)) == 50
    assert b"120 accounts" in response.content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "Vietnam"}, 30),  # country by name
        ({"q": "hotel"}, 60),  # industry, any case
        ({"q": "Account 007"}, 1),  # name
        ({"country": "rs"}, 30),
        ({"status": "active"}, 120),
        ({"status": "key"}, 0),
    ],
)
def test_search_and_filters(login, many_accounts, query, expected):
    response = login("director").get(reverse("accounts:list"), query)
    assert response.context["page"].paginator.count == expected


def test_segment_filter(login, many_accounts):
    response = login("director").get(reverse("accounts:list"), {"segment": many_accounts.pk})
    assert response.context["page"].paginator.count == 40


def test_sorting_both_ways(login, many_accounts):
    client = login("director")
    ascending = account_names(client.get(reverse("accounts:list"), {"ordering": "name"}))
    descending = account_names(client.get(reverse("accounts:list"), {"ordering": "-name"}))
    assert ascending[0] == "Account 000"
    assert descending[0] == "Account 119"


def test_owner_filter(login, world):
    response = login("director").get(reverse("accounts:list"), {"owner": "kam1"})
    assert account_names(response) == ["Own Mart"]


def test_invalid_filter_says_so(login, many_accounts):
    response = login("director").get(reverse("accounts:list"), {"status": "nonsense"})
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content


def test_htmx_request_gets_only_the_table(login, many_accounts):
    response = login("director").get(
        reverse("accounts:list"), {"q": "Account"}, HTTP_HX_REQUEST="true"
    )
    assert b"<html" not in response.content
    assert b"<table" in response.content


def test_list_query_count_does_not_grow_with_rows(login, world, django_assert_max_num_queries):
    client = login("kam1")
    client.get(reverse("accounts:list"))  # warm the session and permission caches
    with django_assert_max_num_queries(8):
        client.get(reverse("accounts:list"))


def test_empty_state_invites_to_create(login, users):
    response = login("director").get(reverse("accounts:list"))
    assert b"No accounts yet" in response.content


def test_create_form_shows_errors_and_keeps_input(login, users):
    response = login("director").post(
        reverse("accounts:create"),
        {
            "name": "Hanoi Fresh",
            "status": "key",
            "reporting_currency": "VND",
            "website": "hanoifresh.example",
        },
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()  # key comes by nomination
    assert response.context["form"]["name"].value() == "Hanoi Fresh"
    assert not Account.objects.filter(name="Hanoi Fresh").exists()


def test_create_then_edit_shows_in_history(login, users):
    client = login("director")
    response = client.post(
        reverse("accounts:create"),
        {
            "name": "Hanoi Fresh",
            "status": "active",
            "owner": users["kam1"].pk,
            "reporting_currency": "VND",
            "country": "VN",
            "website": "hanoifresh.example",
        },
    )
    account = Account.objects.get(name="Hanoi Fresh")
    assert response.status_code == 302
    assert account.website == "https://hanoifresh.example"
    response = client.post(
        reverse("accounts:update", args=[account.pk]),
        {
            "name": "Hanoi Fresh Food",
            "status": "active",
            "owner": users["kam1"].pk,
            "reporting_currency": "VND",
            "country": "VN",
        },
    )
    assert response.status_code == 302
    history = client.get(reverse("accounts:history", args=[account.pk])).content.decode()
    assert "Hanoi Fresh Food" in history
    assert "<del>Hanoi Fresh</del>" in history
    assert ChangeLogEntry.objects.filter(account_id=account.pk, username="director").count() >= 3


def test_parent_is_picked_by_name_or_external_id(login, world):
    client = login("director")
    data = {"name": "Own Mart Laos", "status": "active", "reporting_currency": "USD"}
    response = client.post(reverse("accounts:create"), {**data, "parent": "Nowhere Ltd"})
    assert "No account named" in response.content.decode()
    client.post(reverse("accounts:create"), {**data, "parent": "C-1"})
    assert Account.objects.get(name="Own Mart Laos").parent == world["own"]


def test_kam_parent_lookup_only_offers_visible_accounts(login, world):
    response = login("kam1").get(reverse("accounts:lookup"), {"parent": "o"})
    assert b"Own Mart" in response.content
    assert b"Foreign Foods" not in response.content


def test_marketing_form_has_marketing_fields_only(login, world):
    response = login("marketing").get(reverse("accounts:update", args=[world["own"].pk]))
    fields = set(response.context["form"].fields)
    assert fields == set(Account.MARKETING_FIELDS)


def test_detail_shows_group_team_and_people_by_department(login, world):
    content = login("kam1").get(reverse("accounts:detail", args=[world["own"].pk])).content
    text = content.decode()
    assert "Own Mart Vietnam" in text  # subsidiary
    assert "Buyer of Own Mart" in text  # stakeholder
    assert "Merchandising / buying" in text  # their department
    assert "Owner (key account manager)" in text


def test_team_member_can_be_added_and_removed(login, users, world):
    client = login("director")
    account = world["foreign"]
    response = client.post(
        reverse("accounts:team_add", args=[account.pk]), {"user": users["kam1"].pk, "role": "owner"}
    )
    assert "already has an owner" in response.content.decode()
    client.post(
        reverse("accounts:team_add", args=[account.pk]),
        {"user": users["kam1"].pk, "role": "support"},
    )
    member = account.team.get(user=users["kam1"])
    client.post(reverse("accounts:team_remove", args=[account.pk, member.pk]))
    assert not account.team.filter(user=users["kam1"]).exists()


def test_edit_form_leaves_key_status_to_nomination(login, world):
    client = login("director")
    url = reverse("accounts:update", args=[world["own"].pk])
    page = client.get(url).content.decode()
    assert "de-nominate it on its key-account page" in page
    response = client.post(
        url,
        {
            "name": "Own Mart",
            "status": "lost",
            "owner": world["own"].team.get(role="owner").user_id,
            "reporting_currency": "THB",
            "country": "TH",
        },
    )
    assert response.status_code == 302
    world["own"].refresh_from_db()
    assert world["own"].status == "key"  # the disabled field keeps its value
