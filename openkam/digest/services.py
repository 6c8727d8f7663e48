"""Writing on the digest: a user's choice to receive it, and sending it.

Sending goes through Django's e-mail framework: one `EmailMultiAlternatives` per user (the
plain text, with the HTML as its alternative), over one connection of `EMAIL_BACKEND` (SMTP in
production, the console in the demo). Who is skipped, and why, is recorded per run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from openkam.users.models import User

from . import rendering, selectors
from .models import (
    DeliveryStatus,
    DigestDelivery,
    DigestRun,
    DigestSubscription,
    RunStatus,
    RunTrigger,
)

logger = logging.getLogger(__name__)

# Why a user gets no e-mail (stored on the delivery, shown by `kam digest send`).
INACTIVE, NO_EMAIL, OPTED_OUT, EMPTY = "inactive", "no_email", "opted_out", "empty"


def is_subscribed(user: User) -> bool:
    subscription = DigestSubscription.objects.filter(user=user).first()
    return subscription is None or subscription.subscribed


def subscription_set(*, user: User, subscribed: bool) -> DigestSubscription:
    """Receive the weekly digest, or stop receiving it (the user's own choice)."""
    subscription, _ = DigestSubscription.objects.update_or_create(
        user=user, defaults={"subscribed": subscribed}
    )
    return subscription


def skip_reason(user: User) -> str | None:
    """Why `user` gets no digest whatever it says; None: they may get one."""
    if not user.is_active:
        return INACTIVE
    if not user.email:
        return NO_EMAIL
    if not is_subscribed(user):
        return OPTED_OUT
    return None


def recipients(usernames: Iterable[str] | None = None) -> QuerySet[User]:
    users = User.objects.order_by("username")
    if usernames:
        users = users.filter(username__in=list(usernames))
    return users


def message_for(user: User, as_of: dt.date, connection=None) -> EmailMultiAlternatives | None:
    """The user's digest as an e-mail (plain text with an HTML alternative); None when the
    digest has nothing to say."""
    digest = selectors.digest_for(user, as_of)
    if digest.empty:
        return None
    rendered = rendering.render(digest)
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        connection=connection,
        headers={"Content-Language": digest.language, "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(rendered.html, "text/html")
    return message


@dataclass
class Preview:
    user: User
    reason: str | None  # why it would be skipped
    message: EmailMultiAlternatives | None


def preview(*, as_of: dt.date, usernames: Iterable[str] | None = None) -> list[Preview]:
    """What a sending would do, without sending or recording anything (`--dry-run`)."""
    found = []
    for user in recipients(usernames):
        reason = skip_reason(user)
        message = None if reason else message_for(user, as_of)
        if reason is None and message is None:
            reason = EMPTY
        found.append(Preview(user, reason, message))
    return found


def run_create(
    *, trigger: str = RunTrigger.MANUAL, as_of: dt.date | None = None, slot=None, status=None
) -> DigestRun:
    return DigestRun.objects.create(
        trigger=trigger,
        as_of=as_of or timezone.localdate(),
        slot=slot,
        status=status or RunStatus.QUEUED,
    )


def _record(run: DigestRun, user: User, status: str, reason: str = "") -> bool:
    """One delivery of the run; False when the run had already reached this user."""
    try:
        with transaction.atomic():
            DigestDelivery.objects.create(
                run=run, user=user, status=status, reason=reason[:250], email=user.email
            )
    except IntegrityError:
        return False
    counter = {"sent": "sent", "skipped": "skipped", "failed": "failed"}[status]
    DigestRun.objects.filter(pk=run.pk).update(**{counter: F(counter) + 1})
    return True


def run_send(run: DigestRun, *, usernames: Iterable[str] | None = None) -> DigestRun:
    """Send the run's digests to everyone it has not reached yet (a retried run goes on where
    it stopped). A failure with one recipient is recorded and the others still get theirs."""
    DigestRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=timezone.now())
    done = set(DigestDelivery.objects.filter(run=run).values_list("user_id", flat=True))
    connection = get_connection()
    try:
        connection.open()
        for user in recipients(usernames):
            if user.pk in done:
                continue
            reason = skip_reason(user)
            if reason:
                _record(run, user, DeliveryStatus.SKIPPED, reason)
                continue
            try:
                message = message_for(user, run.as_of, connection)
                if message is None:
                    _record(run, user, DeliveryStatus.SKIPPED, EMPTY)
                    continue
                message.send()
            except (smtplib.SMTPException, OSError) as error:
                logger.warning("Weekly digest to %s failed: %s", user.username, error)
                _record(run, user, DeliveryStatus.FAILED, str(error) or type(error).__name__)
                continue
            _record(run, user, DeliveryStatus.SENT)
    except Exception as error:
        DigestRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), error=str(error)[:2000]
        )
        raise
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):  # the server hung up first
            connection.close()
    DigestRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, finished_at=timezone.now())
    run.refresh_from_db()
    return run
