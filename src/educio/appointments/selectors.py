"""Reads of nominations, appointments and nomination windows, always scoped to the requesting user.

A nomination's status is not stored: it is its review process's state, or
"appointed" once an appointment was issued from it (``with_status``), so the
two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Case, CharField, F, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from educio.accounts.roles import Perm
from educio.accounts.scope import filter_in_scope
from educio.appointments.models import (
    Appointment,
    AppointmentStatus,
    Nomination,
    NominationStatus,
    NominationWindow,
)
from educio.orgs.models import Organization
from educio.policies.loaded import LoadedPack
from educio.policies.schema.people import Post, Term
from educio.policies.selectors import ancestor_paths, effective_pack
from educio.workflow.models import ProcessState, ReviewStep, StepState

OPEN_STATES = (ProcessState.DRAFT, ProcessState.IN_REVIEW, ProcessState.RETURNED)


def with_status(queryset: QuerySet[Nomination]) -> QuerySet[Nomination]:
    return queryset.annotate(
        status=Case(
            When(appointment__isnull=False, then=Value(NominationStatus.APPOINTED)),
            default=F("process__state"),
            output_field=CharField(),
        )
    )


def nomination_list(*, user: Any, perm: str = Perm.NOMINATION_VIEW) -> QuerySet[Nomination]:
    queryset = Nomination.objects.select_related("organization", "person", "process", "appointment")
    return with_status(filter_in_scope(queryset, user, perm, "organization"))


def nomination_get(*, user: Any, pk: int, perm: str = Perm.NOMINATION_VIEW) -> Nomination:
    return get_object_or_404(nomination_list(user=user, perm=perm), pk=pk)


def appointment_list(*, user: Any, perm: str = Perm.APPOINTMENT_VIEW) -> QuerySet[Appointment]:
    queryset = Appointment.objects.select_related("organization", "person", "nomination")
    return filter_in_scope(queryset, user, perm, "organization")


def appointment_get(*, user: Any, pk: int, perm: str = Perm.APPOINTMENT_VIEW) -> Appointment:
    return get_object_or_404(appointment_list(user=user, perm=perm), pk=pk)


def expiring_within(queryset: QuerySet[Appointment], days: int, today: date | None = None) -> QuerySet[Appointment]:
    today = today or timezone.localdate()
    return queryset.filter(
        status=AppointmentStatus.ACTIVE, ends_on__isnull=False, ends_on__lte=today + timedelta(days=days)
    )


def post_history(appointment: Appointment) -> QuerySet[Appointment]:
    """Every appointment of the same post at the same unit, newest first (the post's history)."""
    return (
        Appointment.objects.filter(organization_id=appointment.organization_id, post=appointment.post)
        .select_related("person")
        .order_by("-starts_on", "-pk")
    )


def window_list(*, user: Any, perm: str = Perm.NOMINATION_VIEW) -> QuerySet[NominationWindow]:
    return filter_in_scope(
        NominationWindow.objects.select_related("organization", "created_by"), user, perm, "organization"
    )


def window_get(*, user: Any, pk: int, perm: str = Perm.APPOINTMENT_MANAGE) -> NominationWindow:
    return get_object_or_404(window_list(user=user, perm=perm), pk=pk)


# --- the pack's rules for a unit -----------------------------------------------------------------


def posts_for(pack: LoadedPack | None, organization: Organization) -> list[Post]:
    """The posts the pack sets up at units of this kind (焦作: schools; 宜春: the university)."""
    if pack is None:
        return []
    return [p for p in pack.spec.posts if organization.kind in p.unit_kinds]


def term_for(pack: LoadedPack, post: str) -> Term | None:
    term = pack.spec.term
    if term is None or (term.posts is not None and post not in term.posts):
        return None
    return term


@dataclass(frozen=True)
class Deadline:
    """When nominations for a post are due at a unit, and who said so."""

    on: date
    source: str
    window_id: int | None = None
    article: str = ""

    def days_left(self, today: date | None = None) -> int:
        return (self.on - (today or timezone.localdate())).days

    @property
    def passed(self) -> bool:
        return self.days_left() < 0


def deadline_for(organization: Organization, post: str, pack: LoadedPack | None = None) -> Deadline | None:
    """The latest nomination window of the unit or a bureau above it; else the date the pack prints.

    The newest call governs even once it has closed: a late nomination then
    needs the bureau to reopen it, it does not fall back to an older window.
    """
    window = (
        NominationWindow.objects.filter(organization__path__in=ancestor_paths(organization.path), post=post)
        .order_by("-opens_on", "-pk")
        .first()
    )
    if window is not None:
        return Deadline(window.deadline, window.title, window.pk)
    pack = pack or effective_pack(organization)
    form = pack.spec.nomination_form if pack else None
    if pack and form and form.submission and form.submission.deadline:
        article = pack.article(form.submission.article)
        return Deadline(form.submission.deadline, pack.title, None, article.citation if article else "")
    return None


def open_nominations(organization: Organization, post: str) -> QuerySet[Nomination]:
    return Nomination.objects.filter(organization=organization, post=post, process__state__in=OPEN_STATES).filter(
        appointment__isnull=True
    )


def active_appointments(organization: Organization, post: str) -> QuerySet[Appointment]:
    return Appointment.objects.filter(organization=organization, post=post, status=AppointmentStatus.ACTIVE)


def latest_round_steps(nomination: Nomination) -> list[ReviewStep]:
    """The steps of the review's latest round, in chain order (the opinion boxes of the printed form)."""
    process = nomination.process
    if process is None or process.round == 0:
        return []
    return list(
        ReviewStep.objects.filter(process=process, round=process.round)
        .select_related("decided_by", "acting_organization")
        .order_by("index")
    )


def final_step(nomination: Nomination) -> ReviewStep | None:
    """The step whose approval closed the review: its unit is the body that appoints."""
    steps = [s for s in latest_round_steps(nomination) if s.state == StepState.APPROVED]
    return steps[-1] if steps else None
