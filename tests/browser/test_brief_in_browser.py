"""A KAM prepares a negotiation from the account page and prints the brief: a PDF comes back.
Another KAM cannot open it."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, make_users, make_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _login(page, username: str) -> None:
    page.goto("/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_kam_prepares_and_prints_a_brief(browser, live_server):
    world = make_world(make_users())
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    _login(page, "kam1")

    page.goto(f"/accounts/{world['own'].pk}/")
    page.get_by_role("link", name="Prepare a negotiation").click()
    page.get_by_label("Meeting", exact=True).fill("Annual terms 2027")
    page.get_by_label("Buyer of Own Mart").check()
    page.get_by_label("Questions to ask").fill("Which stores open next year?")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Prepared “Annual terms 2027”.")).to_be_visible()
    expect(page.locator(".brief")).to_contain_text("Buyer of Own Mart")
    expect(page.locator(".brief")).to_contain_text("Which stores open next year?")
    pdf_url = page.get_by_role("link", name="Print as PDF").get_attribute("href")
    response = page.request.get(pdf_url)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    brief_url = page.url

    other = context.browser.new_context(base_url=live_server.url, locale="en-GB")
    stranger = other.new_page()
    _login(stranger, "kam2")
    assert stranger.goto(brief_url).status == 404
    assert stranger.request.get(pdf_url).status == 404
    other.close()
    context.close()
