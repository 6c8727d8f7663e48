"""As a Thai key-account manager would: switch to Thai on the login page, work in Thai with
Buddhist-era dates, meet a validation error in Thai; the page renders Thai in a Thai font."""

import re
import shutil
import subprocess

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from playwright.sync_api import expect

from conftest import PASSWORD, make_users, make_world
from openkam.analytics.tests import facts
from openkam.metrics import services as metrics
from openkam.metrics.tests.conftest import AS_OF, publish

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def thai(message: str) -> str:
    """The Thai catalogue's translation; a message it leaves in English fails the test."""
    with translation.override("th"):
        translated = gettext(message)
    assert translated != message, f"{message!r} has no Thai translation"
    return translated


def thai_fonts() -> set[str]:
    """The font families fontconfig says can render Thai."""
    if shutil.which("fc-list") is None:
        pytest.skip("fontconfig's fc-list is not installed")
    listed = subprocess.run(
        [shutil.which("fc-list"), ":lang=th", "family"], capture_output=True, text=True
    ).stdout
    return {name.strip() for line in listed.splitlines() for name in line.split(",") if name}


def fonts_rendering(page, selector: str) -> set[str]:
    """The fonts Chromium really used to draw the element's text (DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {font["familyName"] for font in used if font["glyphCount"]}


def overflowing(page, selector: str) -> list[str]:
    """Elements whose text does not fit their box (clipped Thai vowels or cut-off labels)."""
    return page.eval_on_selector_all(
        selector,
        """elements => elements
            .filter(e => e.offsetParent !== null)
            .filter(e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)
            .map(e => e.textContent.trim())""",
    )


def test_a_thai_manager_works_in_thai_with_buddhist_era_dates(page):
    world = make_world(make_users())
    lines = [facts.line(world["own"].pk, f"2026-{month:02d}-05", 1000) for month in range(1, 7)]
    publish(lines)
    metrics.snapshot_create(as_of=AS_OF)

    # The switcher on the login page; the browser keeps the choice until login.
    page.goto("/login/")
    page.locator("details.languages summary").click()
    page.get_by_role("button", name="ไทย").click()
    expect(page.locator("html")).to_have_attribute("lang", "th")
    page.locator("#id_username").fill("kam1")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name=thai("Log in")).click()

    # The cockpit in Thai, drawn in a font that has Thai letters (not DejaVu's empty boxes).
    heading = page.get_by_role("heading", name=thai("Portfolio"), exact=True)
    expect(heading).to_be_visible()
    used = fonts_rendering(page, "main h1")
    assert used and used <= thai_fonts(), f"Thai heading drawn with {used}"
    assert not overflowing(page, ".topbar a, .topbar button, main button, main th")

    # Buddhist-era years, chosen in the preferences (the choice of language was kept).
    page.goto("/me/preferences/")
    expect(page.locator("main").get_by_label(thai("language"))).to_have_value("th")
    page.get_by_label(thai("dates in the Buddhist era")).check()
    page.get_by_role("button", name=thai("Save")).click()
    expect(page.get_by_text(thai("Your preferences are saved."))).to_be_visible()

    account = world["own"]
    page.goto(f"/accounts/{account.pk}/history/")
    era_year = str(timezone.localdate().year + 543)
    expect(page.locator("main table")).to_contain_text(era_year)

    # A validation error in Thai, with the input kept.
    page.goto(f"/accounts/{account.pk}/edit/")
    page.get_by_label(thai("website")).fill("not a web address")
    page.get_by_role("button", name=thai("Save")).click()
    expect(page.get_by_text(thai("Enter a valid URL."))).to_be_visible()
    expect(page.get_by_label(thai("website"))).to_have_value("not a web address")
    assert re.search(r"[\u0E00-\u0E7F]", page.locator("main").inner_text())


def test_a_vietnamese_manager_downloads_excel_in_vietnamese_with_dong_amounts(
    page, settings, tmp_path
):
    settings.REPORTING_CURRENCY = "VND"
    users = make_users()
    users["kam2"].language = "vi"
    users["kam2"].save()
    world = make_world(users)
    lines = [
        facts.line(world["foreign"].pk, f"2026-{month:02d}-05", 12_345_678.9)
        for month in range(1, 7)
    ]
    publish(lines)
    metrics.snapshot_create(as_of=AS_OF)

    page.goto("/login/")
    page.locator("#id_username").fill("kam2")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/portfolio/accounts/")
    with translation.override("vi"):
        expect(page.locator("html")).to_have_attribute("lang", "vi")
        expect(page.get_by_text(gettext("Export") + ":")).to_be_visible()
        with page.expect_download() as download:
            page.get_by_role("link", name="Excel").click()
        saved = tmp_path / download.value.suggested_filename
        assert saved.suffix == ".xlsx"
        download.value.save_as(saved)
        sheet = load_workbook(saved).active
        header, *rows = sheet.iter_rows()
        titles = [c.value for c in header]
        assert titles[0] == gettext("Account") != "Account"
        revenue = titles.index(gettext("Revenue over the window") + " (VND)")
    amounts = [row[revenue] for row in rows]
    assert amounts and all(c.number_format == "#,##0" for c in amounts)
    assert all(isinstance(c.value, int) for c in amounts)  # whole đồng, no decimals


SAMPLE_PAGES = [
    "/portfolio/",
    "/accounts/",
    "/accounts/{own}/",
    "/key-accounts/{own}/",
    "/key-accounts/candidates/",
    "/key-accounts/workload/",
    "/imports/",
    "/me/preferences/",
]
# Where a longer translation would break the layout: navigation, buttons, headings, headers.
FITTED = ".topbar a, .topbar button, main button, main h1, main h2, main th, .tabs a"


@pytest.mark.parametrize("language", ["th", "vi", "sr-latn", "fil"])
def test_sample_pages_render_and_fit_in_each_language(page, language):
    users = make_users()
    users["director"].language = language
    users["director"].save()
    world = make_world(users)
    publish([facts.line(world["own"].pk, f"2026-{m:02d}-05", 1000) for m in range(1, 7)])
    metrics.snapshot_create(as_of=AS_OF)

    page.goto("/login/")
    page.locator("#id_username").fill("director")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form:has(#id_username) button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    for template in SAMPLE_PAGES:
        url = template.format(own=world["own"].pk)
        response = page.goto(url)
        assert response is not None and response.status == 200, f"{url}: {response.status}"
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert not overflowing(page, FITTED), f"{url} in {language}: text overflows its box"
