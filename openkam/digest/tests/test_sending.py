import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from openkam.digest import schedule, services
from openkam.digest.models import DigestDelivery, DigestRun, RunStatus
from openkam.digest.tasks import send_weekly_digests

from .conftest import AS_OF


@pytest.fixture
def recipients(week, users):
    """kam1 (e-mail, things to say), kam2 (no e-mail), the viewer (e-mail, nothing to say), the
    marketing user (e-mail, opted out), the director (inactive)."""
    for name in ("viewer", "marketing", "director"):
        users[name].email = f"{name}@example.com"
        users[name].save(update_fields=["email"])
    services.subscription_set(user=users["marketing"], subscribed=False)
    users["director"].is_active = False
    users["director"].save(update_fields=["is_active"])
    return users


def reasons(run) -> dict[str, str]:
    return {
        d.user.username: d.reason or d.status
        for d in DigestDelivery.objects.filter(run=run).select_related("user")
    }


@pytest.mark.django_db
def test_a_run_sends_multipart_mail_and_says_why_it_skipped_the_others(recipients):
    run = services.run_send(services.run_create(as_of=AS_OF))

    assert (run.status, run.sent, run.failed) == (RunStatus.DONE, 1, 0)
    assert reasons(run) == {
        "kam1": "sent",
        "kam2": services.NO_EMAIL,
        "viewer": services.EMPTY,
        "marketing": services.OPTED_OUT,
        "director": services.INACTIVE,
        "admin": services.NO_EMAIL,
    }
    assert run.skipped == 5
    [message] = mail.outbox
    assert message.to == ["kam1@example.com"]
    assert message.subject == "Your OpenKAM week from Jun 30, 2026"
    assert "Send the new price list" in message.body
    [(html, kind)] = message.alternatives
    assert kind == "text/html"
    assert 'href="http://127.0.0.1:8000/commitments/account/' in html
    assert "<script" not in html and "<link" not in html  # mail programs drop them


@pytest.mark.django_db
def test_a_retried_run_does_not_send_twice(recipients):
    run = services.run_create(as_of=AS_OF)
    services.run_send(run)
    services.run_send(run)
    assert len(mail.outbox) == 1
    run.refresh_from_db()
    assert run.sent == 1


@pytest.mark.django_db
def test_the_task_sends_to_the_users_named(recipients):
    result = send_weekly_digests.enqueue(as_of=AS_OF.isoformat(), usernames=["kam1", "kam2"])
    assert result.return_value["sent"] == 1 and result.return_value["skipped"] == 1
    assert [m.to for m in mail.outbox] == [["kam1@example.com"]]


def local(text: str, zone: str = "UTC") -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=zoneinfo.ZoneInfo(zone))


@pytest.mark.parametrize(
    ("weekday", "moment", "now", "slot"),
    [
        ("monday", "07:00", "2026-06-30T10:00", "2026-06-29T07:00"),
        ("monday", "07:00", "2026-06-29T06:59", "2026-06-22T07:00"),  # not yet this week
        ("monday", "07:00", "2026-06-29T07:00", "2026-06-29T07:00"),
        ("1", "07:00", "2026-06-30T10:00", "2026-06-29T07:00"),  # ISO 1 = Monday
        ("Sun", "18:30", "2026-06-30T10:00", "2026-06-28T18:30"),
    ],
)
def test_the_weeks_moment(settings, weekday, moment, now, slot):
    settings.KAM_DIGEST_WEEKDAY, settings.KAM_DIGEST_TIME = weekday, moment
    assert schedule.current_slot(local(now)) == local(slot)


def test_the_moment_is_local_time(settings):
    settings.TIME_ZONE = "Asia/Bangkok"
    found = schedule.current_slot(local("2026-06-29T00:30"))  # 07:30 in Bangkok
    assert found == local("2026-06-29T07:00", "Asia/Bangkok")


def test_the_schedule_can_be_switched_off_and_is_checked(settings):
    settings.KAM_DIGEST_WEEKDAY = "off"
    assert schedule.current_slot() is None
    settings.KAM_DIGEST_WEEKDAY = "someday"
    with pytest.raises(ImproperlyConfigured):
        schedule.current_slot()
    settings.KAM_DIGEST_WEEKDAY, settings.KAM_DIGEST_TIME = "monday", "7 o'clock"
    with pytest.raises(ImproperlyConfigured):
        schedule.current_slot()


@pytest.mark.django_db
def test_the_scheduler_queues_each_week_once(recipients):
    monday = local("2026-06-29T07:00")
    run = schedule.queue_due(monday + dt.timedelta(minutes=1))
    assert run is not None and run.as_of == dt.date(2026, 6, 29)
    assert len(mail.outbox) == 1  # the immediate task backend of the tests sent it
    # a restarted scheduler, a second one, a later check the same week: nothing more
    assert schedule.queue_due(monday + dt.timedelta(minutes=2)) is None
    assert schedule.queue_due(monday + dt.timedelta(days=3)) is None
    assert len(mail.outbox) == 1
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert schedule.queue_due(monday + dt.timedelta(days=7, minutes=1)) is not None
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_week_found_too_late_is_recorded_missed_not_sent(recipients):
    assert schedule.queue_due(local("2026-07-01T09:00")) is None  # Wednesday
    run = DigestRun.objects.get()
    assert run.status == RunStatus.MISSED and run.slot == local("2026-06-29T07:00")
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_command_dry_run_sends_nothing(recipients, capsys):
    call_command("digest", "send", "--dry-run", "--as-of", "2026-06-30")
    out = capsys.readouterr().out
    assert "send kam1 <kam1@example.com>: Your OpenKAM week from Jun 30, 2026" in out
    assert "skip marketing: opted_out" in out
    assert mail.outbox == [] and not DigestRun.objects.exists()
    call_command("digest", "send", "--dry-run", "--user", "kam1", "--as-of", "2026-06-30")
    assert "Send the new price list" in capsys.readouterr().out  # one user: the text too


@pytest.mark.django_db
def test_the_command_sends_to_one_user(recipients, capsys):
    call_command("digest", "send", "--user", "kam1", "--as-of", "2026-06-30")
    assert "1 sent, 0 skipped, 0 failed" in capsys.readouterr().out
    assert [m.to for m in mail.outbox] == [["kam1@example.com"]]


@pytest.mark.django_db
def test_the_command_checks_the_schedule_once(recipients, settings, capsys):
    settings.KAM_DIGEST_WEEKDAY = "off"
    call_command("digest", "schedule", "--once")
    assert "switched off" in capsys.readouterr().out
    assert not DigestRun.objects.exists()
