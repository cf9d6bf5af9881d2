"""What the unit is told about its rectification order: opened, passed, failed, overdue, and the deadline reminders.

Recipients are the school heads and CIOs of the unit (the people who report
the rectification). Each dedup key names the order and the event, so an event
announced twice (a retried receiver, a second daily run) notifies once; a
reminder's key also names the deadline, so an extended deadline is reminded
again.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.utils.translation import gettext as _

from educio.notifications.models import NotificationKind
from educio.notifications.reminders import stage
from educio.notifications.selectors import unit_staff
from educio.notifications.services import Message, notifications_send, notify
from educio.rectifications.models import RectificationOrder

REMINDER_STAGES = (1, 7)  # days before the deadline
RECTIFICATION_KIND: str = NotificationKind.RECTIFICATION


def _tell_unit(order: RectificationOrder, *, kind: str, event: str, title: str, body: str) -> int:
    recipients = unit_staff([order.organization_id]).get(order.organization_id, set())
    return notify(
        recipients=recipients,
        kind=kind,
        title=title,
        body=body,
        url=order.get_absolute_url(),
        organization=order.organization,
        dedup_key=f"rect:{order.pk}:{event}",
    )


def _deadline(order: RectificationOrder) -> str:
    if order.deadline is None:
        return _("整改期限待%(issuer)s确定。") % {"issuer": order.issuer.name}
    return _("整改期限:%(day)s。") % {"day": f"{order.deadline:%Y年%m月%d日}"}


def order_opened(order: RectificationOrder) -> int:
    body = _("%(issuer)s下达限期整改通知(%(number)s,依据%(article)s):%(findings)s %(deadline)s") % {
        "issuer": order.issuer.name,
        "number": order.number,
        "article": order.article or _("制度规定"),
        "findings": order.findings[:300],
        "deadline": _deadline(order),
    }
    return _tell_unit(
        order, kind=RECTIFICATION_KIND, event="opened", title=_("限期整改通知:%(n)s") % {"n": order.number}, body=body
    )


def order_passed(order: RectificationOrder) -> int:
    body = _("%(org)s的整改(%(number)s)经复查合格,已销号。") % {"org": order.organization.name, "number": order.number}
    return _tell_unit(order, kind=NotificationKind.APPROVED, event="passed", title=_("整改复查合格"), body=body)


def _sanction_body(order: RectificationOrder, headline: str) -> str:
    return f"{headline}{order.consequence_note}"


def order_failed(order: RectificationOrder) -> int:
    headline = _("%(org)s的整改(%(number)s)经复查不合格。") % {"org": order.organization.name, "number": order.number}
    return _tell_unit(
        order,
        kind=NotificationKind.REJECTED,
        event="failed",
        title=_("整改复查不合格:%(n)s") % {"n": order.number},
        body=_sanction_body(order, headline),
    )


def order_overdue(order: RectificationOrder) -> int:
    headline = _("%(org)s未在期限内完成整改(%(number)s)。") % {"org": order.organization.name, "number": order.number}
    return _tell_unit(
        order,
        kind=RECTIFICATION_KIND,
        event="overdue",
        title=_("逾期未整改:%(n)s") % {"n": order.number},
        body=_sanction_body(order, headline),
    )


def reminder_messages(orders: list[RectificationOrder], today: date) -> Iterator[Message]:
    """The 7-day and the 1-day reminder of each open order, for every head and CIO of its unit."""
    recipients = unit_staff(o.organization_id for o in orders)
    for order in orders:
        left = order.days_left(today)
        due = stage(left, REMINDER_STAGES) if left is not None else None
        if due is None or order.deadline is None:
            continue
        body = _("%(org)s的限期整改(%(number)s)还有%(days)d天到期,请及时报送整改报告和佐证材料。%(deadline)s") % {
            "org": order.organization.name,
            "number": order.number,
            "days": left,
            "deadline": _deadline(order),
        }
        for user_id in sorted(recipients.get(order.organization_id, ())):
            yield Message(
                recipient_id=user_id,
                kind=RECTIFICATION_KIND,
                title=_("整改即将到期:%(n)s") % {"n": order.number},
                body=body,
                url=order.get_absolute_url(),
                organization_id=order.organization_id,
                dedup_key=f"rect:{order.pk}:due{due}:{order.deadline:%Y%m%d}",
            )


def send_reminders(orders: list[RectificationOrder], today: date) -> int:
    return notifications_send(reminder_messages(orders, today))
