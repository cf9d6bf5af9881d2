"""The bureau's decisions on an order: deadline, cancellation, the re-check's outcome, overdue and retries."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from educio.accounts.roles import Perm
from educio.audit.services import audited
from educio.rectifications import notices
from educio.rectifications.models import LIVE_STATUSES, OrderStatus, RectificationOrder
from educio.rectifications.services._common import _clean_text, _locked, _require
from educio.rectifications.services.consequences import _apply_consequence


def order_set_deadline(*, actor: Any, order: RectificationOrder, deadline: date) -> RectificationOrder:
    """The bureau sets or extends the deadline of an order still under way."""
    _require(actor, Perm.RECTIFICATION_MANAGE, order.organization, _("您无权调整该整改通知的期限。"))
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("整改期限不能早于今天。")})
    with audited(actor):
        locked = _locked(order)
        if locked.status not in LIVE_STATUSES:
            raise ValidationError(_("整改通知已办结,不能调整期限。"))
        locked.deadline = deadline
        locked.save(update_fields=["deadline", "updated_at"])
    return locked


def order_close(*, actor: Any, order: RectificationOrder, reason: str) -> RectificationOrder:
    """The bureau cancels an order under way (e.g. the result was corrected on appeal); nothing follows from it."""
    _require(actor, Perm.RECTIFICATION_MANAGE, order.organization, _("您无权撤销该整改通知。"))
    reason = _clean_text(reason, field="reason", required=_("请填写撤销理由。"), limit=500)
    with audited(actor):
        locked = _locked(order)
        if locked.status not in LIVE_STATUSES:
            raise ValidationError(_("整改通知已办结,不能撤销。"))
        locked.status = OrderStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.close_note = reason
        locked.save()
    return locked


def orders_cancel_for_result(*, actor: Any, subject: Any, reason: str) -> int:
    """A result corrected to a pass on appeal: the orders its failure opened are cancelled; returns how many."""
    live = RectificationOrder.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk, status__in=LIVE_STATUSES
    )
    orders = list(live)
    for order in orders:
        order_close(actor=actor, order=order, reason=reason)
    return len(orders)


def order_close_passed(*, actor: Any, order: RectificationOrder) -> RectificationOrder:
    """The re-check approved the rectification: the order is closed (销号). Repeating it changes nothing."""
    with audited(actor):
        locked = _locked(order)
        if locked.status != OrderStatus.SUBMITTED:
            return locked
        locked.status = OrderStatus.PASSED
        locked.closed_at = timezone.now()
        locked.close_note = _("整改复查合格,予以销号。")
        locked.save()
        notices.order_passed(locked)
    return locked


def order_reopen(*, actor: Any, order: RectificationOrder) -> RectificationOrder:
    """The re-check was returned for revision (or withdrawn): the unit holds the order again, deadline running."""
    with audited(actor):
        locked = _locked(order)
        if locked.status != OrderStatus.SUBMITTED:
            return locked
        locked.status = OrderStatus.OPEN
        locked.save(update_fields=["status", "updated_at"])
    return locked


def order_fail(
    *, actor: Any, order: RectificationOrder, doc_number: str = "", today: date | None = None
) -> RectificationOrder:
    """The re-check found the rectification inadequate: failed, and the pack's consequence follows, once."""
    today = today or timezone.localdate()
    with audited(actor):
        locked = _locked(order)
        if locked.status != OrderStatus.SUBMITTED:
            return locked
        locked.status = OrderStatus.FAILED
        locked.closed_at = timezone.now()
        locked.close_note = _("整改复查不合格。")
        _apply_consequence(locked, actor=actor, doc_number=doc_number, today=today)
        notices.order_failed(locked)
    return locked


def order_mark_overdue(*, order: RectificationOrder, today: date) -> bool:
    """Open past its deadline (checked by the daily command): overdue, and the pack's consequence follows, once."""
    with audited(None):
        locked = _locked(order)
        if locked.status != OrderStatus.OPEN or locked.deadline is None or locked.deadline >= today:
            return False
        locked.status = OrderStatus.OVERDUE
        locked.closed_at = timezone.now()
        locked.close_note = _("整改期限(%(day)s)已过,未报送整改情况或未按退回意见重新报送。") % {
            "day": f"{locked.deadline:%Y年%m月%d日}"
        }
        _apply_consequence(locked, actor=None, doc_number="", today=today)
        notices.order_overdue(locked)
    return True


def order_apply_pending(*, order: RectificationOrder, today: date) -> bool:
    """Retry a consequence that could not be carried out yet (no account was allowed to revoke)."""
    with audited(None):
        locked = _locked(order)
        if not locked.consequence_pending:
            return False
        _apply_consequence(locked, actor=None, doc_number="", today=today)
        return locked.consequence_applied_at is not None
