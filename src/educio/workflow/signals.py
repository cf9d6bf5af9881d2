"""What happened to a review process, announced after the transaction commits.

Notifications (a step waiting for you, a return for revision ...) and subject
modules listen here. Nothing is sent for a transaction that rolls back, and a
failing receiver cannot undo a decision already recorded. Receivers get ids,
not rows, and read what they need themselves.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import models, transaction
from django.dispatch import Signal


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", "报送"
    STEP_ACTIVATED = "step_activated", "待审核"
    STEP_DECIDED = "step_decided", "已审核"
    RETURNED = "returned", "退回修改"
    RESUBMITTED = "resubmitted", "重新报送"
    APPROVED = "approved", "审核通过"
    REJECTED = "rejected", "审核未通过"
    WITHDRAWN = "withdrawn", "撤回"


@dataclass(frozen=True)
class WorkflowEvent:
    kind: EventKind
    process_id: int
    step_id: int | None
    actor_id: int | None


logger = logging.getLogger(__name__)

# sender: the ReviewProcess class; kwargs: ``event`` (a WorkflowEvent).
workflow_event = Signal()


def emit_on_commit(*events: WorkflowEvent) -> None:
    """Queue ``events`` to be sent once the surrounding transaction commits (at once outside one)."""

    def send() -> None:
        from educio.workflow.models import ReviewProcess

        for event in events:
            for receiver, result in workflow_event.send_robust(sender=ReviewProcess, event=event):
                if isinstance(result, Exception):
                    logger.error("workflow receiver %r failed on %s", receiver, event, exc_info=result)

    transaction.on_commit(send)
