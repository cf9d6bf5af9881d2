"""The order follows its re-check: approved -> passed, rejected -> failed (+ consequence), returned -> open again.

Connected to ``workflow.signals.workflow_event`` in ``apps.ready``. Events
arrive after the decision has committed, so each service below runs in a
transaction of its own; each is idempotent (it acts only on a "submitted"
order), so an event delivered twice changes nothing the second time. If a
receiver fails, the daily command brings the order in line with its re-check.
"""

from __future__ import annotations

from typing import Any

from educio.accounts.models import User
from educio.rectifications import services
from educio.rectifications.models import RectificationOrder
from educio.workflow.models import ProcessKind
from educio.workflow.signals import EventKind, WorkflowEvent

FOLLOWED = (EventKind.APPROVED, EventKind.REJECTED, EventKind.RETURNED, EventKind.WITHDRAWN)


def on_workflow_event(sender: Any, event: WorkflowEvent, **kwargs: Any) -> None:
    if event.kind not in FOLLOWED:
        return
    order = (
        RectificationOrder.objects.select_related("organization", "issuer")
        .filter(recheck_process_id=event.process_id, recheck_process__kind=ProcessKind.RECTIFICATION)
        .first()
    )
    if order is None:
        return
    actor = User.objects.filter(pk=event.actor_id).first() if event.actor_id else None
    if event.kind == EventKind.APPROVED:
        services.order_close_passed(actor=actor, order=order)
    elif event.kind == EventKind.REJECTED:
        services.order_fail(actor=actor, order=order)
    else:
        services.order_reopen(actor=actor, order=order)
