"""As a person would: log in, create an account, add a stakeholder, find both in the lists."""

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, make_users

# serialized_rollback: the data migrations (department kinds) survive the flush after each test.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page, username: str) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # The portfolio cockpit is the first screen, also before any sales are analysed.
    expect(page.get_by_role("heading", name="Portfolio", exact=True)).to_be_visible()


def open_accounts(page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Accounts", exact=True
    ).click()
    expect(page.get_by_role("heading", name="Accounts", exact=True)).to_be_visible()


def test_director_creates_an_account_and_a_stakeholder(page):
    make_users()
    log_in(page, "director")
    open_accounts(page)

    page.get_by_role("link", name="New account").click()
    page.get_by_label("Name", exact=True).fill("Chao Phraya Retail")
    # Key-account status comes by nomination, not from this form.
    expect(page.get_by_label("Status").locator("option[value=key]")).to_have_count(0)
    expect(page.get_by_text("To make it a key account, nominate it")).to_be_visible()
    page.get_by_label("Website").fill("not a web address")
    page.get_by_role("button", name="Save").click()
    # A bad value is refused, with the reason next to the field and the input kept.
    expect(page.get_by_text("Enter a valid URL")).to_be_visible()
    expect(page.get_by_label("Name", exact=True)).to_have_value("Chao Phraya Retail")
    page.get_by_label("Website").fill("chaophraya.example")

    page.get_by_label("Owner (key account manager)").select_option(label="kam1")
    page.get_by_label("Country of origin").select_option("TH")
    page.get_by_label("Reporting currency").select_option("THB")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=re.compile("Chao Phraya Retail"))).to_be_visible()
    expect(page.get_by_text("created")).to_be_visible()

    page.get_by_role("link", name="Add a stakeholder").click()
    page.get_by_label("Name").fill("Somchai Wongsawat")
    page.get_by_label("Job title").fill("Head of Buying")
    page.get_by_label("Role in the buying decision").select_option("decision_maker")
    page.get_by_label("Relationship strength").fill("7")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Ensure this value is less than or equal to 5")).to_be_visible()
    page.get_by_label("Relationship strength").fill("4")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="Somchai Wongsawat", exact=True)).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Stakeholders").click()
    page.get_by_role("searchbox", name="Search stakeholders").fill("somchai")
    row = page.locator("table.list tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Chao Phraya Retail")

    main_menu = page.get_by_role("navigation", name="Main")
    main_menu.get_by_role("link", name="Accounts", exact=True).click()
    page.get_by_role("searchbox", name="Search accounts").fill("Thailand")
    expect(page.locator("table.list tbody tr")).to_have_count(1)
    expect(page.locator("table.list tbody")).to_contain_text("kam1")

    page.get_by_role("link", name="Chao Phraya Retail").click()
    # The key-account panel, loaded after the page, has a "History and details" link too.
    sections = page.get_by_role("navigation", name="Account sections")
    sections.get_by_role("link", name="History", exact=True).click()
    expect(page.locator("table.history")).to_contain_text("Somchai Wongsawat")
    expect(page.locator("table.history")).to_contain_text("Chao Phraya Retail")


def test_a_kam_does_not_see_foreign_accounts(page, live_server):
    from conftest import make_world

    make_world(make_users())
    log_in(page, "kam1")
    open_accounts(page)
    body = page.locator("table.list tbody")
    expect(body).to_contain_text("Own Mart")
    expect(body).not_to_contain_text("Foreign Foods")
    response = page.goto("/accounts/")
    assert response.ok
