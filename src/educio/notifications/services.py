"""Sending notifications (in the app and by e-mail) and marking them read.

Sending is set-based: rows are inserted in chunks with ``ignore_conflicts``,
so a (recipient, event) pair that already has its row is skipped by the
database itself, and concurrent senders cannot both insert it. Each chunk
tags its rows with a batch id and has exactly the rows carrying that id
e-mailed (by the task worker) after the transaction commits: a rolled-back
send mails nobody, and a row a concurrent run inserted first is mailed by
that run only.

The rows are created with ``bulk_create`` (a reminder run writes tens of
thousands), so they leave no per-row change-log entry; reading them does,
through the services below.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import get_connection, send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from educio.audit.services import audited
from educio.notifications.models import Notification, NotificationKind
from educio.orgs.models import Organization

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500
TITLE_MAX = 200
KEY_MAX = 120
KINDS = frozenset(NotificationKind.values)

T = TypeVar("T")


@dataclass(frozen=True)
class Message:
    """One notification to one account, before it is stored."""

    recipient_id: int
    kind: str
    title: str
    body: str
    url: str
    organization_id: int
    dedup_key: str


def chunked(items: Iterable[T], size: int = CHUNK_SIZE) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    organization: Organization,
    dedup_key: str,
) -> int:
    """Tell each of ``recipients`` (accounts or their ids) about one event; returns how many were new."""
    ids = sorted({r if isinstance(r, int) else r.pk for r in recipients})
    messages = (Message(rid, kind, title, body, url, organization.pk, dedup_key) for rid in ids)
    return notifications_send(messages)


def notifications_send(messages: Iterable[Message]) -> int:
    """Store the messages not yet stored (per recipient and ``dedup_key``) and e-mail those; returns the count."""
    return sum(_send_chunk(chunk) for chunk in chunked(messages))


def _check(message: Message) -> None:
    if message.kind not in KINDS:
        raise ValidationError(_("未知的消息类别“%(kind)s”。") % {"kind": message.kind})
    if not message.dedup_key or len(message.dedup_key) > KEY_MAX:
        raise ValidationError(_("消息的事件标识须为1至%(n)d个字符。") % {"n": KEY_MAX})


def _not_yet_stored(chunk: list[Message]) -> list[Message]:
    """Leave out what is already stored (the usual case on a daily run) before building any row."""
    stored = set(
        Notification.objects.filter(
            recipient_id__in={m.recipient_id for m in chunk}, dedup_key__in={m.dedup_key for m in chunk}
        ).values_list("recipient_id", "dedup_key")
    )
    return [m for m in chunk if (m.recipient_id, m.dedup_key) not in stored]


def _send_chunk(chunk: list[Message]) -> int:
    for message in chunk:
        _check(message)
    chunk = _not_yet_stored(chunk)
    if not chunk:
        return 0
    batch = uuid.uuid4()
    now = timezone.now()
    rows = [
        Notification(
            recipient_id=m.recipient_id,
            kind=m.kind,
            title=m.title[:TITLE_MAX],
            body=m.body,
            url=m.url[:500],
            organization_id=m.organization_id,
            dedup_key=m.dedup_key,
            batch=batch,
            created_at=now,
        )
        for m in chunk
    ]
    with audited(None):
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        # Filtering on the pairs lets the (recipient, dedup_key) index find the rows; the batch keeps ours.
        created = list(
            Notification.objects.filter(
                recipient_id__in={m.recipient_id for m in chunk},
                dedup_key__in={m.dedup_key for m in chunk},
                batch=batch,
            ).values_list("pk", flat=True)
        )
        if created:
            transaction.on_commit(partial(_email_later, created))
    return len(created)


def _email_later(ids: list[int]) -> None:
    """Mail from the task worker: a slow or absent mail server never holds up a reviewer's request."""
    from educio.notifications.tasks import email_notifications

    email_notifications.enqueue(ids)


def _absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.EDUCIO_SITE_URL.rstrip("/") + url


def _email_text(notification: Notification) -> str:
    parts = [notification.body.strip(), _absolute(notification.url), _("(本邮件由 EduCIO 平台自动发送,请勿直接回复。)")]
    return "\n\n".join(p for p in parts if p)


def notifications_email(ids: list[int]) -> int:
    """One e-mail per notification of ``ids`` to recipients with an address; a failure is logged, never raised.

    Returns how many were sent. Called by the ``email_notifications`` task for the rows one send created.
    """
    rows = (
        # Not mailed yet: a task run twice (a retry, a worker restarted mid-run) mails nobody twice.
        Notification.objects.filter(pk__in=ids, emailed_at__isnull=True, recipient__is_active=True)
        .exclude(recipient__email="")
        .select_related("recipient")
    )
    sent: list[int] = []
    try:
        with get_connection() as connection:
            for notification in rows:
                subject = "[EduCIO] " + " ".join(notification.title.split())
                try:
                    send_mail(
                        subject, _email_text(notification), None, [notification.recipient.email], connection=connection
                    )
                except Exception:
                    logger.exception(
                        "notification %s: e-mail to account %s failed", notification.pk, notification.recipient_id
                    )
                else:
                    sent.append(notification.pk)
    except Exception:
        logger.exception("notification e-mail: the mail server could not be used; %d sent", len(sent))
    if sent:
        with audited(None):
            Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())
    return len(sent)


def notification_mark_read(*, actor: Any, notification: Notification) -> Notification:
    """The recipient has read the notification (reading it again changes nothing)."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied(_("只能操作发给自己的消息。"))
    if notification.read_at is None:
        with audited(actor):
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, actor: Any, ids: Collection[int] | None = None) -> int:
    """Every unread notification of ``actor`` (or those of ``ids`` among them) becomes read; returns how many."""
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    with audited(actor):
        return unread.update(read_at=timezone.now())
