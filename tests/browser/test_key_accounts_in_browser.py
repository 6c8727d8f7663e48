"""A director nominates a candidate and gives it an owner; the new owner sees the account, and
another key account manager does not."""

import re

import pytest
from playwright.sync_api import expect

from conftest import make_users
from openkam.accounts.services import account_create

from .test_accounts_in_browser import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login/"))


def test_director_nominates_a_candidate_and_only_the_new_owner_sees_it(page, live_server):
    users = make_users()
    account_create(
        actor=users["director"],
        data={"name": "Mekong Fresh Markets", "status": "active", "country": "VN"},
    )

    log_in(page, "director")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Key accounts").click()
    expect(page.get_by_role("heading", name="Key accounts")).to_be_visible()
    row = page.locator("table.list tbody tr", has_text="Mekong Fresh Markets")
    expect(row).to_contain_text("not rated")
    row.get_by_role("link", name="Nominate Mekong Fresh Markets").click()

    # Without a reason the nomination is refused, with the reason next to the field.
    page.get_by_label("Owner (key account manager)").select_option(label="kam1")
    page.get_by_role("button", name="Nominate").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    expect(page.get_by_label("Owner (key account manager)")).to_have_value(str(users["kam1"].pk))

    page.get_by_label("Reason").fill("Fastest-growing grocery chain in the Mekong delta.")
    page.get_by_role("button", name="Nominate").click()
    expect(page.get_by_text("Nominated: it is now a key account.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Mekong Fresh Markets"))).to_contain_text(
        "Key account"
    )
    panel = page.locator("#key-account")
    expect(panel).to_contain_text("Fastest-growing grocery chain")
    expect(page.locator("main")).to_contain_text("kam1")

    # The account page shows the decision too (its panel is loaded by HTMX).
    page.get_by_role("link", name="Overview").click()
    expect(page.locator("#key-account")).to_contain_text("Nominated as key account")
    expect(page.locator("#key-account")).to_contain_text("Fastest-growing grocery chain")
    account_url = page.url

    # The decision is on the nominations list.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Key accounts").click()
    page.get_by_role("link", name="Nominations").click()
    expect(page.locator("table.list tbody")).to_contain_text("Mekong Fresh Markets")
    log_out(page)

    log_in(page, "kam1")
    expect(page.locator("table.list tbody")).to_contain_text("Mekong Fresh Markets")
    page.get_by_role("link", name="Mekong Fresh Markets").click()
    expect(page.locator("#key-account")).to_contain_text("Nominated as key account")
    log_out(page)

    log_in(page, "kam2")
    expect(page.locator("main")).not_to_contain_text("Mekong Fresh Markets")
    response = page.goto(account_url)
    assert response.status == 404
