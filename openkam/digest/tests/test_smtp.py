"""End to end: the digest goes out over SMTP to a real server on loopback (aiosmtpd), arrives as
multipart text + HTML in the recipient's language, and every link in it opens for them."""

from __future__ import annotations

import email
import socket
from email import policy
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller

from openkam.digest import services

from .conftest import AS_OF

BASE = "http://openkam.example.com"


class Inbox:
    """An aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "OpenKAM <digest@openkam.example.com>"
    settings.KAM_BASE_URL = BASE
    yield inbox
    controller.stop()


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs += [value for name, value in attrs if name == "href" and value]


@pytest.mark.django_db
def test_the_digest_arrives_over_smtp_in_the_users_language_with_working_links(
    smtp_server, week, figures, users, client
):
    kam1 = users["kam1"]
    kam1.language = "th"
    kam1.save(update_fields=["language"])

    run = services.run_send(services.run_create(as_of=AS_OF), usernames=["kam1"])

    assert (run.sent, run.failed) == (1, 0)
    [(recipients, raw)] = smtp_server.messages
    assert recipients == ["kam1@example.com"]
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message["From"] == "OpenKAM <digest@openkam.example.com>"
    assert message["To"] == "kam1@example.com"
    assert message["Content-Language"] == "th"
    assert message.get_content_type() == "multipart/alternative"
    parts = {part.get_content_type(): part.get_content() for part in message.iter_parts()}
    assert set(parts) == {"text/plain", "text/html"}
    text, html = parts["text/plain"], parts["text/html"]
    for body in (text, html):
        assert "Send the new price list" in body
        assert "มิ.ย." in body  # June, as Thai readers write it
        assert "เยี่ยมลูกค้า" in body  # "Visit", from the Thai catalogue
    assert "มิ.ย." in message["Subject"]

    parser = Links()
    parser.feed(html)
    assert len(parser.hrefs) >= 10
    client.force_login(kam1)
    for href in parser.hrefs:
        assert href.startswith(BASE + "/"), href
        assert href in text or href == f"{BASE}/digest/"  # the text has the same links
        url = urlsplit(href)
        response = client.get(url.path, dict(_query(url.query)))
        assert response.status_code == 200, f"{href} → {response.status_code}"


def _query(query: str) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(query)


@pytest.mark.django_db
def test_a_server_that_refuses_a_recipient_is_recorded_and_the_run_goes_on(
    smtp_server, week, users
):
    class Refusing(Inbox):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address.startswith("kam1@"):
                return "550 No such mailbox"
            envelope.rcpt_tos.append(address)
            return "250 OK"

    smtp_server.__class__ = Refusing
    kam2 = users["kam2"]
    kam2.email = "kam2@example.com"
    kam2.save(update_fields=["email"])

    run = services.run_send(services.run_create(as_of=AS_OF), usernames=["kam1", "kam2"])

    assert (run.sent, run.failed) == (1, 1)
    assert [to for to, _raw in smtp_server.messages] == [["kam2@example.com"]]
    failed = run.deliveries.get(status="failed")
    assert failed.user == users["kam1"] and "550" in failed.reason
