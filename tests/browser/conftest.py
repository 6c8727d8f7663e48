"""A real Chromium (Debian's package) driven by Playwright against the live test server."""

from __future__ import annotations

import os
import shutil
import threading
import time
import warnings

import pytest

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        message = (
            "BROWSER TESTS SKIPPED: Debian's chromium is not installed "
            "(`apt-get install -y chromium`, or run `make test` as root)."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message + " Under CI=true a skipped browser test is a failure.")
        warnings.warn(message, stacklevel=1)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests' own database work is
    # synchronous and safe here. Only while the browser runs (subprocesses strip it).
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _serving_requests() -> list[threading.Thread]:
    return [
        thread
        for thread in threading.enumerate()
        if getattr(getattr(thread, "_target", None), "__name__", "") == "process_request_thread"
    ]


@pytest.fixture(autouse=True)
def _quiet_server_before_flush(browser, live_server):
    """After each test: close the pages (no more requests: the alerts badge loads after the
    page) and let the live server finish the requests in flight, so that the database flush
    that ends a browser test never races a request (a deadlock on PostgreSQL)."""
    yield
    for context in browser.contexts:
        context.close()
    deadline = time.monotonic() + 10
    while _serving_requests() and time.monotonic() < deadline:
        time.sleep(0.05)
