"""The daily run of ``manage.py check_rectifications``: overdue orders, pending consequences, reminders.

Safe to run twice a day or to miss a day: every step re-reads the order under
its lock and acts only on what is still due, and reminders carry dedup keys.
Each order is handled in its own transaction, so one that fails (logged) never
holds up the others.

It also follows re-check decisions whose announcement was lost (a receiver
that failed after the decision committed): an order still "submitted" whose
re-check is closed is brought in line with it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet

from educio.rectifications import notices, services
from educio.rectifications.models import SANCTIONED_STATUSES, OrderStatus, RectificationOrder
from educio.workflow.models import ProcessState

logger = logging.getLogger(__name__)


@dataclass
class DailyRun:
    decided: int = 0
    overdue: int = 0
    consequences: int = 0
    reminded: int = 0


def _each(queryset: QuerySet[RectificationOrder], act: Callable[[RectificationOrder], bool]) -> int:
    done = 0
    for order in queryset.order_by("pk").iterator():
        try:
            done += bool(act(order))
        except Exception:
            logger.exception("rectification order %s: the daily check failed", order.pk)
    return done


def _follow_decision(order: RectificationOrder, today: date) -> bool:
    state = order.recheck_process.state if order.recheck_process else None
    if state == ProcessState.APPROVED:
        services.order_close_passed(actor=None, order=order)
    elif state == ProcessState.REJECTED:
        services.order_fail(actor=None, order=order, today=today)
    elif state in (ProcessState.RETURNED, ProcessState.WITHDRAWN):
        services.order_reopen(actor=None, order=order)
    else:
        return False
    return True


def check_rectifications(*, today: date) -> DailyRun:
    orders = RectificationOrder.objects.select_related("organization", "issuer", "recheck_process")
    run = DailyRun()
    run.decided = _each(
        orders.filter(status=OrderStatus.SUBMITTED).exclude(recheck_process__state=ProcessState.IN_REVIEW),
        lambda o: _follow_decision(o, today),
    )
    run.overdue = _each(
        orders.filter(status=OrderStatus.OPEN, deadline__lt=today),
        lambda o: services.order_mark_overdue(order=o, today=today),
    )
    run.consequences = _each(
        orders.filter(status__in=SANCTIONED_STATUSES, consequence_applied_at__isnull=True),
        lambda o: services.order_apply_pending(order=o, today=today),
    )
    due = orders.filter(
        status=OrderStatus.OPEN,
        deadline__gte=today,
        deadline__lte=today + timedelta(days=max(notices.REMINDER_STAGES)),
    )
    run.reminded = notices.send_reminders(list(due), today)
    return run
