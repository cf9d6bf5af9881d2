"""Reads of review processes, always scoped to the requesting user.

A process is visible to people holding a role that covers its submitting unit
(``org.view`` scope: the unit itself and the bureaus above it) and to the
eligible reviewers of any of its steps. Everyone else gets 404, in the pages
and the API alike. Each page costs a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Case, Model, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from educio.accounts.models import RoleAssignment, User
from educio.accounts.scope import scope_paths, scope_q
from educio.workflow.models import DECIDED_STEP_STATES, ProcessState, ReviewProcess, ReviewStep, StepState
from educio.workflow.permissions import VIEW_PERM
from educio.workflow.resolution import is_eligible_reviewer, resolve_chain, reviewer_q, role_may_review


def _overdue(now: datetime) -> Case:
    return Case(
        When(state=StepState.PENDING, due_at__lt=now, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def process_list(*, user: Any) -> QuerySet[ReviewProcess]:
    """Processes the user may see, with the step now waiting (name, unit, deadline) annotated."""
    queryset = ReviewProcess.objects.select_related("organization", "created_by", "content_type")
    if scope_paths(user, VIEW_PERM) != [""]:
        visible = scope_q(user, VIEW_PERM, "organization__path")
        as_reviewer = reviewer_q(user)
        if as_reviewer is not None:
            visible |= Q(pk__in=ReviewStep.objects.filter(as_reviewer).values("process_id"))
        queryset = queryset.filter(visible)
    pending = ReviewStep.objects.filter(process=OuterRef("pk"), state=StepState.PENDING)
    return queryset.annotate(
        current_step_name=Subquery(pending.values("name")[:1]),
        current_step_org=Subquery(pending.values("acting_organization__name")[:1]),
        current_due_at=Subquery(pending.values("due_at")[:1]),
    )


def process_get(*, user: Any, pk: int) -> ReviewProcess:
    """The process, or 404 when the user may not see it."""
    return get_object_or_404(process_list(user=user), pk=pk)


def subject_process_list(*, user: Any, subject: Model) -> QuerySet[ReviewProcess]:
    """The reviews of one subject (a nomination, a project ...) the user may see, newest first."""
    content_type = ContentType.objects.get_for_model(subject)
    return process_list(user=user).filter(content_type=content_type, object_id=subject.pk).order_by("-created_at")


def my_submission_list(*, user: Any) -> QuerySet[ReviewProcess]:
    """Processes the user started (still within what they may see)."""
    return process_list(user=user).filter(created_by=user)


def inbox(*, user: Any, now: datetime | None = None) -> QuerySet[ReviewStep]:
    """Steps waiting for a decision by the user (待办), with ``overdue`` annotated."""
    as_reviewer = reviewer_q(user)
    if as_reviewer is None:
        return ReviewStep.objects.none()
    return (
        ReviewStep.objects.filter(as_reviewer, state=StepState.PENDING, process__state=ProcessState.IN_REVIEW)
        .select_related("process", "process__organization", "process__created_by", "acting_organization")
        .annotate(overdue=_overdue(now or timezone.now()))
    )


def step_get_decidable(*, user: Any, pk: int) -> ReviewStep:
    """A step of which the user is an eligible reviewer (in any state), or 404."""
    as_reviewer = reviewer_q(user)
    steps = ReviewStep.objects.none() if as_reviewer is None else ReviewStep.objects.filter(as_reviewer)
    return get_object_or_404(steps.select_related("process"), pk=pk)


def step_get_visible(*, user: Any, pk: int) -> ReviewStep:
    """A step of a process the user may see (404 otherwise), whether or not they may decide it."""
    return get_object_or_404(ReviewStep.objects.filter(process__in=process_list(user=user)), pk=pk)


def overdue_step_list(*, now: datetime | None = None) -> QuerySet[ReviewStep]:
    """Every pending step past its deadline, unscoped: for the reminder command, not for pages."""
    return ReviewStep.objects.filter(state=StepState.PENDING, due_at__lt=now or timezone.now()).select_related(
        "process", "process__organization", "acting_organization"
    )


def eligible_reviewers(step: ReviewStep) -> QuerySet[User]:
    """Active accounts that may decide ``step`` (for notifications and the "no reviewer yet" warning)."""
    if not role_may_review(step.role):
        return User.objects.none()
    return User.objects.filter(
        is_active=True,
        role_assignments__organization_id=step.acting_organization_id,
        role_assignments__role=step.role,
    ).distinct()


def _steps_for_display(now: datetime | None = None) -> QuerySet[ReviewStep]:
    return (
        ReviewStep.objects.select_related("acting_organization", "decided_by")
        .annotate(overdue=_overdue(now or timezone.now()))
        .order_by("round", "index")
    )


def process_step_list(*, process: ReviewProcess, now: datetime | None = None) -> QuerySet[ReviewStep]:
    """Every step of every round of a process the caller already fetched in scope (one query)."""
    return _steps_for_display(now).filter(process=process)


def process_get_with_steps(*, user: Any, pk: int) -> ReviewProcess:
    """``process_get`` with every step of every round prefetched (two queries)."""
    steps = Prefetch("steps", queryset=_steps_for_display())
    return get_object_or_404(process_list(user=user).prefetch_related(steps), pk=pk)


@dataclass
class TimelineRound:
    number: int
    steps: list[Any]
    is_current: bool

    @property
    def bar_color(self) -> str:
        """Red for a rejected round, orange for a returned one, green otherwise."""
        states = {s.state for s in self.steps}
        if StepState.REJECTED in states:
            return "red"
        return "orange" if StepState.RETURNED in states else "green"

    @property
    def reached_step_id(self) -> int | None:
        """The furthest step this round got to: the pending one, else the last decided one."""
        reached = [s for s in self.steps if s.state == StepState.PENDING or s.is_decided]
        return reached[-1].pk if reached else None


@dataclass
class Timeline:
    """The detail page: every round's steps (latest first), plus the planned chain of a draft."""

    rounds: list[TimelineRound] = field(default_factory=list)
    planned: list[Any] = field(default_factory=list)
    planning_error: list[str] = field(default_factory=list)
    decidable_step: ReviewStep | None = None
    # Open steps whose acting unit has no active account holding the role: nobody will see them.
    unstaffed_step_ids: set[int] = field(default_factory=set)

    @property
    def decided_in_current_round(self) -> bool:
        """A reviewer has decided in the round now open (then the submitter can no longer withdraw)."""
        current = next((r for r in self.rounds if r.is_current), None)
        return bool(current and any(s.state in DECIDED_STEP_STATES for s in current.steps))


