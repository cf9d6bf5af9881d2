"""Notifications for review events: a step waiting for its reviewers, and the submitter told of the outcome.

Connected to ``workflow.signals.workflow_event`` in ``apps.ready``; events
arrive after the decision has committed, carrying ids only. The dedup keys
name the step or process, so an event delivered twice notifies once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from educio.notifications.models import NotificationKind
from educio.notifications.services import notify
from educio.workflow.models import ReviewProcess, ReviewStep
from educio.workflow.selectors import eligible_reviewers
from educio.workflow.signals import EventKind, WorkflowEvent


def _step(step_id: int) -> ReviewStep:
    return ReviewStep.objects.select_related(
        "process", "process__organization", "process__created_by", "acting_organization"
    ).get(pk=step_id)


def _process_url(process: ReviewProcess) -> str:
    return reverse("workflow:detail", args=[process.pk])


def _tell_submitter(process: ReviewProcess, *, kind: str, title: str, body: str, dedup_key: str) -> None:
    creator = process.created_by
    if not creator.is_active:
        return
    notify(
        recipients=[creator],
        kind=kind,
        title=title,
        body=body,
        url=_process_url(process),
        organization=process.organization,
        dedup_key=dedup_key,
    )


def _opinion(step: ReviewStep) -> str:
    return _("审核意见:%(opinion)s") % {"opinion": step.opinion} if step.opinion else ""


def step_activated(step_id: int) -> None:
    """Every active holder of the step's role at its acting unit: the people who may decide it."""
    step = _step(step_id)
    process = step.process
    body = _("%(org)s报送的“%(title)s”已到“%(step)s”(%(acting)s),请及时审核。") % {
        "org": process.organization.name,
        "title": process.title,
        "step": step.name,
        "acting": step.acting_organization.name,
    }
    if step.due_at:
        body += _("办理期限:%(due)s。") % {"due": formats.date_format(timezone.localtime(step.due_at), "Y年n月j日")}
    notify(
        recipients=eligible_reviewers(step).values_list("pk", flat=True),
        kind=NotificationKind.STEP_PENDING,
        title=_("待审核:%(title)s") % {"title": process.title},
        body=body,
        url=_process_url(process),
        organization=process.organization,
        dedup_key=f"step:{step.pk}:activated",
    )


@dataclass(frozen=True)
class Outcome:
    """How the submitter is told that a decision ended the round (returned) or the review (approved, rejected)."""

    kind: str
    title: Any
    body: Any
    # Returns are per step (a process may be returned in several rounds); the end of a review happens once.
    per_step: bool


OUTCOMES = {
    EventKind.RETURNED: Outcome(
        NotificationKind.RETURNED,
        gettext_lazy("退回修改:%(title)s"),
        gettext_lazy("“%(title)s”在“%(step)s”被%(acting)s退回修改,请修改后重新报送。"),
        per_step=True,
    ),
    EventKind.APPROVED: Outcome(
        NotificationKind.APPROVED,
        gettext_lazy("审核通过:%(title)s"),
        gettext_lazy("“%(title)s”已通过全部审核(最后一步:“%(step)s”,%(acting)s)。"),
        per_step=False,
    ),
    EventKind.REJECTED: Outcome(
        NotificationKind.REJECTED,
        gettext_lazy("审核未通过:%(title)s"),
        gettext_lazy("“%(title)s”在“%(step)s”未获%(acting)s同意,审核结束。"),
        per_step=False,
    ),
}


def tell_outcome(outcome: Outcome, step_id: int) -> None:
    step = _step(step_id)
    title = step.process.title
    body = str(outcome.body) % {"title": title, "step": step.name, "acting": step.acting_organization.name}
    key = f"step:{step.pk}:{outcome.kind}" if outcome.per_step else f"process:{step.process_id}:{outcome.kind}"
    _tell_submitter(
        step.process,
        kind=outcome.kind,
        title=str(outcome.title) % {"title": title},
        body=" ".join(p for p in (body, _opinion(step)) if p),
        dedup_key=key,
    )


# Each handler gets the step the event is about: the activated one, or the one whose decision closed the round.
HANDLERS: dict[str, Callable[[int], None]] = {
    EventKind.STEP_ACTIVATED: step_activated,
    **{kind: functools.partial(tell_outcome, outcome) for kind, outcome in OUTCOMES.items()},
}


def on_workflow_event(sender: Any, event: WorkflowEvent, **kwargs: Any) -> None:
    handler = HANDLERS.get(event.kind)
    if handler is not None and event.step_id is not None:
        handler(event.step_id)
