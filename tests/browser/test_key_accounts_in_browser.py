"""A director nominates a candidate and gives it an owner; the new owner sees the account, and
another key account manager does not."""

import re

import pytest
from playwright.sync_api import expect

from conftest import make_users
from openkam.accounts.services import account_create

from .test_accounts_in_browser import log_in, open_accounts

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
    open_accounts(page)
    expect(page.locator("table.list tbody")).to_contain_text("Mekong Fresh Markets")
    page.get_by_role("link", name="Mekong Fresh Markets").click()
    expect(page.locator("#key-account")).to_contain_text("Nominated as key account")
    log_out(page)

    log_in(page, "kam2")
    open_accounts(page)
    expect(page.locator("main")).not_to_contain_text("Mekong Fresh Markets")
    response = page.goto(account_url)
    assert response.status == 404


def test_director_finds_a_candidate_in_the_cockpit_nominates_it_and_only_its_owner_sees_it(
    page, live_server
):
    """The portfolio cockpit: the director clicks an ABC–XYZ cell, finds a customer that buys
    every month but is no key account yet, nominates it with kam1 as owner; kam1 then sees it
    and kam2 does not."""
    import datetime as dt

    from openkam.analytics.tests import facts
    from openkam.metrics.services import snapshot_create
    from openkam.metrics.tests.conftest import publish

    users = make_users()
    big = account_create(
        actor=users["director"],
        data={"name": "Saigon Superstores", "status": "key", "country": "VN"},
        owner=users["kam2"],
        nominated=True,  # a key account from before the test
    )
    mekong = account_create(
        actor=users["director"],
        data={"name": "Mekong Fresh Markets", "status": "active", "country": "VN"},
    )
    as_of = dt.date(2026, 6, 30)
    lines = []
    for month in range(36):  # July 2023 to June 2026: three steady years
        day = dt.date(2023 + (month + 6) // 12, (month + 6) % 12 + 1, 10)
        lines.append(facts.line(big.pk, day, 5000))
        lines.append(facts.line(mekong.pk, day, 4000))
    publish(lines)
    snapshot_create(as_of=as_of)

    log_in(page, "director")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Portfolio").click()
    expect(page.get_by_role("heading", name="Portfolio", exact=True)).to_be_visible()
    expect(page.locator("#figure-retention")).to_contain_text("target 80%")
    expect(page.locator("#figure-key-share")).to_contain_text("band 30%–55%")
    # Both buy every month: the A–X cell; clicking it lists them below the matrix (HTMX).
    page.get_by_role("link", name=re.compile(r"^AX: 2 accounts")).click()
    cell = page.locator("#cell-accounts")
    expect(cell).to_contain_text("Accounts: cell AX")
    expect(cell).to_contain_text("Saigon Superstores")
    cell.get_by_role("link", name="Mekong Fresh Markets").click()

    # The account page's key-account panel (HTMX) offers the nomination.
    panel = page.locator("#key-account")
    expect(panel).to_contain_text("Scorecard")
    panel.get_by_role("link", name="Nominate").click()
    page.get_by_label("Owner (key account manager)").select_option(label="kam1")
    page.get_by_label("Reason").fill("Buys every month; second largest in the Mekong delta.")
    page.get_by_role("button", name="Nominate").click()
    expect(page.get_by_text("Nominated: it is now a key account.")).to_be_visible()
    expect(page.locator("#scorecard")).to_be_visible()
    account_url = page.url
    log_out(page)

    log_in(page, "kam1")
    open_accounts(page)
    expect(page.locator("table.list tbody")).to_contain_text("Mekong Fresh Markets")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Portfolio").click()
    expect(page.locator(".cockpit-scope")).to_contain_text("the accounts you can see")
    log_out(page)

    log_in(page, "kam2")
    open_accounts(page)
    expect(page.locator("main")).not_to_contain_text("Mekong Fresh Markets")
    assert page.goto(account_url).status == 404
