"""Marketing opens a target-account list and exports its contact cards: the download arrives
and reads as vCards with the people's names, Thai and Vietnamese included."""

from pathlib import Path

import pytest
import vobject
from playwright.sync_api import expect

from conftest import PASSWORD, make_users, make_world
from openkam.marketing.services import targetlist_create
from openkam.stakeholders.services import stakeholder_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_marketing_exports_a_lists_contact_cards(browser, live_server):
    users = make_users()
    world = make_world(users)
    for key, name in (("own", "สมชาย ใจดี"), ("own_sub", "Nguyễn Thị Lan")):
        stakeholder_create(
            actor=users["director"],
            account=world[key],
            data={"name": name, "job_title": "Buyer", "email": f"{key}@example.com"},
        )
    targetlist_create(
        actor=users["marketing"],
        kind="rule",
        data={"name": "Tier 1 key accounts", "tier": 1, "rule_status": "key"},
    )

    context = browser.new_context(base_url=live_server.url, locale="en-GB", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/login/?next=/marketing/lists/")
    page.locator("#id_username").fill("marketing")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("table").get_by_role("link", name="Tier 1 key accounts").click()
    expect(page.locator("#members")).to_contain_text("Own Mart Vietnam")
    expect(page.locator("#members")).to_contain_text("4 accounts")
    with page.expect_download() as download:
        page.get_by_role("link", name="Contact cards (vCard)").click()
    assert download.value.suggested_filename == "contacts.vcf"
    text = Path(download.value.path()).read_text(encoding="utf-8")
    names = sorted(card.fn.value for card in vobject.readComponents(text))
    assert names == sorted(
        [
            "Buyer of Foreign Foods",
            "Buyer of Own Mart",
            "Buyer of Own Mart Vietnam",
            "Buyer of Shared Stores",
            "Nguyễn Thị Lan",
            "สมชาย ใจดี",
        ]
    )

    page.get_by_role("link", name="Print the cards").click()
    expect(page.locator(".contact-card")).to_have_count(6)
    expect(page.locator(".contact-card", has_text="สมชาย ใจดี")).to_contain_text("Own Mart")
    context.close()