def process_timeline(*, user: Any, process: ReviewProcess, now: datetime | None = None) -> Timeline:
    """All steps of all rounds in one query; which step the user may decide; unstaffed steps (one query)."""
    steps = list(process_step_list(process=process, now=now).order_by("-round", "index"))
    timeline = Timeline()
    open_steps = [s for s in steps if s.state in (StepState.PENDING, StepState.WAITING)]
    staffed: set[tuple[int, str]] = set()
    if open_steps:
        pairs = Q()
        for s in open_steps:
            pairs |= Q(organization_id=s.acting_organization_id, role=s.role)
        staffed = set(RoleAssignment.objects.filter(pairs, user__is_active=True).values_list("organization_id", "role"))
    timeline.unstaffed_step_ids = {s.pk for s in open_steps if (s.acting_organization_id, s.role) not in staffed}
    for s in steps:
        if s.state == StepState.PENDING and is_eligible_reviewer(user, s):
            timeline.decidable_step = s
    for number in sorted({s.round for s in steps}, reverse=True):
        timeline.rounds.append(
            TimelineRound(number, [s for s in steps if s.round == number], is_current=number == process.round)
        )
    if process.state == ProcessState.DRAFT:
        try:
            timeline.planned = resolve_chain(organization=process.organization, chain=process.chain)
        except ValidationError as exc:
            timeline.planning_error = exc.messages
    return timeline
